import { MigrationInterface, QueryRunner } from 'typeorm';
import { caseSensitiveTenantIds, defaultCollationTenantIds } from '../migration-helpers';

/** On MySQL, tenant ids compare byte for byte, as on SQLite: `acme` never reads `ACME`'s rows. */
export class CaseSensitiveTenantIds1764150900000 implements MigrationInterface {
  name = 'CaseSensitiveTenantIds1764150900000';

  async up(qr: QueryRunner): Promise<void> {
    await caseSensitiveTenantIds(qr);
  }

  async down(qr: QueryRunner): Promise<void> {
    await defaultCollationTenantIds(qr);
  }
}
