import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** The host's own migration, run in the same migration run as the customization module's. */
export class CreateOrders1800000000000 implements MigrationInterface {
  name = 'CreateOrders1800000000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'orders',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'tenant_id', type: 'varchar', length: '64' },
          { name: 'customer', type: 'varchar', length: '100' },
          { name: 'amountCents', type: 'int' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'lead_id', type: 'int' },
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('orders');
  }
}
