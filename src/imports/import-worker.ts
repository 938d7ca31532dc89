import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock/clock';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-codes';
import { loggableError } from '../common/http/all-exceptions.filter';
import { RESOURCE_UNIQUE_CONSTRAINTS } from '../profile-resources/resource-constraints';
import { PROFILE_UNIQUE_CONSTRAINTS } from '../profiles/profile-constraints';
import { AppConfig } from '../config/app-config';
import { GivenConsentsService } from '../consents/given/given-consents.service';
import { PasswordHasher } from '../passwords/password-hasher';
import { databaseUnavailableReason } from '../database/database-unavailable';
import { CUSTOMER_ACCOUNTS } from '../profile-resources/customer-accounts/customer-account.dto';
import { ECARDS } from '../profile-resources/ecards/ecard.dto';
import { LOYALTY_PROGRAMS } from '../profile-resources/loyalty-programs/loyalty-program.dto';
import { POSTAL_ADDRESSES } from '../profile-resources/postal-addresses/postal-address.dto';
import { PreferenceCatalogueService } from '../profile-resources/preferences/preference-catalogue.service';
import { PREFERENCES, PreferenceRequestDto } from '../profile-resources/preferences/preference.dto';
import { ProfileResourceStore } from '../profile-resources/profile-resource.store';
import { ResourceDefinition } from '../profile-resources/resource-definition';
import { EDITABLE_FIELDS } from '../profiles/profile-columns';
import { newProfileUuid } from '../profiles/profile-uuid';
import { ProfilesRepository } from '../profiles/profiles.repository';
import { ImportProfileLineDto } from './dto/import-profile-line.dto';
import { checkLine, CheckedLine, errorsOfException, LineError, ValidLine } from './import-line';
import { ImportJobRow, ImportsRepository, LineReport } from './imports.repository';
/** How often an idle worker looks for queued jobs (a new upload also wakes it at once). */
const POLL_MS = 5_000;
/** Finished jobs and their reports are kept this long, then deleted. */
export const FINISHED_JOB_RETENTION_DAYS = 30;
/** Jobs a run of the worker looks at. */
const PENDING_JOBS_PER_RUN = 20;

type SectionName =
  'postalAddresses' | 'preferences' | 'ecards' | 'loyaltyPrograms' | 'customerAccounts';

export type BatchResult = 'progress' | 'done' | 'busy';

/**
 * Works import jobs: one batch of lines per short transaction, which takes the job's advisory
 * lock (pg_try_advisory_xact_lock, so an instance works a job only while it holds the lock and no
 * connection stays held between batches), writes the valid lines (each whole or not at all,
 * under a savepoint), the report rows and the job's counters, and deletes the lines it consumed.
 * A restart resumes from the last committed batch. Validation and password hashing happen before
 * the transaction, so the embedded database's only connection is held only for the writes.
 */
