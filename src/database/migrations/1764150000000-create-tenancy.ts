import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { id, index, json, timestamp, varchar } from '../migration-helpers';

export class CreateTenancy1764150000000 implements MigrationInterface {
  name = 'CreateTenancy1764150000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'tenants',
        columns: [{ ...varchar('id', 64), isPrimary: true }, timestamp('created_at')],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'audit_log',
        columns: [
          id(),
          varchar('tenant_id', 64),
          timestamp('at'),
          varchar('actor', 128),
          varchar('action', 16),
          varchar('entity_type', 64),
          varchar('entity_key', 191),
          json('changes'),
        ],
        indices: [index('audit_log', ['tenant_id', 'id']), index('audit_log', ['tenant_id', 'entity_type', 'entity_key', 'id'])],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('audit_log');
    await qr.dropTable('tenants');
  }
}
