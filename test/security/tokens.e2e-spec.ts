import { createHmac, generateKeyPairSync, KeyObject } from 'node:crypto';
import { exportJWK, SignJWT } from 'jose';
import { newTenantId } from '../support/tenants';
import { buildWorld, kindOf, KINDS, newTag, sampleBody, World } from './support/catalogue';
import { answer, isProblem } from './support/checks';
import { ApiDoc, fillPath, Operation, readApiDoc } from './support/openapi';
import { ok, SClient, SecretScanner, SecureApi, startSecureApi } from './support/secure-api';

// Every bad token on every route: up to 111 s a test on SQLite on two busy cores.
jest.setTimeout(600_000);

/**
 * Tokens, over every operation of the live OpenAPI document (test/tenancy/auth.e2e-spec.ts covers the
 * same cases on one route): unsigned (alg none), HS/RS confusion, a wrong key, expired, not yet valid,
 * a wrong issuer or audience, a missing or unknown claim, and malformed headers all answer 401
 * UNAUTHENTICATED problem+json on every route, never a 500, and change nothing; X-Tenant-ID naming
 * another tenant answers 403 TENANT_MISMATCH on every route (API.md §1). Every bad token carries the
 * tenant and admin role of a tenant with data on every route, so an accepted one would show.
 */

const now = () => Math.floor(Date.now() / 1000);
const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
const ISSUER = 'https://id.erp.example';
const AUDIENCE = 'sales-customization';

type Claims = Record<string, unknown>;
type Key = KeyObject | Uint8Array;

const sign = (claims: Claims, alg: string, key: Key, header: Record<string, unknown> = {}) =>
  new SignJWT(claims).setProtectedHeader({ ...header, alg }).sign(key);
const secretKey = (s: string) => new TextEncoder().encode(s);
/** HS256 by hand, for headers jose refuses to write (an unknown `crit`). */
const hs256Raw = (header: object, claims: Claims, key: Uint8Array) => {
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
};
/** A token signed under `alg`, its header then claiming `claimed`. */
const relabel = (token: string, claimed: string) => `${b64({ alg: claimed })}.${token.split('.').slice(1).join('.')}`;
const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });

/** Bodies of refused requests carry integration keys too: registered with a scanner of their own. */
const SECRETS = new SecretScanner();

/** Calls every operation of the document with these headers; returns the operations that did not answer as expected. */
async function everyOperation(
  doc: ApiDoc,
  client: SClient,
  world: World,
  expected: (res: Awaited<ReturnType<SClient['send']>>) => boolean,
  label: string,
  ops: Operation[] = doc.ops,
): Promise<string[]> {
  const wrong: string[] = [];
  for (const op of ops) {
    const kind = kindOf(op);
    const url = fillPath(op.path, kind ? world[kind] : {});
    const body = sampleBody(op, { tag: newTag('X'), secrets: SECRETS });
    const res = await client.send(op.method, url, { body });
    if (!expected(res)) wrong.push(`${label}: ${op.key}: ${answer(res)}`);
  }
  return wrong;
}

/**
 * One operation per method and resource family (first path segment, with or without a row): the
 * rarer token cases run on these, the main cases of the issue on every operation. The guard is one
 * global guard, so what varies between routes is only whether it runs at all, which the main cases
 * show for every route.
 */
function onePerFamily(doc: ApiDoc): Operation[] {
  const seen = new Set<string>();
  return doc.ops.filter((op) => {
    const family = `${op.method} ${op.path.split('/')[1]} ${op.params.length > 0}`;
    if (seen.has(family)) return false;
    seen.add(family);
    return true;
  });
}

/** The token cases the issue names, which run on every operation. */
const EVERY_ROUTE =
  /^(alg none, no signature|HS512 with the secret|HS256 with another secret|RS256 with an attacker key|expired|not yet valid \(nbf\)|another issuer|another audience|no tenant_id|no role|an unknown role|HS256 keyed with the public key PEM \(HS\/RS confusion\)|\w+ with another key pair|alg none)$/;

async function refuseAll(s: Setup, tokens: [string, string][]): Promise<{ wrong: string[]; requests: number }> {
  const wrong: string[] = [];
  let requests = 0;
  const sample = onePerFamily(s.doc);
  for (const [label, token] of tokens) {
    const ops = EVERY_ROUTE.test(label) ? s.doc.ops : sample;
    wrong.push(...(await everyOperation(s.doc, s.api.raw({ authorization: `Bearer ${token}` }), s.world, unauthenticated, label, ops)));
    requests += ops.length;
  }
  return { wrong, requests };
}

