import { Connection } from 'mysql2/promise';
import { databaseUrl, freePort, SERVICE_PORTS } from './env';
import { Http } from './http';
import { connect, freshDatabase } from './mariadb';
import { Service } from './service';

/** One scenario's world: its own database on the shared MariaDB, the built service on its own port. */
export interface World {
  name: string;
  database: string;
  service: Service;
  http: Http;
  db: Connection;
  /** A new direct connection (the old one died with the server in the fault scenario). */
  reconnect(): Promise<void>;
  close(): Promise<void>;
}

export async function openWorld(name: string, env: Record<string, string> = {}, sockets = 64): Promise<World> {
  const database = `rel_${name.replace(/-/g, '_')}`;
  await freshDatabase(database);
  const service = await Service.start(name, await freePort(SERVICE_PORTS, `the ${name} service`), databaseUrl(database), env);
  const http = new Http(service.port, sockets);
  const world: World = {
    name,
    database,
    service,
    http,
    db: await connect(database),
    async reconnect() {
      await world.db.end().catch(() => undefined);
      world.db = await connect(database);
    },
    async close() {
      http.close();
      await service.stop();
      await world.db.end().catch(() => undefined);
    },
  };
  return world;
}

/** A run's tenant ids: fresh per run, recognisable in the database. */
export const tenantIds = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${Date.now().toString(36)}-${i}`);

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
