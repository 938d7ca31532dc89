import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock/clock';
import { NotFoundDomainException } from '../common/errors/domain.exception';
import { decodeCursor, encodeCursor } from '../common/http/page-cursor';
import { RequestCaller } from '../common/http/request-caller';
import { ImportJobResponseDto } from './dto/import-job.dto';
import { toImportJobResponse } from './import-job.mapper';
import { ImportWorker } from './import-worker';
import { ImportsRepository, REPORT_KEY_FACTOR } from './imports.repository';
import { ndjsonLines, UploadedLine } from './ndjson-lines';

/** Lines staged per INSERT while the upload streams in. */
const STAGE_CHUNK = 500;
/** Report rows per page of GET /imports/{id}. */
export const REPORT_PAGE_SIZE = 1000;

/**
 * Starts import jobs and reports on them. The upload is staged line by line (import_lines) as it
 * streams in, never whole in memory, and the job is queued only once every line is stored, so the
 * 202 promises a job that survives a restart.
 */
@Injectable()
export class ImportsService {
  constructor(
    private readonly jobs: ImportsRepository,
    private readonly worker: ImportWorker,
    private readonly clock: Clock,
  ) {}

  async start(
    caller: RequestCaller,
    dryRun: boolean,
    body: AsyncIterable<Buffer | string>,
  ): Promise<ImportJobResponseDto> {
    const id = randomUUID();
    await this.jobs.insertReceivingJob({
      id,
      organisationId: caller.organisationId,
      clientId: caller.clientId.slice(0, 200),
      clientName: caller.clientName?.slice(0, 200) ?? null,
      correlationId: caller.correlationId.slice(0, 100),
      dryRun,
      createdAt: this.clock.now(),
    });
    try {
      let chunk: UploadedLine[] = [];
      let lastLine = 0;
      for await (const line of ndjsonLines(body)) {
        chunk.push(line);
        lastLine = line.lineNo;
        if (chunk.length >= STAGE_CHUNK) {
          await this.jobs.insertLines(id, chunk);
          chunk = [];
        }
      }
      await this.jobs.insertLines(id, chunk);
      await this.jobs.markQueued(id, lastLine);
    } catch (error) {
      await this.jobs.deleteJob(id).catch(() => undefined);
      throw error;
    }
    this.worker.kick();
    const job = (await this.jobs.findJob(id))!;
    return toImportJobResponse(job, []);
  }

  /** The job with one page of its line report; another organisation's job is 404. */
  async get(
    organisationId: number,
    id: string,
    cursor?: string,
  ): Promise<{ job: ImportJobResponseDto; nextCursor?: string }> {
    const after = cursor === undefined ? -1n : decodeCursor('cursor', cursor);
    const job = await this.jobs.findJob(id);
    if (!job || job.organisation_id !== organisationId || job.status === 'receiving') {
      throw new NotFoundDomainException('The import');
    }
    const rows = await this.jobs.reportPage(id, after, REPORT_PAGE_SIZE);
    const last = rows[rows.length - 1];
    return {
      job: toImportJobResponse(job, rows),
      nextCursor:
        rows.length === REPORT_PAGE_SIZE
          ? encodeCursor(BigInt(last.line_no) * BigInt(REPORT_KEY_FACTOR) + BigInt(last.seq))
          : undefined,
    };
  }
}
