import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ConfigError, loadConfig } from '../../src/config/app-config';
import { Logger } from 'nestjs-pino';
import { assertNoSecretLeaks, secrets } from '../support/secrets';
import { newTenantId } from '../support/tenants';
import { mintToken } from '../support/tokens';
import { answer } from './support/checks';
import { ok, SecretScanner, SecureApi, startSecureApi } from './support/secure-api';

/**
 * Secrets (API.md §5 integration keys; tokens; ENCRYPTION_KEY and JWT_SECRET). Every security spec
 * runs its app at log level trace into a sink and ends with SecureApi.expectClean(): no token,
 * integration key, JWT secret or encryption key in any log line or response of that spec. This one
 * walks a key through every route and answer that could carry it, sends valid and invalid tokens, and
 * makes requests fail with a 5xx, so that the error log path is covered too.
 */

const json = (v: unknown) => JSON.stringify(v);

describe('secrets in logs and responses', () => {
  let api: SecureApi;
  let tenant: string;
  beforeAll(async () => {
    api = await startSecureApi();
    tenant = newTenantId('sec');
  });
  afterAll(async () => {
    // The scanner saw every log line and response: this is the assertion of the whole spec.
    api.expectClean();
    await api.close();
  });

  it('finds a secret wherever it is written: the detector behind every spec works', () => {
    const scanner = new SecretScanner();
    const key = scanner.integrationKey();
    scanner.addLiteral('literal-secret-0123', 'a literal');
    scanner.addToken('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0aaaa.c2lnbmF0dXJlLXNlZ21lbnQtMTIzNDU2');
    const leaks = [
      `{"detail":"the key ${key} is wrong"}`,
      'msg=literal-secret-0123',
      '{"auth":"c2lnbmF0dXJlLXNlZ21lbnQtMTIzNDU2"}',
      'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
      `ik_live_${'ab'.repeat(12)}`,
    ];
    for (const [i, text] of leaks.entries()) scanner.scan(text, `sample ${i}`);
    expect(scanner.findings.map((f) => f.split(':')[0])).toEqual([
      'an integration key in sample 0',
      'something shaped like an integration key in sample 0',
      'a literal in sample 1',
      'a bearer token in sample 2',
      'something shaped like a JWT in sample 3',
      'something shaped like an integration key in sample 4',
    ]);
    // A finding names the secret by its label: reporting a leak does not print it again.
    for (const finding of scanner.findings) {
      expect(finding.includes(key)).toBe(false);
      expect(finding.includes('literal-secret-0123')).toBe(false);
      expect(finding.includes('c2lnbmF0dXJlLXNlZ21lbnQtMTIzNDU2')).toBe(false);
    }
    expect(scanner.findings[0]).toContain('the key «an integration key» is wrong');
    scanner.findings.length = 0;
    scanner.scan(`{"integration_key_last4":"${key.slice(-4)}","ok":true}`, 'clean');
    expect(scanner.findings).toEqual([]);
    // Keys a request body carries, at any depth, become secrets.
    scanner.addIntegrationKeysOf({ channels: [{ integration_key: 'nested-key-0123456789' }], integration_key: 'top-key-0123456789' });
    scanner.scan('x nested-key-0123456789 y top-key-0123456789', 'bodies');
    expect(scanner.findings.map((f) => f.split(':')[0])).toEqual(['an integration key in bodies']);
  });

  it('fails the file when a log line or a response of the harness carries a secret: a deliberate leak is caught, then forgiven', async () => {
    expect(secrets).toBe(api.scanner);
    expect(secrets.findings).toEqual([]);
    const scannedBefore = secrets.scanned;
    // A log line through the app's own logger, carrying the JWT secret the app runs with and a token.
    const token = await api.token({ tenant, role: 'viewer', sub: 'leaky' });
    api.app.get(Logger).warn(`about to leak ${api.jwtSecret} and Bearer ${token}`);
    // A response carrying a registered integration key (sent as a name, which is echoed).
    const key = secrets.integrationKey();
    const leaky = api.as({ tenant: newTenantId('leak'), role: 'admin' });
    const echoed = await leaky.post('/lead-sources', { source_code: 'ECHO', source_name: key, source_type: 'event' });
    expect(echoed.statusCode).toBe(201);
    expect(secrets.scanned).toBeGreaterThan(scannedBefore);
    const found = secrets.findings.splice(0);
    expect(found.map((f) => f.split(':')[0]).sort()).toEqual(
      [
        'a bearer token in a log line',
        'an integration key in the response to POST /api/v1/customization/lead-sources (201)',
        'something shaped like a JWT in a log line',
        'something shaped like an integration key in the response to POST /api/v1/customization/lead-sources (201)',
        'the JWT secret in a log line',
      ].sort(),
    );
    for (const f of found) for (const s of [api.jwtSecret, token, key]) expect(f.includes(s)).toBe(false);
    // What the check in every e2e file (test/support/secrets-check.ts) does with a finding: it throws.
    secrets.scan(`leak ${key}`, 'a sample');
    expect(() => assertNoSecretLeaks()).toThrow(
      /A secret reached a log line or a response \(2 finding\(s\).*\n- an integration key in a sample: leak «an integration key»/,
    );
    expect(secrets.findings).toEqual([]);
  });

  it('keeps integration keys write-only on every campaign-channel route, in every answer and in the audit log', async () => {
    const admin = api.as({ tenant, role: 'admin' });
    const viewer = api.as({ tenant, role: 'viewer' });
    const k1 = api.scanner.integrationKey();
    const k2 = api.scanner.integrationKey();
    // Unicode, JSON-escaped and URL-ish characters in a key too.
    const k3 = `ik_test_${randomBytes(6).toString('hex')}"\\/\u2028é😀<script>`;
    api.scanner.addLiteral(k3, 'an integration key');
    api.scanner.addLiteral(JSON.stringify(k3).slice(1, -1), 'an integration key (JSON-escaped)');

    const created = ok(
      await admin.post('/campaign-channels', { channel_code: 'CRM', channel_name: 'CRM', integration_key: k1, integration_data: { account: 'acme' } }),
      201,
    );
    expect(created).toMatchObject({ integration_key_set: true, integration_key_last4: k1.slice(-4) });
    expect(created).not.toHaveProperty('integration_key');

    const answers = [
      await admin.patch('/campaign-channels/CRM', { integration_key: k2 }),
      await admin.get('/campaign-channels/CRM'),
      await viewer.get('/campaign-channels/CRM'),
      await admin.get('/campaign-channels', { query: { include_inactive: true } }),
      await admin.post('/campaign-channels/CRM/deactivate'),
      await admin.post('/campaign-channels/CRM/activate'),
      await admin.patch('/campaign-channels/CRM', { integration_key: k3 }),
      await admin.patch('/campaign-channels/CRM', { integration_key: null }),
      await admin.patch('/campaign-channels/CRM', { integration_key: k1, channel_name: 'CRM 2' }),
      // Refused writes carrying a key: validation, duplicate code, role, another tenant, wrong resource.
      await admin.post('/campaign-channels', { channel_code: 'CRM', channel_name: 'dup', integration_key: k2 }),
      await admin.post('/campaign-channels', { channel_code: 'bad code', channel_name: 'x', integration_key: k2 }),
      await admin.patch('/campaign-channels/CRM', { integration_key: k2, average_roi: -500 }),
      await admin.patch('/campaign-channels/CRM', { integration_key: 'short' }),
      await viewer.patch('/campaign-channels/CRM', { integration_key: k2 }),
      await api.as({ tenant: newTenantId('other'), role: 'admin' }).patch('/campaign-channels/CRM', { integration_key: k2 }),
      await admin.post('/lead-sources', { source_code: 'LEAK', source_name: 'x', source_type: 'event', integration_key: k2 }),
      await admin.delete('/campaign-channels/CRM'),
      await admin.get('/campaign-channels', { query: { include_deleted: true } }),
      await admin.post('/campaign-channels/CRM/restore'),
      await admin.get('/audit-log', { query: { entity_type: 'campaign_channel', limit: 500 } }),
      await admin.get('/audit-log', { query: { limit: 500 } }),
    ];
    expect(answers.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 409, 400, 400, 400, 403, 404, 400, 204, 200, 200, 200, 200]);
    for (const res of answers) {
      for (const key of [k1, k2, k3]) expect(res.body.includes(key) || res.body.includes(json(key).slice(1, -1))).toBe(false);
      expect(res.body).not.toMatch(/"integration_key"\s*:/);
      expect(res.body).not.toMatch(/integration_key_sealed|v1\.[A-Za-z0-9_-]{16}\./);
    }
    const restored = answers[18].json();
    expect(restored).toMatchObject({ integration_key_set: true, integration_key_last4: k1.slice(-4) });
    // The audit log records that the key changed, never what it was.
    const audit = answers[19].json().data as { changes: Record<string, unknown> }[];
    expect(audit.length).toBeGreaterThan(5);
  });

  it('never logs a token or the Authorization header, valid or not, on answers of every kind', async () => {
    const token = await api.token({ tenant, role: 'admin' });
    const forged = await mintToken({ tenant, role: 'admin', secret: 'not-the-secret-but-long-enough-for-hs256-0000' });
    const expired = await mintToken({ tenant, role: 'admin', secret: api.jwtSecret, expiresIn: -120 });
    for (const t of [forged, expired]) api.scanner.addToken(t);
    const statuses = [
      (await api.raw({ authorization: `Bearer ${token}` }).get('/lead-sources')).statusCode,
      (await api.raw({ authorization: `Bearer ${token}` }).get('/lead-sources/NOPE')).statusCode,
      (await api.raw({ authorization: `Bearer ${forged}` }).get('/lead-sources')).statusCode,
      (await api.raw({ authorization: `Bearer ${expired}` }).post('/lead-sources', {})).statusCode,
      (await api.raw({ authorization: `Bearer ${token}`, 'x-tenant-id': 'someone-else' }).get('/lead-sources')).statusCode,
      (await api.raw({ authorization: `Bearer ${token}`, cookie: `session=${token}` }).get('/health')).statusCode,
    ];
    expect(statuses).toEqual([200, 404, 401, 401, 403, 200]);
    const requestLines = api.logs.lines.filter((l) => l.includes('"msg":"request completed"'));
    expect(requestLines.length).toBeGreaterThan(10);
    // The access log names the request, never its headers.
    for (const line of requestLines) expect(JSON.parse(line).req).toEqual({ id: expect.any(String), method: expect.any(String), url: expect.any(String) });
    expect(api.logs.lines.filter((l) => /authorization|cookie/i.test(l) && !l.includes('[redacted]'))).toEqual([]);
  });

  it('never puts ENCRYPTION_KEY or JWT_SECRET into a configuration error', () => {
    const secretish = 'supersecret-value-0123456789';
    const attempts = [
      { NODE_ENV: 'production', JWT_SECRET: secretish, ENCRYPTION_KEY: `${secretish}==` },
      { NODE_ENV: 'production', JWT_SECRET: 'short-secret-x', ENCRYPTION_KEY: randomBytes(32).toString('base64') },
      {
        NODE_ENV: 'production',
        JWT_SECRET: secretish,
        JWT_PUBLIC_KEY: `-----BEGIN PUBLIC KEY-----${secretish}`,
        ENCRYPTION_KEY: randomBytes(16).toString('base64'),
      },
    ];
    for (const env of attempts) {
      let message = '';
      try {
        loadConfig(env);
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        message = (e as Error).message;
      }
      expect(message).not.toBe('');
      for (const value of [env.JWT_SECRET, env.ENCRYPTION_KEY, secretish]) expect(message.includes(value)).toBe(false);
    }
  });

  // Last: it takes the database away.
  it('logs a request that failed with a 5xx, with its error but without any secret', async () => {
    const admin = api.as({ tenant, role: 'admin' });
    ok(await admin.get('/lead-sources'));
    const ds = api.app.get(DataSource);
    await ds.destroy();
    try {
      const failed = [
        await admin.post('/campaign-channels', { channel_code: 'DOWN', channel_name: 'x', integration_key: api.scanner.integrationKey() }),
        await admin.patch('/campaign-channels/EMAIL', { integration_key: api.scanner.integrationKey() }),
        await admin.get('/campaigns/analytics/channels'),
      ];
      for (const res of failed) expect([answer(res), res.statusCode >= 500]).toEqual([answer(res), true]);
      // Not vacuous: the failures were logged, with their error.
      const errorLines = api.logs.lines.filter((l) => l.includes('"level":50'));
      expect(errorLines.length).toBeGreaterThanOrEqual(failed.length);
      expect(errorLines.some((l) => l.includes('"err"'))).toBe(true);
    } finally {
      await ds.initialize();
    }
  });
});