@Injectable()
export class ImportWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ImportWorker.name);
  private readonly sections: [SectionName, ResourceDefinition<unknown>][];
  private timer?: NodeJS.Timeout;
  private current?: Promise<void>;
  private stopping = false;
  private wanted = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: ImportsRepository,
    private readonly config: AppConfig,
    private readonly profiles: ProfilesRepository,
    private readonly store: ProfileResourceStore,
    private readonly consents: GivenConsentsService,
    private readonly audit: AuditService,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
    catalogue: PreferenceCatalogueService,
  ) {
    const preferences: ResourceDefinition<unknown> = {
      ...PREFERENCES,
      checkWrite: (manager, body) =>
        catalogue.assertCodeWritable(manager, (body as PreferenceRequestDto).preferenceCode),
    };
    this.sections = [
      ['postalAddresses', POSTAL_ADDRESSES],
      ['preferences', preferences],
      ['ecards', ECARDS],
      ['loyaltyPrograms', LOYALTY_PROGRAMS],
      ['customerAccounts', CUSTOMER_ACCOUNTS],
    ];
  }

  onApplicationBootstrap(): void {
    if (this.config.imports.workerEnabled) {
      this.schedule(0);
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.current;
  }

  /** A job was queued: look now rather than at the next poll. */
  kick(): void {
    if (!this.config.imports.workerEnabled || this.stopping) {
      return;
    }
    if (this.current) {
      this.wanted = true;
    } else {
      this.schedule(0);
    }
  }

  private schedule(delay: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.current = this.tick().finally(() => {
        this.current = undefined;
        if (!this.stopping) {
          this.schedule(this.wanted ? 0 : POLL_MS);
          this.wanted = false;
        }
      });
    }, delay);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    try {
      await this.jobs.deleteExpiredJobs(FINISHED_JOB_RETENTION_DAYS);
      for (const id of await this.jobs.pendingJobIds(PENDING_JOBS_PER_RUN)) {
        await this.work(id);
        if (this.stopping) {
          return;
        }
      }
    } catch (error) {
      this.logger.warn({ err: loggableError(error) }, 'Import worker run failed; it retries');
    }
  }

  /** Batches of one job until it ends, another instance holds it, or the service stops. */
  async work(jobId: string): Promise<void> {
    while (!this.stopping) {
      const result = await this.runBatchOrFail(jobId);
      if (result !== 'progress') {
        return;
      }
      // Let requests have the (embedded database's only) connection between batches.
      await yieldToEventLoop();
    }
  }

  private async runBatchOrFail(jobId: string): Promise<BatchResult> {
    try {
      return await this.runBatch(jobId);
    } catch (error) {
      if (databaseUnavailableReason(error)) {
        throw error;
      }
      this.logger.error({ err: loggableError(error), jobId }, 'Import job failed');
      await this.jobs.markFailed(jobId, this.clock.now());
      await this.jobs.deleteAllLines(jobId);
      return 'done';
    }
  }

  /** One batch: validate outside any transaction, then write it and its progress in one. */
  async runBatch(jobId: string): Promise<BatchResult> {
    const job = await this.jobs.findJob(jobId);
    if (!job || (job.status !== 'queued' && job.status !== 'running')) {
      return 'done';
    }
    const lines = await this.jobs.linesAfter(jobId, job.next_line, this.config.imports.batchSize);
    const checked: CheckedLine[] = [];
    for (const line of lines) {
      checked.push(
        await checkLine(job.organisation_id, line.line_no, line.body, line.problem, (p) =>
          this.hasher.hash(p),
        ),
      );
    }
    const result = await this.dataSource.transaction(async (m) => {
      if (!(await this.jobs.tryLockJob(jobId, m))) {
        return 'busy';
      }
      const current = await this.jobs.lockJob(jobId, m);
      if (
        !current ||
        (current.status !== 'queued' && current.status !== 'running') ||
        current.next_line !== job.next_line
      ) {
        // Another instance committed this batch meanwhile: read again.
        return current && current.next_line !== job.next_line ? 'progress' : 'done';
      }
      const now = this.clock.now();
      if (!lines.length) {
        await this.jobs.markSucceeded(jobId, now, m);
        await this.jobs.deleteSeenKeys(jobId, m);
        return 'done';
      }
      const outcome = await this.writeLines(m, current, checked);
      const last = lines[lines.length - 1].line_no;
      await this.jobs.recordBatch(
        jobId,
        { linesRead: lines.length, nextLine: last, ...outcome },
        now,
        m,
      );
      await this.jobs.deleteLines(jobId, current.next_line, last, m);
      return { created: current.created, added: outcome.created };
    });
    if (typeof result === 'string') {
      return result;
    }
    if (crossesAnalyzeThreshold(result.created, result.added)) {
      // A bulk load outgrows the planner's statistics long before autovacuum catches up, and the
      // duplicate check then picks a wrong index (seen: 400 instead of 2,400 profiles/s at
      // 400,000 profiles). Fresh statistics at each doubling keep the plan right.
      await this.jobs.analyzeProfiles();
    }
    return 'progress';
  }

  private async writeLines(
    m: EntityManager,
    job: ImportJobRow,
    checked: CheckedLine[],
  ): Promise<{ created: number; duplicates: number; invalid: number }> {
    const counts = { created: 0, duplicates: 0, invalid: 0 };
    const valid = checked.flatMap((c) => (c.ok ? [c.line] : []));
    const taken = await this.takenKeys(m, job, valid);
    const report: LineReport[] = [];
    const newKeys: string[] = [];
    // Lines with nothing nested are written together in one statement; the others one by one.
    const plain: ValidLine[] = [];
    for (const c of checked) {
      if (!c.ok) {
        counts.invalid += 1;
        report.push({ lineNo: c.lineNo, errors: c.errors });
        continue;
      }
      const line = c.line;
      const duplicates = duplicateErrors(line, taken);
      if (duplicates.length) {
        counts.duplicates += 1;
        report.push({ lineNo: line.lineNo, errors: duplicates });
        continue;
      }
      if (!this.hasNested(line.dto)) {
        plain.push(line);
      } else {
        const errors = await this.writeLine(m, job, line);
        if (errors.length) {
          const isDuplicate = errors.every((e) => e.kind === 'duplicate');
          counts[isDuplicate ? 'duplicates' : 'invalid'] += 1;
          report.push({ lineNo: line.lineNo, errors });
          continue;
        }
        counts.created += 1;
      }
      for (const key of keysOf(line)) {
        taken.add(key);
        newKeys.push(key);
      }
    }
    const skipped = job.dry_run ? [] : await this.insertPlain(m, job, plain);
    counts.created += plain.length - skipped.length;
    counts.duplicates += skipped.length;
    for (const line of skipped) {
      report.push({
        lineNo: line.lineNo,
        errors: [duplicate(line.email ? 'email' : 'customerRef')],
      });
    }
    await this.jobs.insertReport(job.id, report, m);
    if (job.dry_run && newKeys.length) {
      await this.jobs.addSeenKeys(job.id, newKeys, m);
    }
    return counts;
  }

  /** The e-mails and customerRefs of the batch that the organisation (or, dry, the file) holds. */
  private async takenKeys(
    m: EntityManager,
    job: ImportJobRow,
    lines: ValidLine[],
  ): Promise<Set<string>> {
    const emails = lines.flatMap((l) => (l.email ? [l.email] : []));
    const refs = lines.flatMap((l) => (l.customerRef ? [l.customerRef] : []));
    const held = await this.profiles.findTakenEmailsAndCustomerRefs(
      job.organisation_id,
      emails,
      refs,
      m,
    );
    const taken = new Set([
      ...held.emails.map((e) => `e:${e}`),
      ...held.customerRefs.map((r) => `r:${r}`),
    ]);
    if (job.dry_run) {
      const keys = [...emails.map((e) => `e:${e}`), ...refs.map((r) => `r:${r}`)];
      (await this.jobs.seenKeys(job.id, keys, m)).forEach((key) => taken.add(key));
    }
    return taken;
  }

  private hasNested(dto: ImportProfileLineDto): boolean {
    return (
      this.sections.some(([name]) => (dto[name]?.length ?? 0) > 0) ||
      (dto.givenConsents?.length ?? 0) > 0
    );
  }

  /**
   * Lines without sub-resources: their profiles in one INSERT and their audit rows in another.
   * Returns the lines a unique index refused (an e-mail or customerRef taken meanwhile).
   */
  private async insertPlain(
    m: EntityManager,
    job: ImportJobRow,
    lines: ValidLine[],
  ): Promise<ValidLine[]> {
    if (!lines.length) {
      return [];
    }
    const uuids = lines.map(() => newProfileUuid());
    const inserted = await this.profiles.insertMany(
      m,
      job.organisation_id,
      lines.map((line, i) => ({
        ...line.values,
        uuid: uuids[i],
        password_hash: line.passwordHash,
        created_by: line.dto.createdBy,
        created_by_channel: line.dto.createdByChannel,
      })),
      this.clock.now(),
    );
    const numbers = new Map(inserted.map((r) => [r.uuid, Number(r.customer_number)]));
    await this.audit.recordMany(
      m,
      lines.flatMap((line, i) => {
        const customerNumber = numbers.get(uuids[i]);
        return customerNumber === undefined
          ? []
          : [
              {
                organisationId: job.organisation_id,
                customerNumber,
                operation: 'PROFILE_IMPORTED',
                fields: [
                  ...EDITABLE_FIELDS.filter((f) => line.dto[f] !== undefined),
                  ...(line.passwordHash ? ['password'] : []),
                ],
                clientId: job.client_id,
                clientName: job.client_name,
                actor: line.dto.createdBy,
                channel: line.dto.createdByChannel,
                correlationId: job.correlation_id,
              },
            ];
      }),
    );
    return lines.filter((_, i) => !numbers.has(uuids[i]));
  }

  /** Writes one line whole (profile, sub-resources, consents, audit) or not at all. */
  private async writeLine(
    m: EntityManager,
    job: ImportJobRow,
    line: ValidLine,
  ): Promise<LineError[]> {
    try {
      await this.jobs.underSavepoint(m, !job.dry_run, () =>
        this.insertProfile(m, job, line.dto, line),
      );
      return [];
    } catch (error) {
      const errors = lineErrorsOf(error);
      if (!errors) {
        throw error;
      }
      return errors;
    }
  }

  private async insertProfile(
    m: EntityManager,
    job: ImportJobRow,
    dto: ImportProfileLineDto,
    line: ValidLine,
  ): Promise<void> {
    const organisationId = job.organisation_id;
    const row = await this.profiles.insert(m, organisationId, {
      ...line.values,
      uuid: newProfileUuid(),
      password_hash: line.passwordHash,
      created_by: dto.createdBy,
      created_by_channel: dto.createdByChannel,
      now: this.clock.now(),
    });
    const customerNumber = Number(row.customer_number);
    const fields: string[] = EDITABLE_FIELDS.filter((f) => dto[f] !== undefined);
    if (line.passwordHash) {
      fields.push('password');
    }
    for (const [name, def] of this.sections) {
      const items = dto[name] ?? [];
      for (const item of items) {
        await this.store.addWithin(def, m, organisationId, customerNumber, item);
      }
      if (items.length) {
        fields.push(name);
      }
    }
    for (const given of dto.givenConsents ?? []) {
      await this.consents.giveWithin(
        m,
        { organisationId, clientId: job.client_id },
        { ...given, customerNumber },
        {
          changedBy: given.changedBy ?? dto.createdBy,
          changedByChannel: given.changedByChannel ?? dto.createdByChannel,
        },
      );
    }
    if (dto.givenConsents?.length) {
      fields.push('givenConsents');
    }
    await this.audit.record(m, {
      organisationId,
      customerNumber,
      operation: 'PROFILE_IMPORTED',
      fields,
      clientId: job.client_id,
      clientName: job.client_name ?? undefined,
      actor: dto.createdBy,
      channel: dto.createdByChannel,
      correlationId: job.correlation_id ?? undefined,
    });
  }
}

