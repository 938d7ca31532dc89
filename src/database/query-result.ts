/**
 * TypeORM's `query()` on pg answers a select or an insert with the rows, but an update or a
 * delete with `[rows, affectedCount]`. These two read either shape, so no caller depends on the
 * statement kind.
 */
export function resultRows<T>(result: unknown): T[] {
  return (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as T[];
}

/** How many rows an UPDATE or DELETE touched (its RETURNING rows when it has them). */
export function affectedCount(result: unknown): number {
  if (Array.isArray(result) && result.length === 2 && typeof result[1] === 'number') {
    return result[1];
  }
  return Array.isArray(result) ? result.length : 0;
}
