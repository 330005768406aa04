import { generateKeyPairSync } from 'node:crypto';
import { importPKCS8, SignJWT } from 'jose';
import { startTestApi, TestApi } from '../support/app';
import { newTenantId } from '../support/tenants';
import { expectProblem } from '../support/problems';
import { mintToken, TEST_JWT_SECRET } from '../support/tokens';

const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

/** A token with exactly these claims (no defaults), signed HS256 with `secret`. */
const signHs256 = (claims: Record<string, unknown>, secret: string | Uint8Array = TEST_JWT_SECRET) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(typeof secret === 'string' ? new TextEncoder().encode(secret) : secret);

const validClaims = (tenant: string) => ({ sub: 'user-1', tenant_id: tenant, role: 'admin', exp: now() + 600 });

describe('authentication', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  const getWith = (authorization?: string, extra: Record<string, string> = {}) =>
    api.raw(authorization === undefined ? extra : { authorization, ...extra }).get('/lead-sources');

  it('accepts a valid token', async () => {
    const res = await getWith(`Bearer ${await signHs256(validClaims(newTenantId()))}`);
    expect(res.statusCode).toBe(200);
  });

  it('answers 401 UNAUTHENTICATED without a token', async () => {
    expectProblem(await getWith(), 401, 'UNAUTHENTICATED');
  });

  it.each([
    ['a Basic scheme', 'Basic dXNlcjpwdw=='],
    ['the scheme alone', 'Bearer'],
    ['an empty token', 'Bearer    '],
    ['two tokens', 'Bearer a.b.c d.e.f'],
    ['a token that is not a JWT', 'Bearer not-a-jwt'],
    ['garbage segments', 'Bearer a.b.c'],
  ])('answers 401 for a malformed header: %s', async (_what, header) => {
    expectProblem(await getWith(header), 401, 'UNAUTHENTICATED');
  });

  it.each([
    ['no Authorization header', undefined, 'Bearer'],
    ['a Basic scheme', 'Basic dXNlcjpwdw==', 'Bearer'],
    ['the scheme alone', 'Bearer', 'Bearer'],
    ['an empty token', 'Bearer    ', 'Bearer'],
    ['two tokens', 'Bearer a.b.c d.e.f', 'Bearer error="invalid_token", error_description="The bearer token is malformed"'],
    ['a token that is not a JWT', 'Bearer not-a-jwt', 'Bearer error="invalid_token", error_description="The token is not valid"'],
  ])('challenges with WWW-Authenticate (RFC 6750): %s', async (_what, header, challenge) => {
    const res = await getWith(header);
    expectProblem(res, 401, 'UNAUTHENTICATED');
    expect(res.headers['www-authenticate']).toBe(challenge);
  });

  it('says invalid_token, and why, for a token that was sent but does not verify', async () => {
    const expired = await mintToken({ tenant: newTenantId(), role: 'admin', expiresIn: -60 });
    expect((await getWith(`Bearer ${expired}`)).headers['www-authenticate']).toBe('Bearer error="invalid_token", error_description="The token has expired"');
    const forged = await signHs256(validClaims(newTenantId()), 'another-secret-that-is-long-enough-for-hs256-000');
    expect((await getWith(`Bearer ${forged}`)).headers['www-authenticate']).toBe('Bearer error="invalid_token", error_description="The token is not valid"');
    const roleless = await signHs256({ ...validClaims(newTenantId()), role: 'owner' });
    expect((await getWith(`Bearer ${roleless}`)).headers['www-authenticate']).toBe(
      'Bearer error="invalid_token", error_description="The token has no valid role"',
    );
    // A 403 is not a challenge.
    const viewer = await mintToken({ tenant: newTenantId(), role: 'viewer' });
    const forbidden = await api.raw({ authorization: `Bearer ${viewer}` }).post('/lead-channels', { channel_code: 'X', channel_name: 'X' });
    expect([forbidden.statusCode, forbidden.headers['www-authenticate']]).toEqual([403, undefined]);
  });

  it('answers 401 for a bad signature', async () => {
    const token = await signHs256(validClaims(newTenantId()), 'another-secret-that-is-long-enough-for-hs256-000');
    expectProblem(await getWith(`Bearer ${token}`), 401, 'UNAUTHENTICATED');
    // Same claims, one character of the signature changed.
    const good = await signHs256(validClaims(newTenantId()));
    const tampered = good.slice(0, -2) + (good.endsWith('AA') ? 'BB' : 'AA');
    expectProblem(await getWith(`Bearer ${tampered}`), 401, 'UNAUTHENTICATED');
  });

  it('answers 401 for a payload changed after signing (tenant swapped)', async () => {
    const [header, , signature] = (await signHs256(validClaims('alice'))).split('.');
    const forged = `${header}.${b64url(validClaims('mallory'))}.${signature}`;
    expectProblem(await getWith(`Bearer ${forged}`), 401, 'UNAUTHENTICATED');
  });

  it('answers 401 for an expired token, and says so', async () => {
    const token = await mintToken({ tenant: newTenantId(), role: 'admin', expiresIn: -60 });
    const res = await getWith(`Bearer ${token}`);
    expectProblem(res, 401, 'UNAUTHENTICATED');
    expect(res.json().detail).toMatch(/expired/);
  });

  it.each([
    ['tenant_id', 'tenant_id'],
    ['role', 'role'],
    ['sub', 'sub'],
    ['exp', 'exp'],
  ])('answers 401 for a token without %s', async (_what, claim) => {
    const claims: Record<string, unknown> = validClaims(newTenantId());
    delete claims[claim];
    expectProblem(await getWith(`Bearer ${await signHs256(claims)}`), 401, 'UNAUTHENTICATED');
  });

  it.each([
    ['an unknown role', { role: 'owner' }],
    ['a role of the wrong case', { role: 'Admin' }],
    ['a role that is not a string', { role: ['admin'] }],
    ['a tenant id outside the pattern', { tenant_id: 'acme corp' }],
    ['a tenant id over 64 characters', { tenant_id: 'a'.repeat(65) }],
    ['a numeric tenant id', { tenant_id: 42 }],
    ['an empty sub', { sub: '' }],
  ])('answers 401 for %s', async (_what, override) => {
    const token = await signHs256({ ...validClaims(newTenantId()), ...override });
    expectProblem(await getWith(`Bearer ${token}`), 401, 'UNAUTHENTICATED');
  });

  it('answers 401 for an unsigned token (alg: none)', async () => {
    const unsigned = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(validClaims(newTenantId()))}.`;
    expectProblem(await getWith(`Bearer ${unsigned}`), 401, 'UNAUTHENTICATED');
    expectProblem(await getWith(`Bearer ${unsigned.slice(0, -1)}`), 401, 'UNAUTHENTICATED');
  });

  it('answers 401 for a token signed with another HMAC algorithm', async () => {
    const token = await new SignJWT(validClaims(newTenantId())).setProtectedHeader({ alg: 'HS512' }).sign(new TextEncoder().encode(TEST_JWT_SECRET.repeat(2)));
    expectProblem(await getWith(`Bearer ${token}`), 401, 'UNAUTHENTICATED');
  });

  it('answers 403 TENANT_MISMATCH when X-Tenant-ID names another tenant', async () => {
    const tenant = newTenantId();
    const token = `Bearer ${await signHs256(validClaims(tenant))}`;
    expectProblem(await getWith(token, { 'x-tenant-id': newTenantId() }), 403, 'TENANT_MISMATCH');
    // Differing only in case is a different tenant.
    expectProblem(await getWith(token, { 'x-tenant-id': tenant.toUpperCase() }), 403, 'TENANT_MISMATCH');
    expectProblem(await getWith(token, { 'x-tenant-id': '' }), 403, 'TENANT_MISMATCH');
  });

  it('serves the request when X-Tenant-ID equals the token tenant', async () => {
    const tenant = newTenantId();
    const res = await getWith(`Bearer ${await signHs256(validClaims(tenant))}`, { 'x-tenant-id': tenant });
    expect(res.statusCode).toBe(200);
  });

  it('takes the tenant from the token, never from X-Tenant-ID alone', async () => {
    expectProblem(await getWith(undefined, { 'x-tenant-id': newTenantId() }), 401, 'UNAUTHENTICATED');
  });

  it('authenticates every method, not only GET', async () => {
    const client = api.raw({});
    expectProblem(await client.post('/lead-sources', { source_code: 'X', source_name: 'X', source_type: 'event' }), 401, 'UNAUTHENTICATED');
    expectProblem(await client.patch('/lead-sources/WEBSITE', { source_name: 'X' }), 401, 'UNAUTHENTICATED');
    expectProblem(await client.delete('/lead-sources/WEBSITE'), 401, 'UNAUTHENTICATED');
    expectProblem(await client.get('/audit-log'), 401, 'UNAUTHENTICATED');
  });

  it('authenticates percent-encoded paths and HEAD requests like any other (no middleware bypass)', async () => {
    const fastify = api.app.getHttpAdapter().getInstance();
    const token = await mintToken({ tenant: newTenantId(), role: 'viewer' });
    for (const url of ['/api/v1/customization/%6Cead-sources', '/api/v1/customization/lead%2Dsources', '/api/v1/customization/lead-sources/%57EBSITE']) {
      for (const method of ['GET', 'HEAD'] as const) {
        expect({ method, url, status: (await fastify.inject({ method, url })).statusCode }).toEqual({ method, url, status: 401 });
        const authed = await fastify.inject({ method, url, headers: { authorization: `Bearer ${token}` } });
        expect({ method, url, status: authed.statusCode }).toEqual({ method, url, status: 200 });
      }
    }
  });

  it('leaves the service routes open', async () => {
    expect((await api.raw().get('/health')).statusCode).toBe(200);
  });
});

describe('authentication with JWT_ISSUER and JWT_AUDIENCE', () => {
  let api: TestApi;
  const issuer = 'https://id.erp.example';
  const audience = 'sales-customization';
  beforeAll(async () => {
    api = await startTestApi({ JWT_ISSUER: issuer, JWT_AUDIENCE: audience });
  });
  afterAll(() => api.close());

  const call = async (claims: Record<string, unknown>) =>
    api.raw({ authorization: `Bearer ${await signHs256({ ...validClaims(newTenantId()), ...claims })}` }).get('/lead-sources');

  it('accepts a token from that issuer for that audience', async () => {
    expect((await call({ iss: issuer, aud: audience })).statusCode).toBe(200);
    expect((await call({ iss: issuer, aud: ['other-service', audience] })).statusCode).toBe(200);
  });

  it.each([
    ['no issuer', { aud: audience }],
    ['another issuer', { iss: 'https://evil.example', aud: audience }],
    ['no audience', { iss: issuer }],
    ['another audience', { iss: issuer, aud: 'billing' }],
  ])('answers 401 for a token with %s', async (_what, claims) => {
    expectProblem(await call(claims), 401, 'UNAUTHENTICATED');
  });
});

describe('authentication with JWT_PUBLIC_KEY (RS256)', () => {
  let api: TestApi;
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  beforeAll(async () => {
    // loadConfig refuses a secret beside a public key; '' switches the harness's secret off.
    api = await startTestApi({ JWT_PUBLIC_KEY: publicKey, JWT_SECRET: '' });
  });
  afterAll(() => api.close());

  const signRs256 = async (claims: Record<string, unknown>) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256' }).sign(await importPKCS8(privateKey, 'RS256'));

  it('accepts an RS256 token signed with the matching private key', async () => {
    const tenant = newTenantId();
    const res = await api.raw({ authorization: `Bearer ${await signRs256(validClaims(tenant))}` }).get('/lead-sources');
    expect(res.statusCode).toBe(200);
    expect(res.json().total).toBe(5);
  });

  it('refuses an RS256 token signed with another key', async () => {
    const other = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const token = await new SignJWT(validClaims(newTenantId())).setProtectedHeader({ alg: 'RS256' }).sign(await importPKCS8(other.privateKey, 'RS256'));
    expectProblem(await api.raw({ authorization: `Bearer ${token}` }).get('/lead-sources'), 401, 'UNAUTHENTICATED');
  });

  it('refuses an HS256 token whose HMAC key is the public key text (HS/RS confusion)', async () => {
    const forged = await signHs256(validClaims(newTenantId()), publicKey);
    expectProblem(await api.raw({ authorization: `Bearer ${forged}` }).get('/lead-sources'), 401, 'UNAUTHENTICATED');
  });

  it('refuses HS256 tokens signed with the test secret and unsigned tokens', async () => {
    const hs = await mintToken({ tenant: newTenantId(), role: 'admin' });
    expectProblem(await api.raw({ authorization: `Bearer ${hs}` }).get('/lead-sources'), 401, 'UNAUTHENTICATED');
    const unsigned = `${b64url({ alg: 'none' })}.${b64url(validClaims(newTenantId()))}.`;
    expectProblem(await api.raw({ authorization: `Bearer ${unsigned}` }).get('/lead-sources'), 401, 'UNAUTHENTICATED');
  });
});
