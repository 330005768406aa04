import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, configWarnings, loadConfig, parseDatabaseUrl } from './app-config';

const KEY = Buffer.alloc(32, 1).toString('base64');
const SECRET = 'a-production-secret-of-at-least-32-chars!';
const PEM = '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n';

/** The ConfigError loadConfig throws, or fails the test. */
function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('loadConfig accepted the configuration');
}

describe('loadConfig', () => {
  it('refuses to start in production without a JWT secret, saying so', () => {
    const problems = problemsOf({ NODE_ENV: 'production', ENCRYPTION_KEY: KEY });
    expect(problems).toEqual([expect.stringContaining('JWT_SECRET or JWT_PUBLIC_KEY is required in production')]);
  });

  it('treats an empty or short production JWT_SECRET as missing (an empty HMAC key verifies forged tokens)', () => {
    expect(problemsOf({ NODE_ENV: 'production', ENCRYPTION_KEY: KEY, JWT_SECRET: '' })).toEqual([expect.stringContaining('JWT_SECRET')]);
    expect(problemsOf({ NODE_ENV: 'production', ENCRYPTION_KEY: KEY, JWT_SECRET: 'short' })).toEqual([expect.stringContaining('at least 32')]);
  });

  it('lists every problem in one error', () => {
    const problems = problemsOf({ NODE_ENV: 'production', PORT: 'eighty', LOG_LEVEL: 'chatty' });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^PORT: /),
        expect.stringMatching(/^LOG_LEVEL: /),
        expect.stringMatching(/^JWT_SECRET: /),
        expect.stringMatching(/^ENCRYPTION_KEY: /),
      ]),
    );
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/Invalid configuration:\n {2}- /);
  });

  it.each([
    ['too short', Buffer.alloc(16, 1).toString('base64')],
    ['not base64', '!'.repeat(43) + '='],
    ['empty', ''],
  ])('refuses an ENCRYPTION_KEY that is %s', (_what, key) => {
    expect(problemsOf({ NODE_ENV: 'test', JWT_SECRET: SECRET, ENCRYPTION_KEY: key })).toEqual([expect.stringContaining('ENCRYPTION_KEY must be 32 bytes')]);
  });

  it('refuses JWT_SECRET together with JWT_PUBLIC_KEY, and a public key that is not PEM', () => {
    expect(problemsOf({ NODE_ENV: 'test', ENCRYPTION_KEY: KEY, JWT_SECRET: SECRET, JWT_PUBLIC_KEY: PEM })).toEqual([expect.stringContaining('exclusive')]);
    expect(problemsOf({ NODE_ENV: 'test', ENCRYPTION_KEY: KEY, JWT_PUBLIC_KEY: 'ssh-rsa AAAA' })).toEqual([expect.stringContaining('PEM')]);
  });

  it('accepts a public key alone in production, with an empty JWT_SECRET beside it', () => {
    const config = loadConfig({ NODE_ENV: 'production', ENCRYPTION_KEY: KEY, JWT_PUBLIC_KEY: PEM, JWT_SECRET: '' });
    expect(config.jwt).toEqual({ kind: 'public-key', publicKeyPem: PEM, issuer: undefined, audience: undefined });
    expect(config.devSecretsFile).toBeUndefined();
  });

  it('builds a frozen, typed config from a valid production environment', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      JWT_SECRET: SECRET,
      JWT_ISSUER: 'https://id.example',
      JWT_AUDIENCE: 'sales',
      ENCRYPTION_KEY: KEY,
      PORT: '8080',
      RATE_LIMIT_PER_MINUTE: '60',
      CORS_ORIGINS: 'https://erp.example, https://admin.example,',
      DATABASE_URL: 'mysql://app:pw@db:3306/sales',
    });
    expect(config).toMatchObject({
      env: 'production',
      port: 8080,
      rateLimitPerMinute: 60,
      corsOrigins: ['https://erp.example', 'https://admin.example'],
      corsMaxAgeSeconds: 600,
      jwt: { kind: 'secret', secret: SECRET, issuer: 'https://id.example', audience: 'sales' },
      logLevel: 'info',
    });
    expect(config.encryptionKey).toEqual(Buffer.alloc(32, 1));
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads the webhook settings, with their defaults, and refuses bad ones', () => {
    const base = { NODE_ENV: 'test', JWT_SECRET: SECRET, ENCRYPTION_KEY: KEY };
    expect(loadConfig(base).webhooks).toEqual({
      deliver: true,
      allowPrivateTargets: false,
      pollIntervalMs: 1000,
      retryBaseMs: 5000,
      retryForMs: 86_400_000,
      timeoutMs: 10_000,
    });
    expect(
      loadConfig({
        ...base,
        WEBHOOKS_ENABLED: 'false',
        WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
        WEBHOOK_POLL_INTERVAL_MS: '50',
        WEBHOOK_RETRY_BASE_MS: '1',
        WEBHOOK_RETRY_FOR_MS: '0',
        WEBHOOK_TIMEOUT_MS: '2000',
      }).webhooks,
    ).toEqual({ deliver: false, allowPrivateTargets: true, pollIntervalMs: 50, retryBaseMs: 1, retryForMs: 0, timeoutMs: 2000 });
    expect(
      problemsOf({
        ...base,
        WEBHOOKS_ENABLED: 'yes',
        WEBHOOK_ALLOW_PRIVATE_TARGETS: '1',
        WEBHOOK_POLL_INTERVAL_MS: '5',
        WEBHOOK_TIMEOUT_MS: '50',
        WEBHOOK_RETRY_FOR_MS: '-1',
      }),
    ).toEqual([
      expect.stringMatching(/^WEBHOOKS_ENABLED: /),
      expect.stringMatching(/^WEBHOOK_ALLOW_PRIVATE_TARGETS: /),
      expect.stringMatching(/^WEBHOOK_POLL_INTERVAL_MS: /),
      expect.stringMatching(/^WEBHOOK_RETRY_FOR_MS: /),
      expect.stringMatching(/^WEBHOOK_TIMEOUT_MS: /),
    ]);
  });

  it('refuses a database URL of another kind and out-of-range numbers', () => {
    expect(problemsOf({ NODE_ENV: 'test', JWT_SECRET: SECRET, ENCRYPTION_KEY: KEY, DATABASE_URL: 'postgres://db/sales' })).toEqual([
      expect.stringContaining('DATABASE_URL must be'),
    ]);
    expect(problemsOf({ NODE_ENV: 'test', JWT_SECRET: SECRET, ENCRYPTION_KEY: KEY, RATE_LIMIT_PER_MINUTE: '0' })).toEqual([
      expect.stringMatching(/^RATE_LIMIT_PER_MINUTE: /),
    ]);
  });

  it('reads SLA_SCAN_INTERVAL_MS: 5 minutes by default, 0 turns the scan off, negative, fractional or over a day is refused', () => {
    const base = { NODE_ENV: 'test', JWT_SECRET: SECRET, ENCRYPTION_KEY: KEY };
    expect(loadConfig(base).slaScanIntervalMs).toBe(300_000);
    expect(loadConfig({ ...base, SLA_SCAN_INTERVAL_MS: '0' }).slaScanIntervalMs).toBe(0);
    expect(loadConfig({ ...base, SLA_SCAN_INTERVAL_MS: '60000' }).slaScanIntervalMs).toBe(60_000);
    for (const bad of ['-1', '1.5', 'soon', '86400001']) {
      const problems = problemsOf({ ...base, SLA_SCAN_INTERVAL_MS: bad });
      expect(problems.length).toBeGreaterThan(0);
      expect(problems.every((p) => p.startsWith('SLA_SCAN_INTERVAL_MS: '))).toBe(true);
    }
  });

  it.each([
    ['erp.example.com', 'write https://erp.example.com'],
    ['localhost:3000', 'write https://localhost:3000'],
    ['https://erp.example.com/', 'write https://erp.example.com'],
    ['https://erp.example.com/app', 'write https://erp.example.com'],
    ['https://ERP.example.com', 'write https://erp.example.com'],
    ['https://erp.example.com:443', 'write https://erp.example.com'],
    ['https://user@erp.example.com', 'write https://erp.example.com'],
    ['https://erp.example.com?x=1', 'write https://erp.example.com'],
    ['ftp://erp.example.com', 'list each allowed origin, e.g. https://erp.example.com'],
    ['*', 'list each allowed origin, e.g. https://erp.example.com'],
    ['null', 'write https://null'],
  ])('refuses a CORS_ORIGINS entry that is not an origin as browsers send it: %s', (entry, advice) => {
    const problems = problemsOf({ NODE_ENV: 'test', JWT_SECRET: SECRET, ENCRYPTION_KEY: KEY, CORS_ORIGINS: `https://ok.example, ${entry}` });
    expect(problems).toEqual([`CORS_ORIGINS: "${entry}" is not an origin (scheme://host[:port]): ${advice}`]);
  });

  it('names every bad CORS_ORIGINS entry at once, and takes origins with ports, http and IPv6', () => {
    expect(problemsOf({ NODE_ENV: 'test', JWT_SECRET: SECRET, ENCRYPTION_KEY: KEY, CORS_ORIGINS: 'a.example,https://ok.example,b.example' })).toEqual([
      'CORS_ORIGINS: "a.example" is not an origin (scheme://host[:port]): write https://a.example; "b.example" is not an origin (scheme://host[:port]): write https://b.example',
    ]);
    const origins = 'https://erp.example.com:8443, http://localhost:5173, http://[::1]:3000, https://xn--bcher-kva.example';
    expect(loadConfig({ NODE_ENV: 'test', JWT_SECRET: SECRET, ENCRYPTION_KEY: KEY, CORS_ORIGINS: origins }).corsOrigins).toEqual(origins.split(', '));
  });

  it('takes CORS_MAX_AGE_SECONDS from 0 to 86400 (default 600)', () => {
    const base = { NODE_ENV: 'test', JWT_SECRET: SECRET, ENCRYPTION_KEY: KEY };
    expect(loadConfig(base).corsMaxAgeSeconds).toBe(600);
    expect(loadConfig({ ...base, CORS_MAX_AGE_SECONDS: '0' }).corsMaxAgeSeconds).toBe(0);
    expect(loadConfig({ ...base, CORS_MAX_AGE_SECONDS: '7200' }).corsMaxAgeSeconds).toBe(7200);
    for (const bad of ['-1', '86401', '1.5', 'ten']) {
      const problems = problemsOf({ ...base, CORS_MAX_AGE_SECONDS: bad });
      expect(problems.length).toBeGreaterThan(0);
      expect(problems.filter((p) => !p.startsWith('CORS_MAX_AGE_SECONDS: '))).toEqual([]);
    }
  });

  it('takes REDIS_URL as redis:// or rediss:// with an optional database number (unset: per-process counters)', () => {
    const base = { NODE_ENV: 'test', JWT_SECRET: SECRET, ENCRYPTION_KEY: KEY };
    expect(loadConfig(base).redisUrl).toBeUndefined();
    for (const good of ['redis://127.0.0.1:6379', 'redis://cache:6379/2', 'rediss://user:p%40ss@cache.internal:6380/0', 'redis://cache/']) {
      expect(loadConfig({ ...base, REDIS_URL: good }).redisUrl).toBe(good);
    }
    for (const bad of ['', '127.0.0.1:6379', 'http://cache:6379', 'redis://', 'redis://cache:6379/db', 'redis://cache:6379/1/2', 'redis://ca che']) {
      expect(problemsOf({ ...base, REDIS_URL: bad })).toEqual([expect.stringContaining('REDIS_URL must be redis://host:port[/db]')]);
    }
  });

  it('takes a METRICS_TOKEN of at least 16 visible characters, and warns about a production start without one', () => {
    const production = { NODE_ENV: 'production', JWT_SECRET: SECRET, ENCRYPTION_KEY: KEY };
    expect(configWarnings(loadConfig(production))).toEqual([expect.stringMatching(/^METRICS_TOKEN is not set/)]);
    const restricted = loadConfig({ ...production, METRICS_TOKEN: 'a-scrape-token-of-32-characters!' });
    expect(restricted.metricsToken).toBe('a-scrape-token-of-32-characters!');
    expect(configWarnings(restricted)).toEqual([]);
    expect(configWarnings(loadConfig({ ...production, NODE_ENV: 'test' }))).toEqual([]);
    for (const bad of ['', 'short', 'sixteen chars ok', 'x'.repeat(15)]) {
      expect(problemsOf({ ...production, METRICS_TOKEN: bad })).toEqual([
        expect.stringContaining('METRICS_TOKEN must be at least 16 visible ASCII characters'),
      ]);
    }
  });

  describe('DATABASE_REPLICA_URLS', () => {
    const base = { NODE_ENV: 'test', JWT_SECRET: SECRET, ENCRYPTION_KEY: KEY };
    const primary = 'mariadb://app:pw@db-1:3306/sales';

    it('lists read replicas of a MySQL/MariaDB primary, in the mysql:// form of DATABASE_URL', () => {
      const config = loadConfig({ ...base, DATABASE_URL: primary, DATABASE_REPLICA_URLS: ' mariadb://app:pw@db-2:3306/sales, mariadb://app:pw@db-3/sales ,' });
      expect(config.database).toEqual({
        type: 'mysql',
        flavor: 'mariadb',
        url: 'mysql://app:pw@db-1:3306/sales',
        poolSize: 10,
        queryTimeoutMs: 30_000,
        replicaUrls: ['mysql://app:pw@db-2:3306/sales', 'mysql://app:pw@db-3/sales'],
      });
      const mysql = loadConfig({ ...base, DATABASE_URL: 'mysql://app:pw@db-1/sales', DATABASE_REPLICA_URLS: 'mysql://app:pw@db-2/sales' });
      expect(mysql.database).toMatchObject({ flavor: 'mysql', replicaUrls: ['mysql://app:pw@db-2/sales'] });
    });

    it('has none when unset or empty', () => {
      expect(loadConfig({ ...base, DATABASE_URL: primary }).database).not.toHaveProperty('replicaUrls');
      expect(loadConfig({ ...base, DATABASE_URL: primary, DATABASE_REPLICA_URLS: ' , ' }).database).not.toHaveProperty('replicaUrls');
      expect(loadConfig({ ...base, DATABASE_REPLICA_URLS: '' }).database).toEqual({ type: 'sqlite', path: 'data/app.sqlite' });
    });

    it('refuses replicas without a MySQL/MariaDB primary', () => {
      for (const DATABASE_URL of [undefined, 'sqlite:/tmp/app.sqlite', 'sqlite::memory:']) {
        expect(problemsOf({ ...base, ...(DATABASE_URL ? { DATABASE_URL } : {}), DATABASE_REPLICA_URLS: 'mysql://app:pw@db-2/sales' })).toEqual([
          'DATABASE_REPLICA_URLS: read replicas need a mysql:// or mariadb:// DATABASE_URL (SQLite has none)',
        ]);
      }
    });

    it('names each entry that is not a mysql:// or mariadb:// URL, without its credentials', () => {
      expect(
        problemsOf({ ...base, DATABASE_URL: primary, DATABASE_REPLICA_URLS: 'mariadb://app:pw@db-2/sales,postgres://app:secret@db-3/sales,db-4:3306' }),
      ).toEqual([
        'DATABASE_REPLICA_URLS: "postgres://…@db-3/sales" is not a mysql:// or mariadb:// URL (mysql://user:pass@host:3306/db); "db-4:3306" is not a mysql:// or mariadb:// URL (mysql://user:pass@host:3306/db)',
      ]);
      expect(problemsOf({ ...base, DATABASE_URL: primary, DATABASE_REPLICA_URLS: 'mariadb://' })).toEqual([
        expect.stringMatching(/^DATABASE_REPLICA_URLS: "mariadb:\/\/" is not a mysql:\/\/ or mariadb:\/\/ URL/),
      ]);
    });

    it("refuses another flavour than DATABASE_URL's, and a server named twice", () => {
      expect(problemsOf({ ...base, DATABASE_URL: primary, DATABASE_REPLICA_URLS: 'mysql://app:pw@db-2/sales' })).toEqual([
        "DATABASE_REPLICA_URLS: every replica URL must use DATABASE_URL's scheme (mariadb://)",
      ]);
      expect(problemsOf({ ...base, DATABASE_URL: primary, DATABASE_REPLICA_URLS: 'mariadb://reader:pw@db-1/sales' })).toEqual([
        'DATABASE_REPLICA_URLS: db-1:3306/sales named twice (the primary, or a replica listed twice)',
      ]);
      expect(problemsOf({ ...base, DATABASE_URL: primary, DATABASE_REPLICA_URLS: 'mariadb://app:pw@db-2:3306/sales,mariadb://app:pw@db-2/sales' })).toEqual([
        'DATABASE_REPLICA_URLS: db-2:3306/sales named twice (the primary, or a replica listed twice)',
      ]);
      // Another port of the same host is another server.
      expect(loadConfig({ ...base, DATABASE_URL: primary, DATABASE_REPLICA_URLS: 'mariadb://app:pw@db-1:3307/sales' }).database).toMatchObject({
        replicaUrls: ['mysql://app:pw@db-1:3307/sales'],
      });
    });
  });

  it('generates and then reuses local secrets in development', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'dev-secrets-')), 'nested', 'dev-secrets.json');
    const first = loadConfig({ NODE_ENV: 'development', DEV_SECRETS_FILE: file });
    const stored = JSON.parse(readFileSync(file, 'utf8'));
    expect(first.devSecretsFile).toBe(file);
    expect(first.jwt).toMatchObject({ kind: 'secret', secret: stored.jwt_secret });
    expect(first.encryptionKey).toHaveLength(32);
    const second = loadConfig({ NODE_ENV: 'development', DEV_SECRETS_FILE: file });
    expect(second.jwt).toEqual(first.jwt);
    expect(second.encryptionKey).toEqual(first.encryptionKey);
  });
});

