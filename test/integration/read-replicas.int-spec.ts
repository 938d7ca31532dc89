import { DataSource } from 'typeorm';
import { ConsentsCrmExportService } from '../../src/consents/crm/consents-crm-export.service';
import { ConsentsModule } from '../../src/consents/consents.module';
import { DuplicatesModule } from '../../src/duplicates/duplicates.module';
import { PossibleDuplicatesService } from '../../src/duplicates/possible-duplicates.service';
import { ProfilesModule } from '../../src/profiles/profiles.module';
import { ProfilesService } from '../../src/profiles/profiles.service';
import { profileBody } from '../factories/profile.factory';
import { ReadReplicas } from '../../src/database/read-replicas';
import { server } from '../../src/database/server.repository';
import { Metrics } from '../../src/observability/metrics';
import { eventually } from '../utils/eventually';
import { OwnPostgres } from '../utils/own-postgres';
import { callerOf, createDatabaseSlice, DatabaseSlice } from '../utils/database-slice';

jest.setTimeout(180_000);

/** Lag-tolerant reads on a streaming replica of the test's own, and the primary when it fails. */
describe('read replicas', () => {
  let primary: OwnPostgres;
  let replica: OwnPostgres;
  let slice: DatabaseSlice;
  let replicas: ReadReplicas;
  let onReplica: DataSource;

  beforeAll(async () => {
    primary = await OwnPostgres.create();
    replica = await OwnPostgres.replicaOf(primary);
    slice = await createDatabaseSlice([ConsentsModule, ProfilesModule, DuplicatesModule], {
      DATABASE_URL: primary.url,
      DATABASE_POOL_MODE: 'session',
      DATABASE_REPLICA_URLS: replica.url,
      REPLICA_CHECK_INTERVAL_MS: '200',
      REPLICA_MAX_LAG_MS: '500',
    });
    replicas = slice.moduleRef.get(ReadReplicas);
    onReplica = await new DataSource({ type: 'postgres', url: replica.url }).initialize();
  });
  afterAll(async () => {
    await onReplica?.destroy();
    await slice?.close();
    replica?.destroy();
    primary?.destroy();
  });

  /** Where a lag-tolerant read ran: true on the standby. */
  const ranOnStandby = () =>
    replicas
      .lagTolerant((m) => m.query('SELECT pg_is_in_recovery() AS standby'))
      .then(([row]: { standby: boolean }[]) => row.standby);

  it('should run lag-tolerant reads on the replica, and see the primary writes', async () => {
    expect(await ranOnStandby()).toBe(true);
    await slice.dataSource.query(
      `CREATE TABLE replica_probe (n int); INSERT INTO replica_probe VALUES (7)`,
    );
    const rows = await eventually(
      () =>
        replicas
          .lagTolerant((m) => m.query(`SELECT to_regclass('replica_probe') AS t`))
          .then(([row]: { t: string | null }[]) => row.t),
      (t) => t !== null,
    );
    expect(rows).toBe('replica_probe');
  });

  it('should serve the CRM export, paged and streamed, from the replica', async () => {
    const reads = async (target: string) => {
      const metric = await slice.moduleRef.get(Metrics).lagTolerantReads.get();
      return metric.values.find((v) => v.labels.target === target)?.value ?? 0;
    };
    const before = await reads('replica');
    const crm = slice.moduleRef.get(ConsentsCrmExportService);
    const options = { includeEmail: false, includeTelephoneNumber: false };
    expect(await crm.page(callerOf(1), { ...options, page: { after: 0n, limit: 10 } })).toEqual([]);
    let text = '';
    for await (const chunk of crm.stream(callerOf(1), options, (row) => row)) {
      text += String(chunk);
    }
    expect(text).toBe('[]');
    expect(await reads('replica')).toBe(before + 2);
  });

  it('should answer eventual searches and duplicate detection from the replica', async () => {
    const reads = async () => {
      const metric = await slice.moduleRef.get(Metrics).lagTolerantReads.get();
      return metric.values.find((v) => v.labels.target === 'replica')?.value ?? 0;
    };
    const profiles = slice.moduleRef.get(ProfilesService);
    const created = await profiles.create(callerOf(1), profileBody({ password: undefined }));
    const before = await reads();
    // A strong search finds it at once (the primary)...
    expect(await profiles.search(1, { email: created.email! })).toHaveLength(1);
    expect(await reads()).toBe(before);
    // ...an eventual one from the replica, once it has replayed the insert.
    const found = await eventually(
      () => profiles.search(1, { email: created.email!, consistency: 'eventual' }),
      (rows) => rows.length === 1,
    );
    expect(found.map((r) => r.customer_number)).toEqual([created.customer_number]);
    await slice.moduleRef
      .get(PossibleDuplicatesService)
      .find(1, Number(created.customer_number), 10);
    expect(await reads()).toBeGreaterThan(before + 1);
  });

  it('should read from the primary while the replica lags too far, and from it again after', async () => {
    await onReplica.query('SELECT pg_wal_replay_pause()');
    await slice.dataSource.query('INSERT INTO replica_probe VALUES (8)');
    expect(await eventually(ranOnStandby, (standby) => !standby)).toBe(false);
    await onReplica.query('SELECT pg_wal_replay_resume()');
    expect(await eventually(ranOnStandby, (standby) => standby)).toBe(true);
  });

  it('should read from the primary at once while the replica is down, and from it again after', async () => {
    replica.stop();
    // Before the next check notices: the export's snapshot opens on the primary, whole.
    const crm = slice.moduleRef.get(ConsentsCrmExportService);
    const options = { includeEmail: false, includeTelephoneNumber: false };
    let text = '';
    for await (const chunk of crm.stream(callerOf(1), options, (row) => row)) {
      text += String(chunk);
    }
    expect(text).toBe('[]');
    // No error for the caller: the failed read runs again on the primary.
    expect(await ranOnStandby()).toBe(false);
    expect(await ranOnStandby()).toBe(false);
    await replica.start();
    expect(await eventually(ranOnStandby, (standby) => standby)).toBe(true);
  });

  it('should count a restarted replica of an idle primary as caught up', async () => {
    replica.stop();
    await replica.start();
    const restarted = await new DataSource({ type: 'postgres', url: replica.url }).initialize();
    try {
      // Streaming again: until new WAL comes, the receiver reports its start point, the beginning
      // of a segment, behind what the replica has replayed. Nothing new is written meanwhile.
      await eventually(
        () => restarted.query('SELECT pg_last_wal_receive_lsn() AS lsn'),
        ([row]: { lsn: string | null }[]) => row.lsn !== null,
      );
      expect(await server.replicaState(restarted)).toEqual({ standby: true, lagMs: 0 });
    } finally {
      await restarted.destroy();
    }
  });
});
