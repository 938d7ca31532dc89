import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AdvisoryLockService } from '../database/advisory-lock.service';
import { Metrics } from '../observability/metrics';
import { PurgeKind, ProfilesRepository } from '../profiles/profiles.repository';
import { EXPIRY_BATCH_SIZE, EXPIRY_LOCK_KEY } from './expiry.constants';
import { eraseCustomerTraces } from '../audit/customer-erasure';

export type ExpiryKind = PurgeKind;

export interface ExpiryRunResult {
  /** False when another instance held the lock: nothing was done. */
  ran: boolean;
  temporary: number;
  deactivated: number;
  batches: number;
  durationMs: number;
}

/** The audit operation of a purge, per kind: their change events differ in type. */
const PURGE_OPERATION: Record<ExpiryKind, string> = {
  temporary: 'TEMPORARY_EXPIRED',
  deactivated: 'PURGED',
};

/**
 * Deletes for good the temporary profiles whose last day has ended and the deactivated profiles
 * whose purge time has come, with everything attached to them. Several service instances may call
 * it at once: an advisory lock lets one run, and `SKIP LOCKED` keeps each batch away from rows a
 * request is still writing (they are taken by the next run).
 */
@Injectable()
export class ExpiryService {
  private readonly logger = new Logger(ExpiryService.name);

  constructor(
    private readonly locks: AdvisoryLockService,
    private readonly profiles: ProfilesRepository,
    private readonly metrics: Metrics,
    private readonly audit: AuditService,
  ) {}

  async expireDue(
    now: Date,
    options: { batchSize?: number; onBatch?: (kind: ExpiryKind, deleted: number) => void } = {},
  ): Promise<ExpiryRunResult> {
    const batchSize = options.batchSize ?? EXPIRY_BATCH_SIZE;
    const onBatch = options.onBatch ?? (() => undefined);
    const started = performance.now();
    const outcome = await this.locks.tryWithLock(EXPIRY_LOCK_KEY, async (manager) => {
      const temporary = await this.deleteAllDue(manager, 'temporary', now, batchSize, onBatch);
      const deactivated = await this.deleteAllDue(manager, 'deactivated', now, batchSize, onBatch);
      return {
        temporary: temporary.deleted,
        deactivated: deactivated.deleted,
        batches: temporary.batches + deactivated.batches,
      };
    });
    if (!outcome.ran) {
      this.logger.debug('Expiry run skipped: another instance holds the lock');
      return { ran: false, temporary: 0, deactivated: 0, batches: 0, durationMs: 0 };
    }
    const durationMs = Math.round(performance.now() - started);
    const { temporary, deactivated, batches } = outcome.result;
    this.metrics.expiryDeleted.inc({ kind: 'temporary' }, temporary);
    this.metrics.expiryDeleted.inc({ kind: 'deactivated' }, deactivated);
    this.metrics.expiryRunDuration.observe(durationMs / 1000);
    // Counts and timing only, never a customer; a run with nothing to do stays at debug level.
    const summary = { temporary, deactivated, batches, durationMs };
    if (temporary + deactivated > 0) {
      this.logger.log(summary, 'Expiry run finished');
    } else {
      this.logger.debug(summary, 'Expiry run finished');
    }
    return { ran: true, temporary, deactivated, batches, durationMs };
  }

  private async deleteAllDue(
    manager: EntityManager,
    kind: ExpiryKind,
    now: Date,
    batchSize: number,
    onBatch: (kind: ExpiryKind, deleted: number) => void,
  ): Promise<{ deleted: number; batches: number }> {
    let deleted = 0;
    let batches = 0;
    for (;;) {
      const count = await manager.transaction((tx) => this.deleteBatch(tx, kind, now, batchSize));
      deleted += count;
      batches += count > 0 ? 1 : 0;
      onBatch(kind, count);
      // A short batch means nothing is left, or what is left is locked by a request right now.
      if (count < batchSize) {
        return { deleted, batches };
      }
    }
  }

  /** How many profiles are due now, per kind (what a run would delete). */
  async countDue(manager: EntityManager, now: Date): Promise<Record<ExpiryKind, number>> {
    return {
      temporary: await this.profiles.countDue('temporary', now, manager),
      deactivated: await this.profiles.countDue('deactivated', now, manager),
    };
  }

  private async deleteBatch(
    tx: EntityManager,
    kind: ExpiryKind,
    now: Date,
    batchSize: number,
  ): Promise<number> {
    const deleted = await this.profiles.deleteDueBatch(tx, kind, now, batchSize);
    await eraseCustomerTraces(
      tx,
      this.audit,
      deleted.map((r) => ({
        organisationId: r.organisation_id,
        customerNumber: r.customer_number,
      })),
      PURGE_OPERATION[kind],
    );
    return deleted.length;
  }
}
