import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Module } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { TypeOrmModule, TypeOrmModuleOptions } from '@nestjs/typeorm';
import type { Connection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { CustomizationModule } from '../../src';
import { REPLICA_RETRY_MS } from '../../src/database/replica-cluster';
import { Client, startTestApi, TestApi } from '../support/app';
import { createLead } from '../support/builders';
import { connectTo, replicaCaughtUp, testDatabaseUrl, testReplicaUrl } from '../support/database';
import { expectProblem } from '../support/problems';
import { newTenantId } from '../support/tenants';
import { mintToken, TEST_ENCRYPTION_KEY, TEST_JWT_SECRET } from '../support/tokens';

/**
 * Read replicas on a real MariaDB primary and replica (docs/scaling.md, "Read replicas"):
 *   MARIADB_BINLOG=1 scripts/mariadb.sh start DIR_P 3352            -> TEST_DATABASE_URL
 *   scripts/mariadb.sh start-replica DIR_R 3353 DIR_P               -> TEST_REPLICA_URL; TEST_REPLICA_DIR=DIR_R
 * The app runs with the worker's database's replica as DATABASE_REPLICA_URLS, and its GETs do NOT wait
 * for the replica (replicaCatchUp: false): what analytics answer while the replica lags is under test.
 * The replica's SQL thread is stopped to hold it behind the primary; it is killed and restarted (with
 * scripts/mariadb.sh) to test the fallback. Run this file alone on its replica: other files that read
 * the same replica meanwhile would see it held and then gone.
 */
const REPLICA = process.env.TEST_REPLICA_URL;
const describeIf = REPLICA ? describe : describe.skip;
if (!REPLICA) {
  console.warn(
    'read-replica tests skipped: they need TEST_DATABASE_URL (a MariaDB primary started with MARIADB_BINLOG=1), TEST_REPLICA_URL and TEST_REPLICA_DIR (scripts/mariadb.sh start-replica)',
  );
}

// The outage test waits out the replica's retry time after a restart.
jest.setTimeout(60_000);

const SCRIPT = join(__dirname, '..', '..', 'scripts', 'mariadb.sh');
const run = promisify(execFile);
const range = { start_date: '2026-03-01', end_date: '2026-03-31' };
const lead = (day: string) => ({ source_code: 'WEBSITE', created_at: `2026-03-${day}T10:00:00Z`, expected_value: 100 });

describeIf('read replicas', () => {
  let api: TestApi;
  let primary: Connection;
  let replica: Connection;
  let replicaUrl: string;

  const leadsOnReplicaAnalytics = async (client: Client, headers?: Record<string, string>) => {
    const res = await client.get('/lead-sources/WEBSITE/performance', { query: range, headers });
    expect(res.statusCode).toBe(200);
    return res.json<{ leads_generated: number }>().leads_generated;
  };
  /** analytics_reads_total by source, from GET /metrics. */
  const answered = async (): Promise<Record<string, number>> => {
    const text = (await api.raw().get('/metrics')).body;
    const out: Record<string, number> = {};
    for (const m of text.matchAll(/^analytics_reads_total\{source="([a-z_]+)"\} (\d+)$/gm)) out[m[1]] = Number(m[2]);
    return out;
  };
  const moved = (before: Record<string, number>, after: Record<string, number>) =>
    Object.fromEntries(Object.keys(after).map((k) => [k, after[k] - (before[k] ?? 0)]));
  /**
   * The replica's own binary log (scripts/mariadb.sh: log_slave_updates off) holds only the writes
   * made on the replica itself, not what it applied from the primary.
   */
  const writtenOnReplica = async (): Promise<string> => {
    const [rows] = (await replica.query('SELECT @@gtid_binlog_pos AS pos')) as unknown as [[{ pos: string }]];
    return rows[0].pos;
  };
  const holdReplica = () => replica.query('STOP SLAVE SQL_THREAD');
  const releaseReplica = async () => {
    await replica.query('START SLAVE SQL_THREAD');
    await replicaCaughtUp(primary, replica);
  };

  beforeAll(async () => {
    replicaUrl = (await testReplicaUrl())!;
    api = await startTestApi({}, { replicaCatchUp: false });
    primary = await connectTo(await testDatabaseUrl());
    replica = await connectTo(replicaUrl);
    await replicaCaughtUp(primary, replica);
  });
  afterAll(async () => {
    await replica?.query('START SLAVE').catch(() => undefined);
    await Promise.all([primary?.end(), replica?.end()]);
    await api?.close();
  });

  it('answers analytics from the replica: a lead it has not applied yet is in CRUD reads at once but not in analytics, until replication catches up', async () => {
    const admin = api.as({ tenant: newTenantId(), role: 'admin' });
    await createLead(admin, lead('10'));
    await replicaCaughtUp(primary, replica);
    const before = await answered();
    expect(await leadsOnReplicaAnalytics(admin)).toBe(1);

    await holdReplica();
    try {
      const created = await createLead(admin, lead('11'));
      // Every non-analytics read is the primary's: the lead is there at once.
      expect((await admin.get(`/leads/${created.id}`)).statusCode).toBe(200);
      const list = (await admin.get('/leads')).json<{ data: { id: number }[] }>();
      expect(list.data.map((l) => l.id)).toContain(created.id);
      // Analytics read the replica, which has not applied it.
      expect(await leadsOnReplicaAnalytics(admin)).toBe(1);
      expect((await admin.get('/lead-sources/analytics/performance', { query: range })).json().data[0]).toMatchObject({
        source_code: 'WEBSITE',
        leads_generated: 1,
      });
    } finally {
      await releaseReplica();
    }
    expect(await leadsOnReplicaAnalytics(admin)).toBe(2);
    expect(moved(before, await answered())).toEqual({ replica: 4, primary: 0, primary_fallback: 0 });
  });

  it('X-Consistency: strong reads the primary (the request sees every acknowledged write); eventual is the default; other values are 400', async () => {
    const admin = api.as({ tenant: newTenantId(), role: 'admin' });
    await createLead(admin, lead('12'));
    await replicaCaughtUp(primary, replica);
    await holdReplica();
    try {
      await createLead(admin, lead('13'));
      const before = await answered();
      expect(await leadsOnReplicaAnalytics(admin, { 'x-consistency': 'strong' })).toBe(2);
      expect(await leadsOnReplicaAnalytics(admin, { 'x-consistency': 'eventual' })).toBe(1);
      expect(await leadsOnReplicaAnalytics(admin)).toBe(1);
      expect(moved(before, await answered())).toEqual({ replica: 2, primary: 1, primary_fallback: 0 });
      const bad = await admin.get('/lead-sources/WEBSITE/performance', { query: range, headers: { 'x-consistency': 'linearizable' } });
      expectProblem(bad, 400, 'VALIDATION_FAILED');
      expect(bad.json().errors).toEqual([{ field: 'X-Consistency', message: 'X-Consistency must be eventual or strong' }]);
    } finally {
      await releaseReplica();
    }
  });

  it("reads the primary in a new tenant's first request, which registers it: its defaults are there, not yet on the held replica", async () => {
    await holdReplica();
    try {
      const viewer = api.as({ tenant: newTenantId(), role: 'viewer' });
      const before = await answered();
      const first = (await viewer.get('/milestones/analytics/completion', { query: range })).json<{ details: { type_code: string }[] }>();
      expect(first.details.map((d) => d.type_code)).toContain('CONVERTED');
      // Its next request reads the replica, which has not applied the registration yet.
      const second = (await viewer.get('/milestones/analytics/completion', { query: range })).json<{ details: unknown[] }>();
      expect(second.details).toEqual([]);
      expect(moved(before, await answered())).toEqual({ replica: 1, primary: 1, primary_fallback: 0 });
    } finally {
      await releaseReplica();
    }
  });

  it('writes land on the primary only: the replica runs no client write and refuses one sent to it', async () => {
    const tenant = newTenantId();
    const admin = api.as({ tenant, role: 'admin' });
    const contacted = async (c: Connection, id: number) => {
      const [rows] = (await c.query("SELECT COUNT(*) AS n FROM leads WHERE tenant_id = ? AND id = ? AND status = 'contacted'", [tenant, id])) as unknown as [
        [{ n: number }],
      ];
      return Number(rows[0].n);
    };
    expect(await writtenOnReplica()).toBe('');
    await holdReplica();
    let id!: number;
    try {
      id = (await createLead(admin, lead('14'))).id;
      expect((await admin.patch(`/leads/${id}`, { status: 'contacted' })).statusCode).toBe(200);
      expect((await admin.get('/lead-sources/analytics/performance', { query: range })).statusCode).toBe(200);
      expect([await contacted(primary, id), await contacted(replica, id)]).toEqual([1, 0]);
    } finally {
      await releaseReplica();
    }
    // The replica has it through replication only: no client of the replica wrote anything.
    expect(await contacted(replica, id)).toBe(1);
    expect(await writtenOnReplica()).toBe('');

    // A replica connection of the app is bounded like the primary's (DB_QUERY_TIMEOUT_MS, default 30 s)
    // and read-only: a write sent there fails loudly (read-only session and server).
    const runner = api.app.get(DataSource).createQueryRunner('slave');
    try {
      const [session] = (await runner.query('SELECT @@session.max_statement_time AS bound, @@session.tx_read_only AS readOnly, @@server_id AS server')) as {
        bound: string;
        readOnly: number;
        server: number;
      }[];
      expect([Number(session.bound), Number(session.readOnly), Number(session.server)]).toEqual([
        30,
        1,
        Number(new URL(replicaUrl.replace(/^\w+:/, 'http:')).port),
      ]);
      await expect(runner.query('UPDATE tenants SET created_at = created_at')).rejects.toThrow(/read.only|READ ONLY/i);
    } finally {
      await runner.release();
    }
  });

  it('answers analytics from the primary while the replica is down, without waiting on it per request, warns once, and reads the replica again once it is back', async () => {
    const dir = process.env.TEST_REPLICA_DIR;
    if (!dir) throw new Error('TEST_REPLICA_DIR (the replica instance scripts/mariadb.sh start-replica made) is needed to stop the replica');
    const admin = api.as({ tenant: newTenantId(), role: 'admin' });
    for (const day of ['15', '16', '17']) await createLead(admin, lead(day));
    await replicaCaughtUp(primary, replica);
    expect(await leadsOnReplicaAnalytics(admin)).toBe(3);
    const warnings = () => api.logs.lines.filter((l) => l.includes('the read replicas cannot answer analytics')).length;
    const warned = warnings();

    await replica.end().catch(() => undefined);
    await run(SCRIPT, ['kill', dir]);
    try {
      await createLead(admin, lead('18')); // written while the replica is down: the primary's answer has it
      const before = await answered();
      const started = performance.now();
      for (let i = 0; i < 10; i++) expect(await leadsOnReplicaAnalytics(admin)).toBe(4);
      const perRequestMs = (performance.now() - started) / 10;
      expect(moved(before, await answered())).toEqual({ replica: 0, primary: 0, primary_fallback: 10 });
      expect(warnings()).toBe(warned + 1);
      expect((await api.raw().get('/metrics')).body).toMatch(/^analytics_replica_down 1$/m);
      // No connection attempt per request: well under a connect timeout.
      expect(perRequestMs).toBeLessThan(500);
    } finally {
      await run(SCRIPT, ['restart', dir]);
      replica = await connectTo(replicaUrl);
    }
    await replicaCaughtUp(primary, replica);

    // Once the retry time has passed, the next analytics request tries the replica again and it answers.
    await new Promise((r) => setTimeout(r, REPLICA_RETRY_MS));
    const before = await answered();
    expect(await leadsOnReplicaAnalytics(admin)).toBe(4);
    expect(moved(before, await answered())).toEqual({ replica: 1, primary: 0, primary_fallback: 0 });
    expect((await api.raw().get('/metrics')).body).toMatch(/^analytics_replica_down 0$/m);
    expect(api.logs.lines.some((l) => l.includes('a read replica answers analytics again'))).toBe(true);
  });
  describe('in a host application that configures replication on its own DataSource', () => {
    /** A host's TypeORM replication (mysql2's own pool cluster), with our module and its routes on it. */
    const opened: DataSource[] = [];
    afterAll(async () => {
      for (const ds of opened) if (ds.isInitialized) await ds.destroy();
    });
    const startHost = async (defaultMode: 'master' | 'slave'): Promise<NestFastifyApplication> => {
      const url = (u: string) => u.replace(/^mariadb:/, 'mysql:');
      const options = {
        type: 'mariadb',
        replication: { master: { url: url(await testDatabaseUrl()) }, slaves: [{ url: url(replicaUrl) }], defaultMode, restoreNodeTimeout: 1_000 },
        autoLoadEntities: true,
        charset: 'utf8mb4_unicode_ci',
        timezone: 'Z',
        dateStrings: ['DATE'],
        supportBigNumbers: true,
        bigNumberStrings: false,
      } as TypeOrmModuleOptions;
      @Module({
        imports: [
          // Kept, so that a start refused after the DataSource connected still closes it.
          TypeOrmModule.forRootAsync({
            useFactory: () => options,
            dataSourceFactory: async (o) => {
              const ds = new DataSource(o!);
              opened.push(ds);
              return ds.initialize();
            },
          }),
          CustomizationModule.forRoot({ encryptionKey: TEST_ENCRYPTION_KEY, http: { jwt: { secret: TEST_JWT_SECRET } } }),
        ],
      })
      class HostModule {}
      const moduleRef = await Test.createTestingModule({ imports: [HostModule] }).compile();
      const app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
      await app.init();
      await app.getHttpAdapter().getInstance().ready();
      return app;
    };

    it("reads analytics from the host's replica and everything else from its primary", async () => {
      const app = await startHost('master');
      try {
        const tenant = newTenantId();
        const token = await mintToken({ tenant, role: 'admin' });
        const call = async (method: 'GET' | 'POST', path: string, o: { body?: unknown; headers?: Record<string, string> } = {}) => {
          const res = await app
            .getHttpAdapter()
            .getInstance()
            .inject({
              method,
              url: path,
              headers: { authorization: `Bearer ${token}`, ...(o.body ? { 'content-type': 'application/json' } : {}), ...o.headers },
              payload: o.body ? JSON.stringify(o.body) : undefined,
            });
          return { statusCode: res.statusCode, json: () => JSON.parse(res.body) };
        };
        const generated = async (headers?: Record<string, string>) =>
          (await call('GET', `/lead-sources/WEBSITE/performance?start_date=${range.start_date}&end_date=${range.end_date}`, { headers })).json()
            .leads_generated;
        expect((await call('POST', '/leads', { body: lead('20') })).statusCode).toBe(201);
        await replicaCaughtUp(primary, replica);
        await holdReplica();
        try {
          const created = await call('POST', '/leads', { body: lead('21') });
          expect(created.statusCode).toBe(201);
          expect((await call('GET', `/leads/${created.json().id}`)).statusCode).toBe(200);
          expect(await generated()).toBe(1);
          expect(await generated({ 'x-consistency': 'strong' })).toBe(2);
        } finally {
          await releaseReplica();
        }
        expect(await generated()).toBe(2);
      } finally {
        await app.close();
      }
    });

    it("refuses to start on a DataSource whose reads go to replicas by default (TypeORM's default)", async () => {
      await expect(startHost('slave')).rejects.toThrow("set replication.defaultMode: 'master'");
    });
  });
});
