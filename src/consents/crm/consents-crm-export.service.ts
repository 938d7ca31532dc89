import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock/clock';
import { RequestCaller } from '../../common/http/request-caller';
import { CrmExportOptions } from '../consent.model';
import { CrmExportRow, GivenConsentsRepository } from '../given/given-consents.repository';

/** Rows fetched per round trip while streaming the CRM export. */
export const CRM_BATCH_SIZE = 1000;

/**
 * The organisation's given consents for its data warehouse: all of them as one streamed JSON
 * array, or one page.
 */
@Injectable()
export class ConsentsCrmExportService {
  constructor(
    private readonly given: GivenConsentsRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * Everything, as one JSON array streamed from a database cursor in batches: memory stays flat
   * whatever the row count, and the cursor's connection is released when the stream ends or the
   * client goes away.
   */
  stream(
    caller: RequestCaller,
    options: CrmExportOptions,
    toJson: (row: CrmExportRow) => unknown,
  ): Readable {
    const batches = this.given.crmExportBatches(
      caller.organisationId,
      options,
      this.clock.now(),
      CRM_BATCH_SIZE,
    );
    return Readable.from(jsonArray(batches, toJson), { objectMode: false });
  }

  /** One page of the export (`options.page`), as rows: bounded, so read at once. */
  page(caller: RequestCaller, options: CrmExportOptions): Promise<CrmExportRow[]> {
    return this.given.crmExportPage(caller.organisationId, options, this.clock.now());
  }
}

/** The batches as the text of one JSON array; never holds more than one batch. */
export async function* jsonArray<T>(
  batches: AsyncIterable<T[]>,
  toJson: (row: T) => unknown,
): AsyncGenerator<string> {
  let separator = '[';
  for await (const rows of batches) {
    if (rows.length) {
      yield separator + rows.map((row) => JSON.stringify(toJson(row))).join(',');
      separator = ',';
    }
  }
  yield separator === '[' ? '[]' : ']';
}
