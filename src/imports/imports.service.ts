import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuthContext } from '../auth/auth-context';
import { Clock } from '../common/clock/clock';
import { NotFoundDomainException } from '../common/errors/domain.exception';
import { decodeCursor, encodeCursor } from '../common/http/page-cursor';
import { ImportJobResponseDto } from './dto/import-job.dto';
import { ImportWorker } from './import-worker';
import { findJob, ImportErrorRow, toImportJobResponse } from './import-jobs.repository';
import { ndjsonLines, UploadedLine } from './ndjson-lines';

/** Lines staged per INSERT while the upload streams in. */
const STAGE_CHUNK = 500;
/** Report rows per page of GET /imports/{id}. */
export const REPORT_PAGE_SIZE = 1000;
/** A report row's cursor key: line number and position within the line (< 100). */
const KEY_FACTOR = 100;

export interface ImportCaller {
  auth: AuthContext;
  correlationId: string;
}

/**
 * Starts import jobs and reports on them. The upload is staged line by line (import_lines) as it
 * streams in, never whole in memory, and the job is queued only once every line is stored, so the
 * 202 promises a job that survives a restart.
 */
@Injectable()
export class ImportsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly worker: ImportWorker,
    private readonly clock: Clock,
  ) {}

  async start(
    caller: ImportCaller,
    dryRun: boolean,
    body: AsyncIterable<Buffer | string>,
  ): Promise<ImportJobResponseDto> {
    const id = randomUUID();
    const { auth } = caller;
    await this.dataSource.query(
      `INSERT INTO import_jobs
         (id, organisation_id, client_id, client_name, correlation_id, status, dry_run, created_at)
       VALUES ($1, $2, $3, $4, $5, 'receiving', $6, $7)`,
      [
        id,
        auth.organisationId,
        auth.clientId.slice(0, 200),
        auth.clientName?.slice(0, 200) ?? null,
        caller.correlationId.slice(0, 100),
        dryRun,
        this.clock.now(),
      ],
    );
    try {
      let chunk: UploadedLine[] = [];
      let lastLine = 0;
      for await (const line of ndjsonLines(body)) {
        chunk.push(line);
        lastLine = line.lineNo;
        if (chunk.length >= STAGE_CHUNK) {
          await this.stage(id, chunk);
          chunk = [];
        }
      }
      await this.stage(id, chunk);
      await this.dataSource.query(
        `UPDATE import_jobs SET status = 'queued', lines_total = $2 WHERE id = $1`,
        [id, lastLine],
      );
    } catch (error) {
      await this.dataSource
        .query(`DELETE FROM import_jobs WHERE id = $1`, [id])
        .catch(() => undefined);
      throw error;
    }
    this.worker.kick();
    const job = (await findJob(this.dataSource.manager, id))!;
    return toImportJobResponse(job, []);
  }

  /** The job with one page of its line report; another organisation's job is 404. */
  async get(
    organisationId: number,
    id: string,
    cursor?: string,
  ): Promise<{ job: ImportJobResponseDto; nextCursor?: string }> {
    const after = cursor === undefined ? -1n : decodeCursor('cursor', cursor);
    const job = await findJob(this.dataSource.manager, id);
    if (!job || job.organisation_id !== organisationId || job.status === 'receiving') {
      throw new NotFoundDomainException('The import');
    }
    const rows: ImportErrorRow[] = await this.dataSource.query(
      `SELECT line_no, seq, kind, field, error_code, message FROM import_errors
        WHERE job_id = $1 AND (line_no::bigint * ${KEY_FACTOR} + seq) > $2
        ORDER BY line_no, seq LIMIT ${REPORT_PAGE_SIZE}`,
      [id, after.toString()],
    );
    const last = rows[rows.length - 1];
    return {
      job: toImportJobResponse(job, rows),
      nextCursor:
        rows.length === REPORT_PAGE_SIZE
          ? encodeCursor(BigInt(last.line_no) * BigInt(KEY_FACTOR) + BigInt(last.seq))
          : undefined,
    };
  }

  private async stage(id: string, lines: UploadedLine[]): Promise<void> {
    if (!lines.length) {
      return;
    }
    await this.dataSource.query(
      `INSERT INTO import_lines (job_id, line_no, body, problem)
       SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[])`,
      [id, lines.map((l) => l.lineNo), lines.map((l) => l.body), lines.map((l) => l.problem)],
    );
  }
}