/** Whether a batch took the job's created profiles past 5,000 × 2^k (5,000, 10,000, 20,000, …). */
export function crossesAnalyzeThreshold(before: number, added: number): boolean {
  const step = (n: number) => (n < 5_000 ? -1 : Math.floor(Math.log2(n / 5_000)));
  return added > 0 && step(before + added) > step(before);
}

function keysOf(line: ValidLine): string[] {
  return [
    ...(line.email ? [`e:${line.email}`] : []),
    ...(line.customerRef ? [`r:${line.customerRef}`] : []),
  ];
}

function duplicateErrors(line: ValidLine, taken: Set<string>): LineError[] {
  const errors: LineError[] = [];
  if (line.email && taken.has(`e:${line.email}`)) {
    errors.push(duplicate('email'));
  }
  if (line.customerRef && taken.has(`r:${line.customerRef}`)) {
    errors.push(duplicate('customerRef'));
  }
  return errors;
}

function duplicate(field: 'email' | 'customerRef'): LineError {
  const known =
    PROFILE_UNIQUE_CONSTRAINTS[
      field === 'email' ? 'uq_profiles_email' : 'uq_profiles_customer_ref'
    ];
  return {
    kind: 'duplicate',
    field,
    errorCode: known.errorCode,
    message: `${known.detail} (or earlier in the file)`,
  };
}

