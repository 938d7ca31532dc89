import { ImportLineErrorDto, ImportJobResponseDto } from './dto/import-job.dto';
import { ImportErrorRow, ImportJobRow } from './imports.repository';

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
