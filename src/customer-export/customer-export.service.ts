import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Readable } from 'node:stream';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { toAuditEventResponse } from '../audit/dto/audit-event-response.dto';
import { Clock } from '../common/clock/clock';
import { NotFoundDomainException } from '../common/errors/domain.exception';
import { RequestCaller } from '../common/http/request-caller';
import { EventRow, toCloudEvent } from '../events/change-event';
import { EventsRepository } from '../events/events.repository';
import { GivenConsentsService } from '../consents/given/given-consents.service';
import { toGivenConsentResponse, toHistoryEntryResponse } from '../consents/v2/consents-v2.mapper';
import { CUSTOMER_ACCOUNTS } from '../profile-resources/customer-accounts/customer-account.dto';
import { ECARDS } from '../profile-resources/ecards/ecard.dto';
import { LOYALTY_PROGRAMS } from '../profile-resources/loyalty-programs/loyalty-program.dto';
import { NOTES } from '../profile-resources/notes/note.dto';
import { POSTAL_ADDRESSES } from '../profile-resources/postal-addresses/postal-address.dto';
import { PREFERENCES } from '../profile-resources/preferences/preference.dto';
import { ResourceDefinition, Row } from '../profile-resources/resource-definition';
import { ProfileAccessService } from '../profiles/profile-access.service';
import { toProfileResponse } from '../profiles/profile.mapper';
import { CustomerExportRepository } from './customer-export.repository';

/** Rows read per statement: a long history streams in pages instead of sitting in memory. */
const PAGE_SIZE = 500;

/** The sub-resource sections of the document, in order, by their JSON member. */
const RESOURCE_SECTIONS: [string, ResourceDefinition<unknown>][] = [
  ['postalAddresses', POSTAL_ADDRESSES],
  ['preferences', PREFERENCES],
  ['ecards', ECARDS],
  ['loyaltyPrograms', LOYALTY_PROGRAMS],
  ['customerAccounts', CUSTOMER_ACCOUNTS],
  ['notes', NOTES],
];

/**
 * The access export (GDPR articles 15 and 20): one JSON document with everything held about one
 * customer of the caller's organisation, read in one REPEATABLE READ snapshot and streamed in
 * pages. The export itself is audited before the first byte is sent.
 */
@Injectable()
export class CustomerExportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reads: CustomerExportRepository,
    private readonly access: ProfileAccessService,
    private readonly audit: AuditService,
    private readonly consents: GivenConsentsService,
    private readonly events: EventsRepository,
    private readonly clock: Clock,
  ) {}

  /** 404 before anything is streamed for a customer the caller may not see. */
  async export(caller: RequestCaller, customerNumber: number): Promise<Readable> {
    const { organisationId } = caller;
    await this.dataSource.transaction(async (m) => {
      await this.access.require(organisationId, customerNumber, m);
      await this.audit.record(m, {
        organisationId,
        customerNumber,
        operation: 'PROFILE_EXPORTED',
        fields: [],
        clientId: caller.clientId,
        clientName: caller.clientName,
        correlationId: caller.correlationId,
      });
    });
    return Readable.from(this.document(caller, customerNumber), { objectMode: false });
  }

  private async *document(viewer: RequestCaller, customerNumber: number): AsyncGenerator<string> {
    const { organisationId } = viewer;
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction('REPEATABLE READ');
      const m = runner.manager;
      const row = await this.reads.findProfile(organisationId, customerNumber, m);
      if (!row) {
        // Purged between the check and the snapshot: the stream fails rather than lie.
        throw new NotFoundDomainException(`Profile ${customerNumber}`);
      }
      yield (
        '{' +
        member('exportedAt', this.clock.now().toISOString()) +
        ',' +
        member('organisationId', organisationId) +
        ',' +
        member('customerNumber', customerNumber) +
        ',' +
        member('profile', toProfileResponse(row)) +
        ',' +
        member('hasPassword', row.has_password)
      );
      for (const [name, def] of RESOURCE_SECTIONS) {
        const pages = keysetPages((after) =>
          this.reads.resourcePage(def, organisationId, customerNumber, after, PAGE_SIZE, m),
        );
        yield* this.section(name, pages, (r) => def.toResponse(r));
      }
      yield* this.givenConsents(m, viewer, customerNumber);
      const auditPages = keysetPages((after) =>
        this.reads.auditPage(organisationId, customerNumber, after, PAGE_SIZE, m),
      );
      yield* this.section('auditTrail', auditPages, toAuditEventResponse);
      yield* this.section('events', this.eventsOf(m, organisationId, customerNumber), toCloudEvent);
      yield '}';
      await runner.commitTransaction();
    } finally {
      if (runner.isTransactionActive) {
        await runner.rollbackTransaction();
      }
      await runner.release();
    }
  }

  private async *givenConsents(
    m: EntityManager,
    viewer: RequestCaller,
    customerNumber: number,
  ): AsyncGenerator<string> {
    const { organisationId } = viewer;
    const now = this.clock.now();
    const consents = this.consents;
    async function* pages(): AsyncGenerator<unknown[]> {
      const given = await consents.listAllOfCustomerWithin(m, organisationId, customerNumber);
      for (let start = 0; start < given.length; start += PAGE_SIZE) {
        const page = await consents.withConsents(
          organisationId,
          given.slice(start, start + PAGE_SIZE),
          m,
        );
        const exported = [];
        for (const g of page) {
          const history = await consents.historyWithin(m, organisationId, g.id);
          exported.push({
            ...toGivenConsentResponse(g, now, viewer),
            history: history.map(toHistoryEntryResponse),
          });
        }
        yield exported;
      }
    }
    yield* this.section('givenConsents', pages(), (r) => r);
  }

  /** The change events about the customer that are still kept, as one page. */
  private async *eventsOf(
    m: EntityManager,
    organisationId: number,
    customerNumber: number,
  ): AsyncGenerator<EventRow[]> {
    yield await this.events.ofCustomer(m, organisationId, customerNumber);
  }

  /** `,"name":[…]` from pages of rows, each row mapped to its JSON shape. */
  private async *section<T>(
    name: string,
    pages: AsyncGenerator<T[]>,
    toJson: (row: T) => unknown,
  ): AsyncGenerator<string> {
    yield `,${JSON.stringify(name)}:[`;
    let separator = '';
    for await (const rows of pages) {
      if (rows.length) {
        yield separator + rows.map((r) => JSON.stringify(toJson(r))).join(',');
        separator = ',';
      }
    }
    yield ']';
  }
}

/** Every page `read` gives, from the first id on, until a page comes back short. */
async function* keysetPages<T extends Row>(
  read: (afterId: bigint) => Promise<T[]>,
): AsyncGenerator<T[]> {
  let after = 0n;
  for (;;) {
    const rows = await read(after);
    yield rows;
    if (rows.length < PAGE_SIZE) {
      return;
    }
    after = BigInt(rows[rows.length - 1].id);
  }
}

function member(name: string, value: unknown): string {
  return `${JSON.stringify(name)}:${JSON.stringify(value)}`;
}