describe('parseDatabaseUrl', () => {
  it('defaults to the SQLite file beside the app', () => {
    expect(parseDatabaseUrl(undefined)).toEqual({ type: 'sqlite', path: 'data/app.sqlite' });
    expect(parseDatabaseUrl('')).toEqual({ type: 'sqlite', path: 'data/app.sqlite' });
  });

  it('reads sqlite:<path> and sqlite::memory:', () => {
    expect(parseDatabaseUrl('sqlite:/var/lib/sales/app.sqlite')).toEqual({ type: 'sqlite', path: '/var/lib/sales/app.sqlite' });
    expect(parseDatabaseUrl('sqlite::memory:')).toEqual({ type: 'sqlite', path: ':memory:' });
  });

  it('reads mysql:// as MySQL and mariadb:// as MariaDB, both spoken through mysql2', () => {
    expect(parseDatabaseUrl('mysql://app:pw@db:3306/sales', 20, 5000)).toEqual({
      type: 'mysql',
      flavor: 'mysql',
      url: 'mysql://app:pw@db:3306/sales',
      poolSize: 20,
      queryTimeoutMs: 5000,
    });
    expect(parseDatabaseUrl('mariadb://app:pw@db:3306/sales')).toEqual({
      type: 'mysql',
      flavor: 'mariadb',
      url: 'mysql://app:pw@db:3306/sales',
      poolSize: 10,
      queryTimeoutMs: 30_000,
    });
  });

  it('is what loadConfig uses', () => {
    const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: SECRET, ENCRYPTION_KEY: KEY, DATABASE_URL: 'mariadb://a:b@h:3307/x_test', DB_POOL_SIZE: '4' });
    expect(config.database).toMatchObject({ type: 'mysql', flavor: 'mariadb', url: 'mysql://a:b@h:3307/x_test', poolSize: 4 });
  });
});
