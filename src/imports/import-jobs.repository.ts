import { EntityManager } from 'typeorm';
import { ImportLineErrorDto, ImportJobResponseDto, ImportStatus } from './dto/import-job.dto';

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

export interface ImportErrorRow {
  line_no: number;
  seq: number;
  kind: 'invalid' | 'duplicate';
  field: string | null;
  error_code: number;
  message: string;
}

export const JOB_COLUMNS = `id, organisation_id, client_id, client_name, correlation_id, status,
  dry_run, lines_total, lines_read, next_line, created, duplicates, invalid, failure, created_at,
  started_at, finished_at`;

export async function findJob(
  m: EntityManager,
  id: string,
  forUpdate = false,
): Promise<ImportJobRow | undefined> {
  const rows: ImportJobRow[] = await m.query(
    `SELECT ${JOB_COLUMNS} FROM import_jobs WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0];
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export function toImportJobResponse(
  job: ImportJobRow,
  errors: ImportErrorRow[],
): ImportJobResponseDto {
  return {
    id: job.id,
    status: job.status === 'receiving' ? 'queued' : job.status,
    dryRun: job.dry_run,
    progress: {
      linesTotal: job.lines_total,
      linesRead: job.lines_read,
      linesWritten: job.dry_run ? 0 : job.created,
    },
    counts: { created: job.created, duplicates: job.duplicates, invalid: job.invalid },
    createdAt: iso(job.created_at)!,
    startedAt: iso(job.started_at),
    finishedAt: iso(job.finished_at),
    failure: job.failure,
    errors: errors.map((e): ImportLineErrorDto => ({
      line: e.line_no,
      kind: e.kind,
      field: e.field,
      errorCode: e.error_code,
      message: e.message,
    })),
  };
}
