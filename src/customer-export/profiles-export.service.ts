import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { ValidationDomainException } from '../common/errors/domain.exception';
import { toProfileResponse } from '../profiles/profile.mapper';
import { profileColumns, ProfileRow } from '../profiles/profile-row';
import { buildProfileFilter, ProfileFilter } from '../profiles/profile-search';
import { ExportProfilesQueryDto } from './dto/export-profiles-query.dto';

/** Rows fetched from the cursor at a time: memory stays flat whatever the organisation's size. */
const BATCH_SIZE = 500;

/**
 * The bulk export of an organisation's profiles as NDJSON (one profile per line, as GET returns
 * it), ordered by customerNumber, read from a server-side cursor in one REPEATABLE READ snapshot.
 */
@Injectable()
export class ProfilesExportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** How many profiles the export will hold (for a progress bar). */
  async count(organisationId: number, query: ExportProfilesQueryDto): Promise<number> {
    const filter = this.filter(organisationId, query);
    if (!filter) {
      return 0;
    }
    const [{ count }]: { count: string }[] = await this.dataSource.query(
      `SELECT count(*) AS count FROM profiles p WHERE ${filter.where}`,
      filter.params,
    );
    return Number(count);
  }

  /** Checks the filters at once (400 before anything is streamed), then streams. */
  export(organisationId: number, query: ExportProfilesQueryDto): Readable {
    const filter = this.filter(organisationId, query);
    return Readable.from(filter ? this.lines(filter) : [], { objectMode: false });
  }

  private filter(organisationId: number, query: ExportProfilesQueryDto): ProfileFilter | null {
    const filter = buildProfileFilter(organisationId, query, this.clock.now(), {
      requireCriterion: false,
    });
    if (filter && query.changedSince !== undefined) {
      const since = new Date(query.changedSince);
      if (Number.isNaN(since.getTime())) {
        throw new ValidationDomainException('changedSince is not a moment', [
          { field: 'changedSince', message: 'changedSince must be an ISO 8601 date-time' },
        ]);
      }
      filter.params.push(since);
      filter.where += ` AND p.changed_at >= $${filter.params.length}`;
    }
    return filter;
  }

  private async *lines(filter: ProfileFilter): AsyncGenerator<string> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction('REPEATABLE READ');
      await runner.query(
        `DECLARE profiles_export NO SCROLL CURSOR FOR
           SELECT ${profileColumns('p')} FROM profiles p
            WHERE ${filter.where} ORDER BY p.customer_number`,
        filter.params,
      );
      for (;;) {
        const rows: ProfileRow[] = await runner.query(`FETCH ${BATCH_SIZE} FROM profiles_export`);
        if (!rows.length) {
          break;
        }
        yield rows.map((row) => `${JSON.stringify(toProfileResponse(row))}\n`).join('');
      }
      await runner.commitTransaction();
    } finally {
      if (runner.isTransactionActive) {
        await runner.rollbackTransaction();
      }
      await runner.release();
    }
  }
}
