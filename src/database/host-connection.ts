import { DynamicModule, Provider } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { ClsPluginTransactional } from '@nestjs-cls/transactional';
import { ClsModule } from 'nestjs-cls';
import { DataSource } from 'typeorm';
import { ANALYTICS_POOL_SIZE } from '../common/analytics/analytics-admission';
import { ENTITIES } from './entities';
import { ReplicaReads } from './replica-reads';
import { SerializingTypeOrmAdapter } from './transactional-adapter';
import { CUSTOMIZATION_TX } from './transactional';

/**
 * What the module needs of the host's TypeORM DataSource (the default one, or the one named
 * `dataSource`): our transactional connection on it (with the SQLite-serializing adapter), our
 * entities registered with it (so `autoLoadEntities: true` finds them); connectionProviders checks
 * that the DataSource has them.
 */
export function connectionImports(dataSource?: string): DynamicModule[] {
  return [
    ClsModule.registerPlugins([
      new ClsPluginTransactional({
        connectionName: CUSTOMIZATION_TX,
        adapter: new SerializingTypeOrmAdapter({ dataSourceToken: getDataSourceToken(dataSource) }),
        enableTransactionProxy: false,
      }),
    ]),
    TypeOrmModule.forFeature(ENTITIES, dataSource),
  ];
}

/** The MySQL/MariaDB pool size of a DataSource, null for SQLite (one connection, no pool). */
export function poolSizeOf(dataSource: DataSource): number | null {
  const options = dataSource.options as { type: string; poolSize?: number; extra?: { connectionLimit?: number } };
  if (options.type !== 'mysql' && options.type !== 'mariadb') return null;
  return options.poolSize ?? options.extra?.connectionLimit ?? 10;
}

/** Refuses, at start, a DataSource that does not know our entities (rather than failing at the first query). */
export function requireEntities(dataSource: DataSource): true {
  const missing = ENTITIES.filter((entity) => !dataSource.hasMetadata(entity)).map((entity) => entity.name);
  if (missing.length > 0) {
    throw new Error(
      `The DataSource of CustomizationModule lacks its entities (${missing.join(', ')}): set autoLoadEntities: true, or add ENTITIES to its entities`,
    );
  }
  return true;
}

/**
 * Refuses, at start, a replicated DataSource whose reads outside a transaction go to a replica
 * (TypeORM's default `replication.defaultMode` is 'slave'): our lists, gets and ETag reads must see
 * the writes before them. Only analytics read replicas, and they ask for one (ReplicaReads).
 */
export function requirePrimaryReads(dataSource: DataSource): true {
  const replicated = (dataSource.driver as { isReplicated?: unknown }).isReplicated === true;
  if (replicated && dataSource.defaultReplicationModeForReads() !== 'master') {
    throw new Error(
      "The DataSource of CustomizationModule sends reads to replicas by default: set replication.defaultMode: 'master' (analytics still read the replicas)",
    );
  }
  return true;
}

const ENTITIES_CHECKED = Symbol('CUSTOMIZATION_ENTITIES_CHECKED');
const PRIMARY_READS_CHECKED = Symbol('CUSTOMIZATION_PRIMARY_READS_CHECKED');

export function connectionProviders(dataSource?: string): Provider[] {
  const token = getDataSourceToken(dataSource);
  return [
    { provide: ANALYTICS_POOL_SIZE, inject: [token], useFactory: poolSizeOf },
    { provide: ENTITIES_CHECKED, inject: [token], useFactory: requireEntities },
    { provide: PRIMARY_READS_CHECKED, inject: [token], useFactory: requirePrimaryReads },
    { provide: ReplicaReads, inject: [token, PRIMARY_READS_CHECKED], useFactory: (dataSource: DataSource) => new ReplicaReads(dataSource) },
  ];
}
