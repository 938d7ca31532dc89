import { EntityManager } from 'typeorm';

/** A customer of an organisation; the number as the database returns a bigint, or as a number. */
export interface CustomerKey {
  organisationId: number;
  customerNumber: number | string;
}

/** The audit columns that may name a person or carry free text; cleared when a customer is erased. */
const AUDIT_FREE_TEXT = `actor = NULL, channel = NULL, client_name = NULL, correlation_id = NULL, fields = '{}'`;

/** The erased customers as a relation the statements join on. */
const ERASED = `unnest($1::int[], $2::bigint[]) AS c(organisation_id, customer_number)`;

/**
 * The statements of a customer's erasure that reach past the profile's ON DELETE CASCADE, across
 * the tables of the trail (idempotency_keys, audit_events). They run only in the purge's own
 * transaction, so every method takes its EntityManager and the repository holds no connection.
 */
export class CustomerErasureRepository {
  /** Idempotency records hold copies of responses: they go with the customer. */
  async deleteIdempotencyKeys(customers: CustomerKey[], manager: EntityManager): Promise<void> {
    await manager.query(
      `DELETE FROM idempotency_keys k USING ${ERASED}
        WHERE k.organisation_id = c.organisation_id AND k.customer_number = c.customer_number`,
      paramsOf(customers),
    );
  }

  /** Audit entries outlive the customer, with ids and the operation only. */
  async clearAuditFreeText(customers: CustomerKey[], manager: EntityManager): Promise<void> {
    await manager.query(
      `UPDATE audit_events a SET ${AUDIT_FREE_TEXT} FROM ${ERASED}
        WHERE a.organisation_id = c.organisation_id AND a.customer_number = c.customer_number`,
      paramsOf(customers),
    );
  }
}

function paramsOf(customers: CustomerKey[]): [number[], string[]] {
  return [customers.map((c) => c.organisationId), customers.map((c) => String(c.customerNumber))];
}