/** The report rows of a line the database or a rule refused; undefined for an unexpected error. */
function lineErrorsOf(error: unknown): LineError[] | undefined {
  if (error instanceof DomainException) {
    return errorsOfException(error);
  }
  if (error instanceof QueryFailedError) {
    const { code, constraint } = error as QueryFailedError & { code?: string; constraint?: string };
    if (code === '23505' && constraint === 'uq_profiles_email') {
      return [duplicate('email')];
    }
    if (code === '23505' && constraint === 'uq_profiles_customer_ref') {
      return [duplicate('customerRef')];
    }
    if (code === '23505') {
      const known = constraint
        ? { ...PROFILE_UNIQUE_CONSTRAINTS, ...RESOURCE_UNIQUE_CONSTRAINTS }[constraint]
        : undefined;
      return [
        {
          kind: 'invalid',
          field: known?.field ?? null,
          errorCode: known?.errorCode ?? ErrorCode.Conflict,
          message: known?.detail ?? 'The line conflicts with existing data',
        },
      ];
    }
    if (code && /^(22|23)/.test(code)) {
      return [
        {
          kind: 'invalid',
          field: null,
          errorCode: ErrorCode.BadRequest,
          message: 'A value is out of range or malformed',
        },
      ];
    }
  }
  return undefined;
}