interface Setup {
  api: SecureApi;
  doc: ApiDoc;
  tenant: string;
  world: World;
  admin: SClient;
}

async function setUp(env: Record<string, string>, validToken: (api: SecureApi, claims: Claims) => Promise<string>): Promise<Setup> {
  const api = await startSecureApi(env);
  const doc = await readApiDoc(api);
  const tenant = newTenantId('tok');
  const admin = api.raw({
    authorization: `Bearer ${await validToken(api, { sub: 'root', tenant_id: tenant, role: 'admin', exp: now() + 600, iss: ISSUER, aud: AUDIENCE })}`,
  });
  const world = await buildWorld({ c: admin, tag: newTag('K'), secrets: api.scanner });
  return { api, doc, tenant, world, admin };
}

/** How many audit entries the tenant has: any write that got through adds one. */
const auditTotal = async (s: Setup) => ok(await s.admin.get('/audit-log', { query: { limit: 1 } })).total as number;

const unauthenticated = (res: Awaited<ReturnType<SClient['send']>>) => isProblem(res, 401, 'UNAUTHENTICATED');

describe('tokens on every route: HS256 with issuer and audience', () => {
  let s: Setup;
  let secret: Uint8Array;
  const claims = (over: Claims = {}): Claims => ({ sub: 'mallory', tenant_id: s.tenant, role: 'admin', exp: now() + 600, iss: ISSUER, aud: AUDIENCE, ...over });
  const without = (name: string): Claims => {
    const c = claims();
    delete c[name];
    return c;
  };

  beforeAll(async () => {
    s = await setUp({ JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE }, (api, c) => sign(c, 'HS256', secretKey(api.jwtSecret)));
    secret = secretKey(s.api.jwtSecret);
  }, 60_000);
  afterAll(async () => {
    s.api.expectClean();
    await s.api.close();
  });

  // Built lazily: the claims need the tenant, the keys the app's secret.
  const badTokens = async (): Promise<[string, string][]> => {
    const attacker = rsa();
    const attackerEc = ec();
    const jwk = await exportJWK(attacker.publicKey);
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`;
    const good = await sign(claims(), 'HS256', secret);
    const [h, p] = good.split('.');
    return [
      ['alg none, no signature', unsigned],
      ['alg none, no dot', unsigned.slice(0, -1)],
      ['alg None', `${b64({ alg: 'None' })}.${b64(claims())}.`],
      ['alg NONE with a signature', `${b64({ alg: 'NONE' })}.${b64(claims())}.${good.split('.')[2]}`],
      ['alg none header on a valid signature', `${b64({ alg: 'none' })}.${p}.${good.split('.')[2]}`],
      ['HS512 with the secret', await sign(claims(), 'HS512', secret)],
      ['HS384 with the secret', await sign(claims(), 'HS384', secret)],
      ['HS256 with another secret', await sign(claims(), 'HS256', secretKey('another-secret-that-is-long-enough-for-hs256'))],
      ['RS256 with an attacker key', await sign(claims(), 'RS256', attacker.privateKey)],
      ['RS256 with the attacker key embedded (jwk header)', await sign(claims(), 'RS256', attacker.privateKey, { jwk })],
      ['ES256 with an attacker key', await sign(claims(), 'ES256', attackerEc.privateKey)],
      [
        'a kid pointing elsewhere, attacker key',
        await sign(claims(), 'RS256', attacker.privateKey, { kid: "../../../dev/null' OR 1=1 --", jku: 'https://evil.example/jwks.json' }),
      ],
      ['an unknown critical header', hs256Raw({ alg: 'HS256', crit: ['x-evil'], 'x-evil': true }, claims(), secret)],
      ['a signature of another payload', `${h}.${b64(claims({ tenant_id: newTenantId('victim') }))}.${good.split('.')[2]}`],
      ['a truncated signature', good.slice(0, -3)],
      ['expired', await sign(claims({ exp: now() - 60 }), 'HS256', secret)],
      ['expired long ago', await sign(claims({ exp: 1 }), 'HS256', secret)],
      ['not yet valid (nbf)', await sign(claims({ nbf: now() + 120 }), 'HS256', secret)],
      ['exp as a string', await sign(claims({ exp: String(now() + 600) }), 'HS256', secret)],
      ['another issuer', await sign(claims({ iss: 'https://evil.example' }), 'HS256', secret)],
      ['no issuer', await sign(without('iss'), 'HS256', secret)],
      ['another audience', await sign(claims({ aud: 'billing' }), 'HS256', secret)],
      ['an audience list without ours', await sign(claims({ aud: ['billing', 'crm'] }), 'HS256', secret)],
      ['no audience', await sign(without('aud'), 'HS256', secret)],
      ['no tenant_id', await sign(without('tenant_id'), 'HS256', secret)],
      ['no role', await sign(without('role'), 'HS256', secret)],
      ['no sub', await sign(without('sub'), 'HS256', secret)],
      ['no exp', await sign(without('exp'), 'HS256', secret)],
      ['an unknown role', await sign(claims({ role: 'owner' }), 'HS256', secret)],
      ['a role in capitals', await sign(claims({ role: 'ADMIN' }), 'HS256', secret)],
      ['a role list', await sign(claims({ role: ['admin'] }), 'HS256', secret)],
      ['a null role', await sign(claims({ role: null }), 'HS256', secret)],
      ['a tenant_id with a space', await sign(claims({ tenant_id: `${s.tenant} x` }), 'HS256', secret)],
      ['a tenant_id with a path', await sign(claims({ tenant_id: '../t' }), 'HS256', secret)],
      ['a tenant_id of 65 characters', await sign(claims({ tenant_id: 'a'.repeat(65) }), 'HS256', secret)],
      ['a numeric tenant_id', await sign(claims({ tenant_id: 42 }), 'HS256', secret)],
      ['a tenant_id object', await sign(claims({ tenant_id: { $ne: null } }), 'HS256', secret)],
      ['an empty sub', await sign(claims({ sub: '' }), 'HS256', secret)],
      ['a sub of 129 characters', await sign(claims({ sub: 's'.repeat(129) }), 'HS256', secret)],
      ['four segments', `${good}.x`],
      ['a JWE-shaped token', `${b64({ alg: 'dir', enc: 'A256GCM' })}..aaaa.bbbb.cccc`],
      ['a payload that is not JSON', `${h}.${Buffer.from('not json').toString('base64url')}.${good.split('.')[2]}`],
      ['base64 padding and plus signs', `${h}+/=.${p}.${good.split('.')[2]}`],
      ['100 KB of token', `${h}.${'A'.repeat(100_000)}.${good.split('.')[2]}`],
    ];
  };

  it('answers 401 UNAUTHENTICATED on every route to every bad token, and nothing changes', async () => {
    const before = await auditTotal(s);
    const tokens = await badTokens();
    const { wrong, requests } = await refuseAll(s, tokens);
    expect(wrong).toEqual([]);
    // Not vacuous: the cases of the issue ran on every route, the rarer ones on each family of routes.
    expect(tokens.filter(([label]) => EVERY_ROUTE.test(label)).length).toBe(11);
    expect(onePerFamily(s.doc).length).toBeGreaterThan(20);
    expect(requests).toBeGreaterThan(11 * s.doc.ops.length);
    expect(await auditTotal(s)).toBe(before);
  });

  it('answers 401 on every route without a token or with a malformed Authorization header', async () => {
    const good = await sign(claims(), 'HS256', secret);
    const headers: [string, Record<string, string>][] = [
      ['no header', {}],
      ['Basic', { authorization: 'Basic YWRtaW46YWRtaW4=' }],
      ['Token scheme', { authorization: `Token ${good}` }],
      ['the scheme alone', { authorization: 'Bearer' }],
      ['two tokens', { authorization: `Bearer ${good} ${good}` }],
      ['the token without a scheme', { authorization: good }],
      ['X-Tenant-ID alone', { 'x-tenant-id': s.tenant }],
    ];
    const wrong: string[] = [];
    for (const [label, h] of headers) wrong.push(...(await everyOperation(s.doc, s.api.raw(h), s.world, unauthenticated, label)));
    expect(wrong).toEqual([]);
  });

  it("answers 403 TENANT_MISMATCH on every route when X-Tenant-ID names another tenant, and serves it when it names the token's", async () => {
    const token = await sign(claims(), 'HS256', secret);
    const wrong = [
      ...(await everyOperation(
        s.doc,
        s.api.raw({ authorization: `Bearer ${token}`, 'x-tenant-id': newTenantId('other') }),
        s.world,
        (r) => isProblem(r, 403, 'TENANT_MISMATCH'),
        'another tenant',
      )),
      ...(await everyOperation(
        s.doc,
        s.api.raw({ authorization: `Bearer ${token}`, 'x-tenant-id': s.tenant.toUpperCase() }),
        s.world,
        (r) => isProblem(r, 403, 'TENANT_MISMATCH'),
        'the tenant in capitals',
      )),
    ];
    expect(wrong).toEqual([]);
    // Not vacuous: the same token with its own tenant reads every GET route.
    const reads = s.doc.ops.filter((o: Operation) => o.method === 'GET');
    for (const op of reads) {
      const kind = kindOf(op);
      const res = await s.api.raw({ authorization: `Bearer ${token}`, 'x-tenant-id': s.tenant }).get(fillPath(op.path, kind ? s.world[kind] : {}));
      if (res.statusCode !== 200) wrong.push(`${op.key} with its own tenant: ${answer(res)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('accepts a good token, also with the scheme in lower case (the control for the cases above)', async () => {
    const token = await sign(claims(), 'HS256', secret);
    expect((await s.api.raw({ authorization: `Bearer ${token}` }).get('/lead-sources')).statusCode).toBe(200);
    expect((await s.api.raw({ authorization: `bearer ${token}` }).get('/lead-sources')).statusCode).toBe(200);
    expect(Object.keys(KINDS).length).toBeGreaterThan(5);
  });
});

describe.each([
  { name: 'RS256', pair: rsa, alg: 'RS256', others: ['RS384', 'RS512', 'PS256'] },
  { name: 'ES256', pair: ec, alg: 'ES256', others: ['ES256K', 'ES384', 'EdDSA'] },
])('tokens on every route: $name under JWT_PUBLIC_KEY', ({ pair, alg, others }) => {
  let s: Setup;
  const keys = pair();
  const publicPem = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const claims = (over: Claims = {}): Claims => ({ sub: 'mallory', tenant_id: s.tenant, role: 'admin', exp: now() + 600, ...over });

  beforeAll(async () => {
    s = await setUp({ JWT_PUBLIC_KEY: publicPem }, (_api, c) => sign(c, alg, keys.privateKey));
  }, 60_000);
  afterAll(async () => {
    s.api.expectClean();
    await s.api.close();
  });

  it('answers 401 on every route to unsigned, confused, foreign-key and other-algorithm tokens, and nothing changes', async () => {
    const before = await auditTotal(s);
    const attacker = pair();
    const der = keys.publicKey.export({ type: 'spki', format: 'der' });
    const tokens: [string, string][] = [
      ['HS256 keyed with the public key PEM (HS/RS confusion)', await sign(claims(), 'HS256', secretKey(publicPem))],
      ['HS256 keyed with the public key PEM, trimmed', await sign(claims(), 'HS256', secretKey(publicPem.trim()))],
      ['HS256 keyed with the public key DER', await sign(claims(), 'HS256', new Uint8Array(der))],
      [`${alg} with another key pair`, await sign(claims(), alg, attacker.privateKey)],
      [`${alg} with the attacker key embedded (jwk header)`, await sign(claims(), alg, attacker.privateKey, { jwk: await exportJWK(attacker.publicKey) })],
      ['alg none', `${b64({ alg: 'none' })}.${b64(claims())}.`],
      ['expired', await sign(claims({ exp: now() - 60 }), alg, keys.privateKey)],
      ['not yet valid (nbf)', await sign(claims({ nbf: now() + 120 }), alg, keys.privateKey)],
      ['no tenant_id', await sign({ sub: 'm', role: 'admin', exp: now() + 600 }, alg, keys.privateKey)],
      ['an unknown role', await sign(claims({ role: 'root' }), alg, keys.privateKey)],
    ];
    for (const other of others) {
      // A real signature under the other algorithm where the key allows one; else the header relabelled.
      const token = await sign(claims(), other, keys.privateKey).catch(async () => relabel(await sign(claims(), alg, keys.privateKey), other));
      tokens.push([`${other} with the right key (algorithm pinned to ${alg})`, token]);
    }
    const { wrong } = await refuseAll(s, tokens);
    expect(wrong).toEqual([]);
    expect(tokens.filter(([label]) => EVERY_ROUTE.test(label)).length).toBe(7);
    expect(await auditTotal(s)).toBe(before);
  });

  it(`accepts a good ${alg} token (the control)`, async () => {
    const token = await sign(claims(), alg, keys.privateKey);
    expect((await s.api.raw({ authorization: `Bearer ${token}` }).get('/lead-sources')).statusCode).toBe(200);
  });
});
