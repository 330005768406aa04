process.env.TZ = 'UTC';
import 'reflect-metadata';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../src/app.module';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { probeDatabase } from '../../src/database/probe';
import { Principal, TenantContext } from '../../src/tenancy/tenant-context';
import { TenantRegistry } from '../../src/tenancy/tenant-registry';

/**
 * The real application (modules, services, migrations) without HTTP: the data generator writes
 * through the same services as the API, so counters, rollups and chains are exactly what the API
 * would have stored.
 */
export async function openAppContext(): Promise<{ app: INestApplicationContext; config: AppConfig }> {
  // No SLA scan on a timer: the generator and the measurements run alone (a bench measures the scan by calling it).
  const loaded = loadConfig({ LOG_LEVEL: 'warn', SLA_SCAN_INTERVAL_MS: '0', ...process.env });
  const config: AppConfig = { ...loaded, database: (await probeDatabase(loaded.database)).config };
  const app = await NestFactory.createApplicationContext(AppModule.register(config), { logger: ['error', 'warn'] });
  return { app, config };
}

export async function asTenant<T>(app: INestApplicationContext, tenantId: string, work: () => Promise<T>): Promise<T> {
  await app.get(TenantRegistry).ensure(tenantId);
  const principal: Principal = { tenantId, userId: 'bench-seed', role: 'admin' };
  return app.get(TenantContext).runAs(principal, work);
}
