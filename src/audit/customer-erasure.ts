import { EntityManager } from 'typeorm';
import { AuditService } from './audit.service';

export interface CustomerKey {
  organisationId: number;
  customerNumber: number | string;
}

/** The audit columns that may name a person or carry free text; cleared when a customer is erased. */
const AUDIT_FREE_TEXT = `actor = NULL, channel = NULL, client_name = NULL, correlation_id = NULL, fields = '{}'`;

/**
 * Removes what is left of customers whose profile rows were just deleted (everything hanging on a
 * profile goes with it through ON DELETE CASCADE): their idempotency records, which hold copies of
 * responses, and the free text of their audit entries; then records one audit entry per customer
 * that holds only ids and the event name, with its change event. Runs in the caller's transaction.
 */
export async function eraseCustomerTraces(
  manager: EntityManager,
  audit: AuditService,
  customers: CustomerKey[],
  operation: string,
  clientId: string | null = null,
): Promise<void> {
  if (!customers.length) {
    return;
  }
  const params = [
    customers.map((c) => c.organisationId),
    customers.map((c) => String(c.customerNumber)),
  ];
  const erased = `unnest($1::int[], $2::bigint[]) AS c(organisation_id, customer_number)`;
  await manager.query(
    `DELETE FROM idempotency_keys k USING ${erased}
      WHERE k.organisation_id = c.organisation_id AND k.customer_number = c.customer_number`,
    params,
  );
  await manager.query(
    `UPDATE audit_events a SET ${AUDIT_FREE_TEXT} FROM ${erased}
      WHERE a.organisation_id = c.organisation_id AND a.customer_number = c.customer_number`,
    params,
  );
  await audit.recordMany(
    manager,
    customers.map((c) => ({
      organisationId: c.organisationId,
      customerNumber: Number(c.customerNumber),
      operation,
      fields: [],
      clientId,
    })),
  );
}
