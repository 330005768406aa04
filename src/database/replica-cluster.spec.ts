import { ClusterConnection, ClusterPool, NO_REPLICA, ReplicaCluster } from './replica-cluster';

/** A pool that answers with the error set in `failWith` (or a connection), counting its attempts. */
class FakePool implements ClusterPool {
  attempts = 0;
  ended = false;
  failWith?: Error & { code?: string };

  constructor(readonly name: string) {}

  getConnection(cb: (err: Error | null, connection?: ClusterConnection) => void): void {
    this.attempts += 1;
    if (this.failWith) cb(this.failWith);
    else cb(null, Object.assign({ release: () => undefined }, { from: this.name }));
  }

  end(cb?: (err?: Error | null) => void): void {
    this.ended = true;
    cb?.(null);
  }
}

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3353'), { code: 'ECONNREFUSED' });

function cluster(replicas: number) {
  let clock = 1_000;
  const pools: FakePool[] = [];
  const made: { replica: boolean; config: unknown }[] = [];
  const c = new ReplicaCluster(
    (config, replica) => {
      made.push({ replica, config });
      const pool = new FakePool(String((config as { name: string }).name));
      pools.push(pool);
      return pool;
    },
    5_000,
    () => clock,
  );
  for (let i = 0; i < replicas; i++) c.add(`SLAVE${i}`, { name: `replica-${i}` });
  c.add('MASTER', { name: 'primary' });
  const connect = (pattern: string) =>
    new Promise<string>((resolve, reject) =>
      c.getConnection(pattern, (err, connection) => (err ? reject(err) : resolve((connection as unknown as { from: string }).from))),
    );
  return { c, pools, made, connect, primary: pools[replicas], tick: (ms: number) => (clock += ms) };
}

describe('ReplicaCluster', () => {
  it('makes the primary pool as a primary and each replica pool as a replica', () => {
    const { made } = cluster(2);
    expect(made).toEqual([
      { replica: true, config: { name: 'replica-0' } },
      { replica: true, config: { name: 'replica-1' } },
      { replica: false, config: { name: 'primary' } },
    ]);
  });

  it('gives primary connections for MASTER and takes the replicas in turn for SLAVE*', async () => {
    const { connect } = cluster(2);
    expect(await connect('MASTER')).toBe('primary');
    expect([await connect('SLAVE*'), await connect('SLAVE*'), await connect('SLAVE*')]).toEqual(['replica-0', 'replica-1', 'replica-0']);
  });

  it('leaves a failing replica out for the retry time, serves from the others meanwhile, and takes it back', async () => {
    const { c, pools, connect, tick } = cluster(2);
    pools[0].failWith = refused();
    expect(await connect('SLAVE*')).toBe('replica-1'); // replica-0 refused, replica-1 answered the same call
    expect(c.inService()).toEqual(['SLAVE1']);
    for (let i = 0; i < 5; i++) expect(await connect('SLAVE*')).toBe('replica-1');
    expect(pools[0].attempts).toBe(1); // no attempt on the stopped replica while it is out
    pools[0].failWith = undefined;
    tick(5_000);
    const served = [await connect('SLAVE*'), await connect('SLAVE*')];
    expect(served.sort()).toEqual(['replica-0', 'replica-1']);
    expect(c.inService()).toEqual(['SLAVE0', 'SLAVE1']);
  });

  it('answers at once with an error when every replica is out, and tries again after the retry time', async () => {
    const { pools, connect, tick } = cluster(1);
    pools[0].failWith = refused();
    await expect(connect('SLAVE*')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await expect(connect('SLAVE*')).rejects.toMatchObject({ code: NO_REPLICA });
    await expect(connect('SLAVE*')).rejects.toMatchObject({ code: NO_REPLICA });
    expect(pools[0].attempts).toBe(1);
    tick(4_999);
    await expect(connect('SLAVE*')).rejects.toMatchObject({ code: NO_REPLICA });
    tick(1);
    await expect(connect('SLAVE*')).rejects.toMatchObject({ code: 'ECONNREFUSED' }); // one probe per retry time
    expect(pools[0].attempts).toBe(2);
    pools[0].failWith = undefined;
    tick(5_000);
    expect(await connect('SLAVE*')).toBe('replica-0');
  });

  it('does not take a busy replica out of service, nor ever the primary', async () => {
    const { c, pools, primary, connect } = cluster(1);
    pools[0].failWith = Object.assign(new Error('No database connection became free in time'), { code: 'POOL_ACQUIRE_TIMEOUT' });
    await expect(connect('SLAVE*')).rejects.toMatchObject({ code: 'POOL_ACQUIRE_TIMEOUT' });
    expect(c.inService()).toEqual(['SLAVE0']);
    primary.failWith = refused();
    for (let i = 0; i < 10; i++) await expect(connect('MASTER')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    primary.failWith = undefined;
    expect(await connect('MASTER')).toBe('primary');
    expect(primary.attempts).toBe(11);
  });

  it('ends every pool', async () => {
    const { c, pools } = cluster(2);
    await new Promise<void>((resolve, reject) => c.end((err) => (err ? reject(err) : resolve())));
    expect(pools.map((p) => p.ended)).toEqual([true, true, true]);
  });
});
