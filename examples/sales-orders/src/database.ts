import type { TypeOrmModuleOptions } from '@nestjs/typeorm';
import { MIGRATIONS } from 'sales-customization-service';
import { CreateOrders1800000000000 } from './create-orders.migration';

/**
 * The host's database settings: SALES_ORDERS_DATABASE_URL is `sqlite:<path>` (default
 * `sqlite::memory:`) or `mysql://…` / `mariadb://…`. The customization module's tables live in the same
 * database; its migrations run with ours (TypeORM orders them by timestamp), and its entities are
 * found by autoLoadEntities. The host keeps TypeORM's default naming strategy.
 */
export function databaseOptions(url = process.env.SALES_ORDERS_DATABASE_URL ?? 'sqlite::memory:'): TypeOrmModuleOptions {
  const common = {
    autoLoadEntities: true,
    migrations: [...MIGRATIONS, CreateOrders1800000000000],
    migrationsRun: true,
    synchronize: false,
  };
  if (url.startsWith('sqlite:')) return { type: 'better-sqlite3', database: url.slice('sqlite:'.length), ...common };
  return {
    type: url.startsWith('mariadb:') ? 'mariadb' : 'mysql',
    url: url.replace(/^mariadb:/, 'mysql:'),
    // What the customization module's schema expects of a MySQL/MariaDB connection (docs/embedding.md).
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    dateStrings: ['DATE'],
    supportBigNumbers: true,
    bigNumberStrings: false,
    ...common,
  };
}
