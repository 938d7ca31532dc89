import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ImportStatus } from './dto/import-job.dto';
import { LineError } from './import-line';
import { UploadedLine } from './ndjson-lines';

export interface ImportJobRow {
  id: string;
  organisation_id: number;
  client_id: string;
  client_name: string | null;
  correlation_id: string | null;
  status: ImportStatus | 'receiving';
  dry_run: boolean;
  lines_total: number;
  lines_read: number;
  next_line: number;
  created: number;
  duplicates: number;
  invalid: number;
  failure: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

/** A report row: one error of one refused line. */
export interface ImportErrorRow {
  line_no: number;
  seq: number;
  kind: 'invalid' | 'duplicate';
  field: string | null;
  error_code: number;
  message: string;
}

/** A staged line of an upload, waiting for the worker. */
export interface ImportLineRow {
  line_no: number;
  body: string | null;
  problem: string | null;
}

/** Who started a job, kept for its audit rows. */
export interface NewImportJob {
  id: string;
  organisationId: number;
  clientId: string;
  clientName: string | null;
  correlationId: string;
  dryRun: boolean;
  createdAt: Date;
}

/** What one batch adds to its job's counters. */
export interface BatchProgress {
  linesRead: number;
  nextLine: number;
  created: number;
  duplicates: number;
  invalid: number;
}

/** A refused line's report rows, in order. */
export interface LineReport {
  lineNo: number;
  errors: LineError[];
}

/** A report row's key, for cursors: line number × this + position within the line (< 100). */
export const REPORT_KEY_FACTOR = 100;

/** pg advisory lock class of import jobs; the second key is the job's hash. */
export const IMPORT_LOCK_KEY = 0x696d7074; // "impt"

const JOB_COLUMNS = `id, organisation_id, client_id, client_name, correlation_id, status,
  dry_run, lines_total, lines_read, next_line, created, duplicates, invalid, failure, created_at,
  started_at, finished_at`;

/**
 * The tables of import jobs: `import_jobs`, and what hangs on a job and goes with it (ON DELETE
 * CASCADE): its staged lines (`import_lines`), its report (`import_errors`) and, in a dry run,
 * the keys its lines would take (`import_job_keys`). A job is read by id; the organisation check
 * is the caller's, on the job's organisation_id.
 */
@Injectable()
export class ImportsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A job whose upload is still streaming in: the worker does not see it yet. */
  async insertReceivingJob(job: NewImportJob): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO import_jobs
         (id, organisation_id, client_id, client_name, correlation_id, status, dry_run, created_at)
       VALUES ($1, $2, $3, $4, $5, 'receiving', $6, $7)`,
      [
        job.id,
        job.organisationId,
        job.clientId,
        job.clientName,
        job.correlationId,
        job.dryRun,
        job.createdAt,
      ],
    );
  }

  /** Every line is staged: the worker may take the job. */
  async markQueued(id: string, linesTotal: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE import_jobs SET status = 'queued', lines_total = $2 WHERE id = $1`,
      [id, linesTotal],
    );
  }

  async deleteJob(id: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM import_jobs WHERE id = $1`, [id]);
  }

  async findJob(
    id: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ImportJobRow | undefined> {
    const rows: ImportJobRow[] = await manager.query(
      `SELECT ${JOB_COLUMNS} FROM import_jobs WHERE id = $1`,
      [id],
    );
    return rows[0];
  }

  /** The job, row-locked until the caller's transaction ends. */
  async lockJob(id: string, manager: EntityManager): Promise<ImportJobRow | undefined> {
    const rows: ImportJobRow[] = await manager.query(
      `SELECT ${JOB_COLUMNS} FROM import_jobs WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return rows[0];
  }

  /**
   * Takes the job's transaction-scoped advisory lock; false while another instance works it.
   */
  async tryLockJob(id: string, manager: EntityManager): Promise<boolean> {
    const [{ locked }]: { locked: boolean }[] = await manager.query(
      `SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS locked`,
      [IMPORT_LOCK_KEY, id],
    );
    return locked;
  }

  /** Jobs finished longer ago than the retention, and uploads abandoned for a day. */
  async deleteExpiredJobs(retentionDays: number): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM import_jobs WHERE (status IN ('succeeded', 'failed')
          AND finished_at < now() - make_interval(days => $1))
          OR (status = 'receiving' AND created_at < now() - interval '1 day')`,
      [retentionDays],
    );
  }

  /** Jobs waiting for the worker, oldest first. */
  async pendingJobIds(limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM import_jobs WHERE status IN ('queued', 'running')
        ORDER BY created_at LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.id);
  }

  /** Fails a job that is still open, naming the line it stopped after. */
  async markFailed(id: string, now: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE import_jobs SET status = 'failed', finished_at = $2,
              failure = 'An unexpected error stopped the job after line ' || next_line
        WHERE id = $1 AND status IN ('queued', 'running')`,
      [id, now],
    );
  }

  async markSucceeded(id: string, now: Date, manager: EntityManager): Promise<void> {
    await manager.query(
      `UPDATE import_jobs SET status = 'succeeded', finished_at = $2,
              started_at = COALESCE(started_at, $2) WHERE id = $1`,
      [id, now],
    );
  }

  /** Adds a batch to the job's counters and moves its next line on. */
  async recordBatch(
    id: string,
    progress: BatchProgress,
    now: Date,
    manager: EntityManager,
  ): Promise<void> {
    await manager.query(
      `UPDATE import_jobs SET status = 'running', started_at = COALESCE(started_at, $2),
              lines_read = lines_read + $3, next_line = $4, created = created + $5,
              duplicates = duplicates + $6, invalid = invalid + $7
        WHERE id = $1`,
      [
        id,
        now,
        progress.linesRead,
        progress.nextLine,
        progress.created,
        progress.duplicates,
        progress.invalid,
      ],
    );
  }

  async insertLines(jobId: string, lines: UploadedLine[]): Promise<void> {
    if (!lines.length) {
      return;
    }
    await this.dataSource.query(
      `INSERT INTO import_lines (job_id, line_no, body, problem)
       SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[])`,
      [jobId, lines.map((l) => l.lineNo), lines.map((l) => l.body), lines.map((l) => l.problem)],
    );
  }

  /** The next staged lines after `afterLine`, in order. */
  async linesAfter(jobId: string, afterLine: number, limit: number): Promise<ImportLineRow[]> {
    return this.dataSource.query(
      `SELECT line_no, body, problem FROM import_lines
        WHERE job_id = $1 AND line_no > $2 ORDER BY line_no LIMIT $3`,
      [jobId, afterLine, limit],
    );
  }

  /**
   * Deletes the lines a batch consumed. Bounded below too: the index entries of lines deleted by
   * earlier batches are dead until vacuum, and a range from the first line would walk all of
   * them (quadratic over a job).
   */
  async deleteLines(
    jobId: string,
    afterLine: number,
    lastLine: number,
    manager: EntityManager,
  ): Promise<void> {
    await manager.query(
      `DELETE FROM import_lines WHERE job_id = $1 AND line_no > $2 AND line_no <= $3`,
      [jobId, afterLine, lastLine],
    );
  }

  async deleteAllLines(jobId: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM import_lines WHERE job_id = $1`, [jobId]);
  }

  /** The report rows of refused lines, each error cut to its column's width. */
  async insertReport(jobId: string, report: LineReport[], manager: EntityManager): Promise<void> {
    const rows = report.flatMap((r) => r.errors.map((e, seq) => ({ ...e, lineNo: r.lineNo, seq })));
    if (!rows.length) {
      return;
    }
    await manager.query(
      `INSERT INTO import_errors (job_id, line_no, seq, kind, field, error_code, message)
       SELECT $1, * FROM unnest($2::int[], $3::smallint[], $4::text[], $5::text[], $6::int[], $7::text[])`,
      [
        jobId,
        rows.map((r) => r.lineNo),
        rows.map((r) => r.seq),
        rows.map((r) => r.kind),
        rows.map((r) => (r.field === null ? null : r.field.slice(0, 200))),
        rows.map((r) => r.errorCode),
        rows.map((r) => r.message.slice(0, 1000)),
      ],
    );
  }

  /** One page of the job's report in line order, after the row whose key is `afterKey`. */
  async reportPage(jobId: string, afterKey: bigint, limit: number): Promise<ImportErrorRow[]> {
    return this.dataSource.query(
      `SELECT line_no, seq, kind, field, error_code, message FROM import_errors
        WHERE job_id = $1 AND (line_no::bigint * ${REPORT_KEY_FACTOR} + seq) > $2
        ORDER BY line_no, seq LIMIT $3`,
      [jobId, afterKey.toString(), limit],
    );
  }

  /** Of the given keys, those that earlier lines of a dry run would already have taken. */
  async seenKeys(jobId: string, keys: string[], manager: EntityManager): Promise<string[]> {
    const rows: { key: string }[] = await manager.query(
      `SELECT key FROM import_job_keys WHERE job_id = $1 AND key = ANY($2::text[])`,
      [jobId, keys],
    );
    return rows.map((r) => r.key);
  }

  /** Keys the dry run's lines would take, so a later line with one is reported a duplicate. */
  async addSeenKeys(jobId: string, keys: string[], manager: EntityManager): Promise<void> {
    await manager.query(
      `INSERT INTO import_job_keys (job_id, key) SELECT $1, unnest($2::text[])
       ON CONFLICT DO NOTHING`,
      [jobId, keys],
    );
  }

  async deleteSeenKeys(jobId: string, manager: EntityManager): Promise<void> {
    await manager.query(`DELETE FROM import_job_keys WHERE job_id = $1`, [jobId]);
  }

  /**
   * Runs `work` under a savepoint of the batch's transaction, so a line is written whole or not
   * at all; its writes stay only with `keep` (a dry run rolls back even a line that succeeded).
   */
  async underSavepoint<T>(
    manager: EntityManager,
    keep: boolean,
    work: () => Promise<T>,
  ): Promise<T> {
    await manager.query('SAVEPOINT import_line');
    try {
      const result = await work();
      await manager.query(
        keep ? 'RELEASE SAVEPOINT import_line' : 'ROLLBACK TO SAVEPOINT import_line',
      );
      return result;
    } catch (error) {
      await manager.query('ROLLBACK TO SAVEPOINT import_line');
      throw error;
    }
  }

  /**
   * Fresh planner statistics of the profiles an import fills: a bulk load outgrows them long
   * before autovacuum catches up.
   */
  async analyzeProfiles(): Promise<void> {
    await this.dataSource.query('ANALYZE profiles');
  }
}
