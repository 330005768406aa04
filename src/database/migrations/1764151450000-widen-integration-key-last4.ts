import { MigrationInterface, QueryRunner } from 'typeorm';
import { isMysql, resizeVarchar } from '../migration-helpers';

/**
 * `integration_key_last4` held four UTF-16 units, which can cut an emoji in half. It now holds the
 * last four characters as a person counts them (grapheme clusters), up to 64 code points. Stored
 * values are kept: they were written from keys no longer readable here, and the next key written
 * replaces them. Configuration rows only: the table is small.
 */
export class WidenIntegrationKeyLast41764151450000 implements MigrationInterface {
  name = 'WidenIntegrationKeyLast41764151450000';

  async up(qr: QueryRunner): Promise<void> {
    await resizeVarchar(qr, 'tenant_campaign_channels', 'integration_key_last4', 64, true);
  }

  async down(qr: QueryRunner): Promise<void> {
    // Values longer than four code points keep their last four (MySQL would refuse them otherwise).
    await qr.query(
      isMysql(qr)
        ? 'UPDATE tenant_campaign_channels SET integration_key_last4 = RIGHT(integration_key_last4, 4) WHERE CHAR_LENGTH(integration_key_last4) > 4'
        : 'UPDATE tenant_campaign_channels SET integration_key_last4 = substr(integration_key_last4, -4) WHERE length(integration_key_last4) > 4',
    );
    await resizeVarchar(qr, 'tenant_campaign_channels', 'integration_key_last4', 4, true);
  }
}
