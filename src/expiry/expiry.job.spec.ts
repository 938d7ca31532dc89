import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { AdvisoryLockService } from '../database/advisory-lock.service';
import { Metrics } from '../observability/metrics';
import { ProfilesRepository } from '../profiles/profiles.repository';
import { EXPIRY_JOB_NAME, EXPIRY_LOCK_KEY } from './expiry.constants';
import { ScheduledRunsRepository } from '../database/scheduled-runs.repository';
import { ExpiryJob } from './expiry.job';
import { ExpiryService } from './expiry.service';

const NOW = new Date('2026-03-01T12:00:00Z');

/** The audit trail, whose SQL the e2e tests run; here only its calls are seen. */
function audit() {
  return { recordMany: jest.fn() } as never;
}

/** The profiles' data access, deleting `batches[i]` profiles on its i-th call (then none). */
function profiles(batches: number[] = []) {
  return {
    deleteDueBatch: jest.fn(async () => {
      const n = batches.shift() ?? 0;
      return Array.from({ length: n }, (_, i) => ({
        organisation_id: 1,
        customer_number: String(100 + i),
      }));
    }),
  } as unknown as ProfilesRepository & { deleteDueBatch: jest.Mock };
}

/** A transaction's manager: the erasure of a purged customer's traces runs its statements on it. */
const tx = { query: jest.fn(async () => []) };

function lockService(acquired: boolean, manager: object) {
  return {
    tryWithLock: jest.fn(async (_key: number, work: (m: EntityManager) => Promise<unknown>) =>
      acquired ? { ran: true, result: await work(manager as never) } : { ran: false },
    ),
  } as unknown as AdvisoryLockService & { tryWithLock: jest.Mock };
}

async function metricValue(metrics: Metrics, name: string): Promise<number> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  return (metric?.values as { value: number }[] | undefined)?.reduce((s, v) => s + v.value, 0) ?? 0;
}

describe('ExpiryService', () => {
  it('should do nothing and record nothing when another instance holds the lock', async () => {
    const manager = { transaction: jest.fn() };
    const locks = lockService(false, manager);
    const repository = profiles();
    const metrics = new Metrics();
    const result = await new ExpiryService(locks, repository, metrics, audit()).expireDue(NOW);
    expect(result).toEqual({ ran: false, temporary: 0, deactivated: 0, batches: 0, durationMs: 0 });
    expect(locks.tryWithLock).toHaveBeenCalledWith(EXPIRY_LOCK_KEY, expect.any(Function));
    expect(manager.transaction).not.toHaveBeenCalled();
    expect(repository.deleteDueBatch).not.toHaveBeenCalled();
    expect(await metricValue(metrics, 'customers_expiry_run_duration_seconds')).toBe(0);
  });

  it('should delete in batches until a batch comes back short, and count what it deleted', async () => {
    // Temporary: 2 + 2 + 1; deactivated: 0. Each batch is its own transaction.
    const repository = profiles([2, 2, 1, 0]);
    const manager = { transaction: jest.fn(async (work: (m: unknown) => unknown) => work(tx)) };
    const metrics = new Metrics();
    const service = new ExpiryService(lockService(true, manager), repository, metrics, audit());
    const result = await service.expireDue(NOW, { batchSize: 2 });
    expect(result).toMatchObject({ ran: true, temporary: 5, deactivated: 0, batches: 3 });
    expect(manager.transaction).toHaveBeenCalledTimes(4);
    expect(repository.deleteDueBatch.mock.calls.map(([, kind]) => kind)).toEqual([
      'temporary',
      'temporary',
      'temporary',
      'deactivated',
    ]);
    expect(repository.deleteDueBatch).toHaveBeenCalledWith(tx, 'temporary', NOW, 2);
    expect(await metricValue(metrics, 'customers_expiry_deleted_total')).toBe(5);
  });
});

describe('ExpiryJob', () => {
  const config = { expiry: { cron: '*/5 * * * *', enabled: true } } as AppConfig;
  const clock = { now: () => NOW };
  /** Tick claims as the table answers them: the first claim of a tick wins. */
  const claims = () => {
    const claimed = new Set<number>();
    return {
      claim: jest.fn(async (_job: string, tick: Date) => {
        const first = !claimed.has(tick.getTime());
        claimed.add(tick.getTime());
        return first;
      }),
    } as unknown as ScheduledRunsRepository;
  };
  const newJob = (service: ExpiryService, scheduler = new SchedulerRegistry()) =>
    new ExpiryJob(config, scheduler, service, clock, claims(), new Metrics());

  it('should register the configured cron expression at start-up', () => {
    const scheduler = new SchedulerRegistry();
    const job = newJob({} as ExpiryService, scheduler);
    job.onApplicationBootstrap();
    const cron = scheduler.getCronJob(EXPIRY_JOB_NAME);
    try {
      expect(cron.cronTime.source).toBe('*/5 * * * *');
      expect(cron.isActive).toBe(true);
    } finally {
      scheduler.deleteCronJob(EXPIRY_JOB_NAME);
    }
  });

  it("should run the service at the clock's now", async () => {
    const expireDue = jest.fn().mockResolvedValue({ ran: true });
    const job = newJob({ expireDue } as never);
    await job.run();
    expect(expireDue).toHaveBeenCalledWith(NOW);
  });

  it('should do nothing when the lock is not acquired', async () => {
    const manager = { transaction: jest.fn() };
    const service = new ExpiryService(
      lockService(false, manager),
      profiles(),
      new Metrics(),
      audit(),
    );
    const job = newJob(service);
    expect(await job.run()).toMatchObject({ ran: false });
    expect(manager.transaction).not.toHaveBeenCalled();
  });

  it('should skip a tick while its previous run is still busy, and survive a failed run', async () => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    let release!: () => void;
    const expireDue = jest
      .fn()
      .mockImplementationOnce(() => new Promise((resolve) => (release = () => resolve({}))))
      .mockRejectedValueOnce(new Error('database gone'));
    const job = newJob({ expireDue } as never);
    const first = job.run();
    expect(await job.run()).toBeUndefined();
    release();
    await first;
    expect(expireDue).toHaveBeenCalledTimes(1);
    await expect(job.run()).resolves.toBeUndefined();
    expect(expireDue).toHaveBeenCalledTimes(2);
  });

  it('should run a tick it claims and skip a tick another instance claimed, counting both', async () => {
    const expireDue = jest.fn().mockResolvedValue({ ran: true });
    const runs = claims();
    const metrics = new Metrics();
    const instance = () =>
      new ExpiryJob(config, new SchedulerRegistry(), { expireDue } as never, clock, runs, metrics);
    const tick = new Date('2026-03-01T12:05:00Z');
    await Promise.all([
      instance().runTick(tick),
      instance().runTick(tick),
      instance().runTick(tick),
    ]);
    expect(expireDue).toHaveBeenCalledTimes(1);
    const outcomes = (await metrics.expiryRuns.get()).values.map((v) => [
      v.labels.outcome,
      v.value,
    ]);
    expect(Object.fromEntries(outcomes)).toEqual({ ran: 1, skipped: 2 });
  });
});
