import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bulk import jobs. The upload is staged line by line in import_lines before the job is accepted,
 * so a job survives a restart and any instance can work it; a worker consumes the lines in
 * batches, each batch committed with the job's counters and its report rows. import_job_keys
 * holds the e-mails and customerRefs a dry run would have created (a dry run writes no profile,
 * yet must report a later line of the same file as a duplicate).
 */
export class CreateImportJobs1796800000000 implements MigrationInterface {
  name = 'CreateImportJobs1796800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE import_jobs (
        id uuid PRIMARY KEY,
        organisation_id integer NOT NULL,
        client_id varchar(200) NOT NULL,
        client_name varchar(200),
        correlation_id varchar(100),
        status varchar(12) NOT NULL,
        dry_run boolean NOT NULL DEFAULT false,
        lines_total integer NOT NULL DEFAULT 0,
        lines_read integer NOT NULL DEFAULT 0,
        next_line integer NOT NULL DEFAULT 0,
        created integer NOT NULL DEFAULT 0,
        duplicates integer NOT NULL DEFAULT 0,
        invalid integer NOT NULL DEFAULT 0,
        failure varchar(500),
        created_at timestamptz NOT NULL,
        started_at timestamptz,
        finished_at timestamptz,
        CONSTRAINT fk_import_jobs_organisation FOREIGN KEY (organisation_id)
          REFERENCES organisations (id),
        CONSTRAINT ck_import_jobs_status
          CHECK (status IN ('receiving', 'queued', 'running', 'succeeded', 'failed'))
      )`);
    await db.query(
      `CREATE INDEX ix_import_jobs_pending ON import_jobs (created_at)
        WHERE status IN ('queued', 'running')`,
    );
    await db.query(`
      CREATE TABLE import_lines (
        job_id uuid NOT NULL REFERENCES import_jobs (id) ON DELETE CASCADE,
        line_no integer NOT NULL,
        body text,
        problem varchar(200),
        PRIMARY KEY (job_id, line_no)
      )`);
    await db.query(`
      CREATE TABLE import_errors (
        job_id uuid NOT NULL REFERENCES import_jobs (id) ON DELETE CASCADE,
        line_no integer NOT NULL,
        seq smallint NOT NULL,
        kind varchar(10) NOT NULL,
        field varchar(200),
        error_code integer NOT NULL,
        message varchar(1000) NOT NULL,
        PRIMARY KEY (job_id, line_no, seq),
        CONSTRAINT ck_import_errors_kind CHECK (kind IN ('invalid', 'duplicate'))
      )`);
    await db.query(`
      CREATE TABLE import_job_keys (
        job_id uuid NOT NULL REFERENCES import_jobs (id) ON DELETE CASCADE,
        key text NOT NULL,
        PRIMARY KEY (job_id, key)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE import_job_keys`);
    await db.query(`DROP TABLE import_errors`);
    await db.query(`DROP TABLE import_lines`);
    await db.query(`DROP TABLE import_jobs`);
  }
}
