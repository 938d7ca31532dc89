import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** The kinds of a profile's sub-resources, by the name a client knows them. */
export const RESOURCE_KINDS = [
  'postalAddresses',
  'preferences',
  'ecards',
  'loyaltyPrograms',
  'customerAccounts',
  'notes',
] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** What a transfer did to one kind: rows moved to the survivor, and the source's rows dropped. */
export interface TransferCount {
  moved: number;
  dropped: number;
}

/**
 * How each kind moves. `sameAs` names the column that identifies a row within its customer: a
 * source row whose value the survivor already has is dropped (the survivor's row wins).
 * Ecard numbers and account ids are unique in the whole organisation, so those never collide.
 */
const TABLES: Record<ResourceKind, { table: string; sameAs?: string }> = {
  postalAddresses: { table: 'postal_addresses' },
  preferences: { table: 'preferences', sameAs: 'preference_code' },
  ecards: { table: 'ecards' },
  loyaltyPrograms: { table: 'loyalty_programs', sameAs: 'program_id' },
  customerAccounts: { table: 'customer_accounts' },
  notes: { table: 'notes' },
};

/**
 * Moves a profile's sub-resources to another profile of the same organisation, in the caller's
 * transaction (which holds both profiles' row locks). Every statement is scoped by organisation.
 */
@Injectable()
export class ProfileResourcesRepository {
  async transferAll(
    manager: EntityManager,
    organisationId: number,
    from: number,
    to: number,
    now: Date,
  ): Promise<Record<ResourceKind, TransferCount>> {
    const params = [organisationId, from, to];
    // The survivor's primary address stays primary; the source's becomes an ordinary one.
    await manager.query(
      `UPDATE postal_addresses a SET is_primary = false
        WHERE a.organisation_id = $1 AND a.customer_number = $2 AND a.is_primary
          AND EXISTS (SELECT 1 FROM postal_addresses t
                       WHERE t.organisation_id = $1 AND t.customer_number = $3 AND t.is_primary)`,
      params,
    );
    const counts = {} as Record<ResourceKind, TransferCount>;
    for (const kind of RESOURCE_KINDS) {
      const { table, sameAs } = TABLES[kind];
      let dropped = 0;
      if (sameAs) {
        const [rows]: [unknown[], number] = await manager.query(
          `DELETE FROM ${table} s
            WHERE s.organisation_id = $1 AND s.customer_number = $2
              AND EXISTS (SELECT 1 FROM ${table} t
                           WHERE t.organisation_id = $1 AND t.customer_number = $3
                             AND t.${sameAs} = s.${sameAs})
           RETURNING s.id`,
          params,
        );
        dropped = rows.length;
      }
      const [moved]: [unknown[], number] = await manager.query(
        `UPDATE ${table} SET customer_number = $3, changed_at = $4
          WHERE organisation_id = $1 AND customer_number = $2
         RETURNING id`,
        [...params, now],
      );
      counts[kind] = { moved: moved.length, dropped };
    }
    return counts;
  }
}
