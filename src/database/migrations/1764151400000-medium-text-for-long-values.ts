import { MigrationInterface, QueryRunner } from 'typeorm';
import { mediumText } from '../migration-helpers';

/**
 * Values the API accepts that can pass TEXT's 65,535 bytes on MySQL/MariaDB (strict mode refuses
 * them with ER_DATA_TOO_LONG, a 500): they become MEDIUMTEXT (16 MiB). SQLite's TEXT has no limit.
 * - `audit_log.changes` holds the before and after of every field a write changed: a campaign PATCH
 *   replacing a 16 KiB target_audience and 50 KPIs of 100 characters (4-byte characters, or control
 *   characters that JSON writes as 6 bytes) needs about 130 KB.
 * - `lead_milestones.document_urls`: 20 URLs of 2,000 characters, up to 240 KB as JSON.
 * Every other text column stays within TEXT at the validators' limits (test/common/largest-bodies).
 * On MySQL 8 and MariaDB 10.11 a column type change copies the table; writes to it wait meanwhile
 * (README, upgrade notes).
 */
export class MediumTextForLongValues1764151400000 implements MigrationInterface {
  name = 'MediumTextForLongValues1764151400000';

  async up(qr: QueryRunner): Promise<void> {
    await mediumText(qr, 'audit_log', [{ name: 'changes', nullable: false }]);
    await mediumText(qr, 'lead_milestones', [{ name: 'document_urls', nullable: false }]);
  }

  async down(qr: QueryRunner): Promise<void> {
    await mediumText(qr, 'lead_milestones', [{ name: 'document_urls', nullable: false }], true);
    await mediumText(qr, 'audit_log', [{ name: 'changes', nullable: false }], true);
  }
}
