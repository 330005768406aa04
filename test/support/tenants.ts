import { randomBytes } from 'node:crypto';
import { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** A fresh tenant per test (no truncation, no ordering between tests). */
export const newTenantId = (prefix = 't') => `${prefix}-${randomBytes(6).toString('hex')}`;

/**
 * Ids are numbered per tenant, so addressing "another tenant's row" by its id reaches this tenant's own
 * row of that id when there is one. A test that addresses another tenant's rows by id first makes that
 * tenant the larger one: its ids continue from `offset`, ids the tenant under test does not have. The
 * tenant must be registered (any request of it does that).
 */
export async function numberAhead(app: INestApplicationContext, tenant: string, offset = 1_000_000): Promise<void> {
  await app.get(DataSource).query('UPDATE id_sequences SET last_id = last_id + ? WHERE tenant_id = ?', [offset, tenant]);
}
