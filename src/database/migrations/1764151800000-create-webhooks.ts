import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { bool, caseSensitiveTenantIds, indexName, int, json, perTenantKeyedColumns, text, timestamp, varchar } from '../migration-helpers';

/** The tables this migration creates keyed by `(tenant_id, id)` from the start (numbered by id_sequences). */
export const PER_TENANT_TABLES = ['webhook_subscriptions', 'webhook_deliveries'];

/**
 * Webhooks from a transactional outbox (docs/webhooks.md): the outbox of domain events written with
 * each change, the tenants' subscriptions, and the deliveries with their attempts. Every primary and
 * unique key leads with `tenant_id`; three indexes serve the relay's work across tenants (on a sharded
 * deployment, each shard's own): the outbox's oldest events, the due deliveries, the purge's old ones.
 */
export class CreateWebhooks1764151800000 implements MigrationInterface {
  name = 'CreateWebhooks1764151800000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'event_outbox',
        columns: [
          { ...varchar('tenant_id', 64), isPrimary: true },
          { ...varchar('event_id', 40), isPrimary: true },
          varchar('event_type', 64),
          text('payload', false),
          timestamp('occurred_at'),
        ],
        // The relay takes the oldest events first: through this index it reads (and, on MySQL, locks)
        // only the rows it takes, not the whole backlog.
        indices: [new TableIndex({ name: indexName('ix', 'event_outbox', ['occurred_at']), columnNames: ['occurred_at'] })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'webhook_subscriptions',
        columns: [
          ...perTenantKeyedColumns(),
          varchar('url', 2048),
          json('event_types'),
          text('secret_sealed', false),
          varchar('secret_last4', 4),
          bool('is_active', true),
          text('description'),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'webhook_deliveries',
        columns: [
          ...perTenantKeyedColumns(),
          { name: 'subscription_id', type: 'bigint', isNullable: false },
          varchar('event_id', 40),
          varchar('event_type', 64),
          text('body', false),
          varchar('status', 16),
          int('attempts', { default: 0 }),
          timestamp('next_attempt_at', true),
          timestamp('lease_until', true),
          timestamp('first_attempt_at', true),
          int('last_http_status', { nullable: true }),
          varchar('last_error', 500, true),
          timestamp('delivered_at', true),
        ],
        indices: [
          new TableIndex({
            name: indexName('ux', 'webhook_deliveries', ['subscription_id', 'event_id']),
            columnNames: ['tenant_id', 'subscription_id', 'event_id'],
            isUnique: true,
          }),
          new TableIndex({ name: indexName('ix', 'webhook_deliveries', ['subscription_id', 'id']), columnNames: ['tenant_id', 'subscription_id', 'id'] }),
          new TableIndex({ name: indexName('ix', 'webhook_deliveries', ['status', 'next_attempt_at']), columnNames: ['status', 'next_attempt_at'] }),
          // The retention purge's rows (delivered and dead, by age), without a scan of the table.
          new TableIndex({ name: indexName('ix', 'webhook_deliveries', ['status', 'updated_at']), columnNames: ['status', 'updated_at'] }),
        ],
      }),
    );
    await caseSensitiveTenantIds(qr);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('webhook_deliveries');
    await qr.dropTable('webhook_subscriptions');
    await qr.dropTable('event_outbox');
  }
}
