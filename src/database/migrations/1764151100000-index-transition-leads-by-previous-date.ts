import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/** See MilestoneTransitionLeadEntity: the name stops at the leading columns (64-character limit). */
export const TRANSITION_LEADS_BY_PREVIOUS_DATE = 'ix_milestone_transition_leads__previous_date__day';

/**
 * Distinct leads per transition read the cells whose previous occurrence is before the range
 * (`previous_date < start`): mostly first occurrences, whose number is bounded by days × type pairs,
 * while the table also holds a cell per distinct earlier date of every repeated transition and so
 * grows with the data. Led by previous_date, covering the columns the read needs (day, the pair,
 * leads), the index lets a long range skip the repeat cells instead of scanning the tenant's range.
 */
export class IndexTransitionLeadsByPreviousDate1764151100000 implements MigrationInterface {
  name = 'IndexTransitionLeadsByPreviousDate1764151100000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createIndex(
      'milestone_transition_leads',
      new TableIndex({
        name: TRANSITION_LEADS_BY_PREVIOUS_DATE,
        columnNames: ['tenant_id', 'previous_date', 'day', 'from_type_id', 'to_type_id', 'leads'],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('milestone_transition_leads', TRANSITION_LEADS_BY_PREVIOUS_DATE);
  }
}
