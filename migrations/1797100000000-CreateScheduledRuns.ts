import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One row per run of a scheduled job per tick: every instance schedules the job, the first to
 * insert the tick's row runs it. Works on any connection, a transaction pooler's included, where
 * a session advisory lock held between transactions would not.
 */
export class CreateScheduledRuns1797100000000 implements MigrationInterface {
  name = 'CreateScheduledRuns1797100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE scheduled_runs (
        job varchar(50) NOT NULL,
        tick timestamptz NOT NULL,
        instance varchar(200) NOT NULL,
        claimed_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_scheduled_runs PRIMARY KEY (job, tick)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE scheduled_runs`);
  }
}
