import { EntityManager } from 'typeorm';
import { AuditService } from './audit.service';
import { CustomerErasureRepository, CustomerKey } from './customer-erasure.repository';

/** Holds no state: each statement runs on the EntityManager it is given. */
const erasure = new CustomerErasureRepository();

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
  await erasure.deleteIdempotencyKeys(customers, manager);
  await erasure.clearAuditFreeText(customers, manager);
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
