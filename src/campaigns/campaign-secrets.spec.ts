import { Writable } from 'node:stream';
import pino from 'pino';
import { LOG_REDACT } from '../app.module';
import { toCampaignChannelResponse } from './campaign.mapper';
import { CampaignChannelEntity } from './campaign-channel.entity';

/**
 * Where an integration key could leak besides the column: a log line or a response. Request bodies are
 * never logged (pino-http's req serializer keeps id, method and url), and the app's redact list
 * censors `integration_key` one level down, e.g. in a logged body or DTO.
 */
describe('integration key hygiene', () => {
  it("is censored by the app's log redaction", () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = pino({ redact: { paths: LOG_REDACT, censor: '[redacted]' } }, sink);
    logger.info({ body: { channel_code: 'X', integration_key: 'sk_live_secret_1' } }, 'write');
    logger.info({ dto: { integration_key: 'sk_live_secret_2' } }, 'write');
    expect(lines.join('')).not.toContain('sk_live_secret');
    expect(lines.join('')).toContain('[redacted]');
  });

  it('has no response field that carries the key or its sealed form', () => {
    const e = Object.assign(new CampaignChannelEntity(), {
      id: 1,
      createdAt: new Date(),
      updatedAt: new Date(),
      createdBy: 'u',
      updatedBy: 'u',
      version: 1,
      deletedAt: null,
      channelCode: 'X',
      channelName: 'X',
      integrationKeySealed: 'v1.sealed-form',
      integrationKeyLast4: 'abcd',
      integrationData: {},
    });
    const body = JSON.stringify(toCampaignChannelResponse(e));
    expect(body).not.toContain('sealed');
    expect(body).not.toContain('"integration_key"');
    expect(JSON.parse(body)).toMatchObject({ integration_key_set: true, integration_key_last4: 'abcd' });
  });
});
