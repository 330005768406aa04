import { DynamicModule, Provider } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { ClsPluginTransactional } from '@nestjs-cls/transactional';
import { ClsModule } from 'nestjs-cls';
import { DataSource } from 'typeorm';
import { ANALYTICS_POOL_SIZE } from '../common/analytics/analytics-admission';
import { ENTITIES } from './entities';
import { SerializingTypeOrmAdapter } from './transactional-adapter';
import { CUSTOMIZATION_TX } from './transactional';

/**
 * What the module needs of the host's TypeORM DataSource (the default one, or the one named
 * `dataSource`): our transactional connection on it (with the SQLite-serializing adapter), our
 * entities registered with it (so `autoLoadEntities: true` finds them, and a DataSource that lacks
 * them fails at start rather than at the first query).
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

export function connectionProviders(dataSource?: string): Provider[] {
  return [{ provide: ANALYTICS_POOL_SIZE, inject: [getDataSourceToken(dataSource)], useFactory: poolSizeOf }];
}
