/** How long a read replica that failed to give a connection is left out before it is tried again. */
export const REPLICA_RETRY_MS = 5_000;

/** The code of the error a replica connection ends with when every replica is down or failed just now. */
export const NO_REPLICA = 'NO_REPLICA_AVAILABLE';

/** Codes of a pool that is busy, not down: another replica is tried, this one is not left out. */
const BUSY = new Set(['POOL_ACQUIRE_TIMEOUT']);
const BUSY_TEXT = /^(Queue limit reached|No connections available)/;

export interface ClusterConnection {
  release(): void;
}

/** What the cluster needs of a pool (mysql2's, as boundedMysql2 makes them). */
export interface ClusterPool {
  getConnection(cb: (err: Error | null, connection?: ClusterConnection) => void): void;
  end(cb?: (err?: Error | null) => void): void;
}

interface Replica {
  id: string;
  pool: ClusterPool;
  /** performance.now() until which the replica is left out (0: in service). */
  downUntil: number;
}

/**
 * The pools of a replicated MySQL/MariaDB DataSource, in the shape TypeORM's MysqlDriver drives
 * (`createPoolCluster`, `add('MASTER' | 'SLAVE<n>')`, `getConnection('MASTER' | 'SLAVE*')`, `end`):
 *
 * - `MASTER` is one pool, exactly as without replicas: its errors go to the caller and never take it
 *   out of service (mysql2's own PoolCluster removes a node for good after five errors by default,
 *   which for the primary would end every write of the process);
 * - `SLAVE*` takes the replicas in turn. A replica whose pool fails to give a connection (refused,
 *   timed out, wrong credentials) is left out for `retryMs` and the next one is tried; once every
 *   replica is out, the answer is an immediate error coded NO_REPLICA (or the last failure's), so a
 *   stopped replica costs one failed connection attempt per `retryMs`, not one per request. A busy
 *   pool (no free connection within the bound) is not a down replica: the next one is tried.
 *
 * The caller (ReplicaReads) answers from the primary when no replica gives a connection.
 */
export class ReplicaCluster {
  private master?: ClusterPool;
  private readonly replicas: Replica[] = [];
  private turn = 0;

  constructor(
    private readonly createPool: (config: unknown, replica: boolean) => ClusterPool,
    private readonly retryMs = REPLICA_RETRY_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  add(id: string, config: unknown): void {
    if (id === 'MASTER') this.master = this.createPool(config, false);
    else this.replicas.push({ id, pool: this.createPool(config, true), downUntil: 0 });
  }

  getConnection(pattern: string, cb: (err: Error | null, connection?: ClusterConnection) => void): void {
    if (pattern === 'MASTER') {
      if (!this.master) return cb(Object.assign(new Error('No primary pool'), { code: 'POOL_CLOSED' }));
      return this.master.getConnection(cb);
    }
    this.replicaConnection(new Set(), undefined, cb);
  }

  /** The replicas in service now, by id (for logs and tests). */
  inService(): string[] {
    const now = this.now();
    return this.replicas.filter((r) => r.downUntil <= now).map((r) => r.id);
  }

  end(cb: (err?: Error | null) => void = () => undefined): void {
    const pools = [...(this.master ? [this.master] : []), ...this.replicas.map((r) => r.pool)];
    let left = pools.length;
    let failed: Error | null = null;
    if (left === 0) return cb(null);
    for (const pool of pools) {
      pool.end((err) => {
        failed ??= err ?? null;
        if (--left === 0) cb(failed);
      });
    }
  }

  private replicaConnection(tried: Set<Replica>, lastError: Error | undefined, cb: (err: Error | null, connection?: ClusterConnection) => void): void {
    const now = this.now();
    const candidates = this.replicas.filter((r) => r.downUntil <= now && !tried.has(r));
    if (candidates.length === 0) {
      return cb(lastError ?? Object.assign(new Error('No read replica is in service'), { code: NO_REPLICA }));
    }
    const replica = candidates[this.turn++ % candidates.length];
    tried.add(replica);
    replica.pool.getConnection((err, connection) => {
      if (!err) {
        replica.downUntil = 0;
        return cb(null, connection);
      }
      const code = (err as { code?: unknown }).code;
      const busy = (typeof code === 'string' && BUSY.has(code)) || BUSY_TEXT.test(err.message);
      if (!busy) replica.downUntil = this.now() + this.retryMs;
      this.replicaConnection(tried, err, cb);
    });
  }
}
