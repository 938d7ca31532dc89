import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { Clock } from '../common/clock/clock';
import { ValidationDomainException } from '../common/errors/domain.exception';
import { toProfileResponse } from '../profiles/profile.mapper';
import { ReadReplicas } from '../database/read-replicas';
import { ProfileSearchFilter, resolveProfileFilter } from '../profiles/profile-search';
import { CustomerExportRepository } from './customer-export.repository';
import { ExportProfilesQueryDto } from './dto/export-profiles-query.dto';

/** The organisation's profiles a bulk export selects. */
interface ExportSelection {
  filter: ProfileSearchFilter;
  changedSince?: Date;
}

/** Rows fetched from the cursor at a time: memory stays flat whatever the organisation's size. */
const BATCH_SIZE = 500;

/**
 * The bulk export of an organisation's profiles as NDJSON (one profile per line, as GET returns
 * it), ordered by customerNumber, read from a server-side cursor in one REPEATABLE READ snapshot,
 * on a read replica when one is usable.
 */
@Injectable()
export class ProfilesExportService {
  constructor(
    private readonly replicas: ReadReplicas,
    private readonly reads: CustomerExportRepository,
    private readonly clock: Clock,
  ) {}

  /** How many profiles the export will hold (for a progress bar). */
  async count(organisationId: number, query: ExportProfilesQueryDto): Promise<number> {
    const selection = this.selection(organisationId, query);
    if (!selection) {
      return 0;
    }
    return this.replicas.lagTolerant((manager) =>
      this.reads.countProfiles(selection.filter, selection.changedSince, manager),
    );
  }

  /** Checks the filters at once (400 before anything is streamed), then streams. */
  export(organisationId: number, query: ExportProfilesQueryDto): Readable {
    const selection = this.selection(organisationId, query);
    return Readable.from(selection ? this.lines(selection) : [], { objectMode: false });
  }

  private selection(organisationId: number, query: ExportProfilesQueryDto): ExportSelection | null {
    const filter = resolveProfileFilter(organisationId, query, this.clock.now(), {
      requireCriterion: false,
    });
    if (!filter || query.changedSince === undefined) {
      return filter && { filter };
    }
    const changedSince = new Date(query.changedSince);
    if (Number.isNaN(changedSince.getTime())) {
      throw new ValidationDomainException('changedSince is not a moment', [
        { field: 'changedSince', message: 'changedSince must be an ISO 8601 date-time' },
      ]);
    }
    return { filter, changedSince };
  }

  private async *lines({ filter, changedSince }: ExportSelection): AsyncGenerator<string> {
    // An export tolerates lag: a usable replica serves it, else the primary.
    const runner = await this.replicas.lagTolerantSnapshot();
    try {
      const batches = this.reads.profileBatches(filter, changedSince, BATCH_SIZE, runner.manager);
      for await (const rows of batches) {
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
