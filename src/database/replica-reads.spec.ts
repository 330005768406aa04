import type { DataSource, EntityManager } from 'typeorm';
import { requirePrimaryReads } from './host-connection';
import { ReadSource, ReplicaReads, routedManager } from './replica-reads';

/** A replicated DataSource whose 'slave' runners connect (or fail to) as told, counting them. */
function fakeDataSource(opts: { replicated?: boolean; connect?: () => Promise<void> } = {}) {
  const runners: { mode: string; released: boolean; manager: EntityManager }[] = [];
  const dataSource = {
    driver: { isReplicated: opts.replicated ?? true },
    manager: { name: 'primary' } as unknown as EntityManager,
    defaultReplicationModeForReads: () => 'master',
    createQueryRunner(mode: string) {
      const runner = {
        mode,
        released: false,
        manager: { name: `replica-${runners.length}` } as unknown as EntityManager,
        connect: opts.connect ?? (() => Promise.resolve()),
        release: () => {
          runner.released = true;
          return Promise.resolve();
        },
      };
      runners.push(runner);
      return runner;
    },
  } as unknown as DataSource;
  return { dataSource, runners };
}

const connectionLost = () => Object.assign(new Error('Connection lost: The server closed the connection.'), { code: 'PROTOCOL_CONNECTION_LOST', fatal: true });

function reads(ds: DataSource) {
  const r = new ReplicaReads(ds);
  const sources: ReadSource[] = [];
  r.onAnswer((s) => sources.push(s));
  const warn = jest.spyOn((r as unknown as { logger: { warn: () => void } }).logger, 'warn').mockImplementation(() => undefined);
  const log = jest.spyOn((r as unknown as { logger: { log: () => void } }).logger, 'log').mockImplementation(() => undefined);
  /** The work of a request: the name of the manager its reads would use. */
  const work = () => Promise.resolve((routedManager(ds) as unknown as { name: string } | undefined)?.name ?? 'primary');
  return { r, sources, warn, log, work };
}

describe('ReplicaReads', () => {
  it("runs analytics with their reads on one replica runner's manager, released after", async () => {
    const { dataSource, runners } = fakeDataSource();
    const { r, sources, work } = reads(dataSource);
    expect(await r.read(work, false)).toBe('replica-0');
    expect(runners.map((x) => [x.mode, x.released])).toEqual([['slave', true]]);
    expect(sources).toEqual(['replica']);
    // Outside the request, nothing is routed.
    expect(routedManager(dataSource)).toBeUndefined();
  });

  it('reads the primary when asked (strong, or a request that wrote) and when there is no replica', async () => {
    const replicated = fakeDataSource();
    const a = reads(replicated.dataSource);
    expect(await a.r.read(a.work, true)).toBe('primary');
    expect(replicated.runners).toEqual([]);
    const single = fakeDataSource({ replicated: false });
    const b = reads(single.dataSource);
    expect(await b.r.read(b.work, false)).toBe('primary');
    expect(single.runners).toEqual([]);
    expect([...a.sources, ...b.sources]).toEqual(['primary', 'primary']);
  });

  it('answers from the primary when no replica connection comes, whatever the error, warning once per outage', async () => {
    let fail: Error | undefined = Object.assign(new Error('Access denied for user'), { code: 'ER_ACCESS_DENIED_ERROR' });
    const { dataSource, runners } = fakeDataSource({ connect: () => (fail ? Promise.reject(fail) : Promise.resolve()) });
    const { r, sources, warn, log, work } = reads(dataSource);
    expect(await r.read(work, false)).toBe('primary');
    fail = Object.assign(new Error('No read replica is in service'), { code: 'NO_REPLICA_AVAILABLE' });
    expect(await r.read(work, false)).toBe('primary');
    expect(r.down).toBe(true);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith({ code: 'ER_ACCESS_DENIED_ERROR' }, expect.stringContaining('the primary answers them'));
    fail = undefined;
    expect(await r.read(work, false)).toBe('replica-2');
    expect(r.down).toBe(false);
    expect(log).toHaveBeenCalledTimes(1);
    expect(sources).toEqual(['primary_fallback', 'primary_fallback', 'replica']);
    expect(runners.every((x) => x.released)).toBe(true);
  });

  it('runs the request again on the primary when the replica drops it midway, and lets the request’s own errors through', async () => {
    const { dataSource } = fakeDataSource();
    const { r, sources } = reads(dataSource);
    const calls: string[] = [];
    const flaky = async () => {
      const on = (routedManager(dataSource) as unknown as { name: string } | undefined)?.name ?? 'primary';
      calls.push(on);
      if (on !== 'primary') throw Object.assign(new Error('Query failed'), { driverError: connectionLost() });
      return 'answer';
    };
    expect(await r.read(flaky, false)).toBe('answer');
    expect(calls).toEqual(['replica-0', 'primary']);
    const behind = async () => {
      if (routedManager(dataSource)) throw Object.assign(new Error("Table 'app.leads' doesn't exist"), { driverError: { code: 'ER_NO_SUCH_TABLE' } });
      return 'answer';
    };
    expect(await r.read(behind, false)).toBe('answer');
    const notFound = Object.assign(new Error('No milestone type DEMO'), { status: 404 });
    await expect(r.read(() => Promise.reject(notFound), false)).rejects.toBe(notFound);
    expect(sources).toEqual(['primary_fallback', 'primary_fallback']);
  });
});

describe('requirePrimaryReads', () => {
  it("refuses a replicated DataSource whose reads go to replicas by default, and takes one with defaultMode 'master'", () => {
    const ds = (replicated: boolean, mode: string) =>
      ({ driver: { isReplicated: replicated }, defaultReplicationModeForReads: () => mode }) as unknown as DataSource;
    expect(() => requirePrimaryReads(ds(true, 'slave'))).toThrow("set replication.defaultMode: 'master'");
    expect(requirePrimaryReads(ds(true, 'master'))).toBe(true);
    expect(requirePrimaryReads(ds(false, 'slave'))).toBe(true);
  });
});
