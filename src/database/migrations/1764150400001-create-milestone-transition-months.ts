import { MigrationInterface, QueryRunner, Table, TableColumnOptions } from 'typeorm';
import { date, int, varchar } from '../migration-helpers';

const key = (column: TableColumnOptions): TableColumnOptions => ({ ...column, isPrimary: true });

/**
 * The transition-duration histogram per calendar month (next to the daily one): a long range reads
 * whole months here and only its partial months from the daily table.
 */
export class CreateMilestoneTransitionMonths1764150400001 implements MigrationInterface {
  name = 'CreateMilestoneTransitionMonths1764150400001';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'milestone_transition_months',
        columns: [
          key(varchar('tenant_id', 64)),
          key(date('month')),
          key(int('from_type_id')),
          key(int('to_type_id')),
          key(int('days')),
          int('transitions', { default: 0 }),
          int('completed', { default: 0 }),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('milestone_transition_months');
  }
}
