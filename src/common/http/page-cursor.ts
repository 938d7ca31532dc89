import { ValidationDomainException } from '../errors/domain.exception';

/** The `Link` header of a page that may have a next one, as documented on paged lists. */
export const NEXT_PAGE_LINK_HEADER = {
  Link: {
    description:
      'When the page is full: `<…>; rel="next"`, the same request with a `cursor` for the next page',
    schema: { type: 'string' },
  },
};

const PREFIX = 'k1:';

/**
 * An opaque cursor for keyset paging: the sort key of the last row of a page. Walking pages with it
 * sees every row that existed at the start exactly once, whatever is inserted meanwhile (new rows
 * get higher keys).
 */
export function encodeCursor(lastKey: string | number | bigint): string {
  return Buffer.from(`${PREFIX}${lastKey}`).toString('base64url');
}

/** The sort key a cursor carries; 400 naming `field` for anything this service did not issue. */
export function decodeCursor(field: string, cursor: string): bigint {
  const text = Buffer.from(cursor, 'base64url').toString();
  const key = text.startsWith(PREFIX) ? text.slice(PREFIX.length) : '';
  if (!/^[0-9]{1,19}$/.test(key) || encodeCursor(key) !== cursor) {
    throw new ValidationDomainException(`${field} is not a cursor of this list`, [
      { field, message: 'not a cursor of this list: use the Link of the previous page' },
    ]);
  }
  return BigInt(key);
}

/** Sets `Link: rel="next"` when a page came back full, keyed on its last row's id. */
export function linkNextPage(
  reply: { header(name: string, value: string): unknown },
  requestUrl: string,
  rows: readonly unknown[],
  limit: number,
  lastKey: (row: never) => string | number | bigint,
): void {
  if (rows.length && rows.length === limit) {
    const last = rows[rows.length - 1] as never;
    void reply.header('link', nextPageLink(requestUrl, encodeCursor(lastKey(last))));
  }
}

/** `<path?query with cursor>; rel="next"` for the request's own URL (path and query, relative). */
export function nextPageLink(requestUrl: string, cursor: string, parameter = 'cursor'): string {
  const url = new URL(requestUrl, 'http://relative.invalid');
  url.searchParams.set(parameter, cursor);
  return `<${url.pathname}${url.search}>; rel="next"`;
}
