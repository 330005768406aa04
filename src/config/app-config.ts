import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { EnvSchema, listOf, replicaUrlProblem } from './env.schema';
import { DEFAULT_DEV_SECRETS_FILE, loadOrCreateDevSecrets } from './dev-secrets';
import { WEBHOOK_DEFAULTS, WebhookConfig } from './webhook-defaults';

/**
 * Where the data lives. On MySQL/MariaDB, `replicaUrls` (DATABASE_REPLICA_URLS, absent when none) are
 * read replicas of `url`, in mysql:// form like it: analytics read them (src/database/replica-reads.ts).
 */
export type DatabaseConfig =
  | { type: 'sqlite'; path: string }
  | { type: 'mysql'; flavor: 'mysql' | 'mariadb'; url: string; poolSize: number; queryTimeoutMs: number; replicaUrls?: string[] };

export type JwtConfig =
  { kind: 'secret'; secret: string; issuer?: string; audience?: string } | { kind: 'public-key'; publicKeyPem: string; issuer?: string; audience?: string };

export interface AppConfig {
  readonly env: 'development' | 'production' | 'test';
  readonly port: number;
  readonly host: string;
  readonly database: DatabaseConfig;
  readonly jwt: JwtConfig;
  readonly encryptionKey: Buffer;
  readonly logLevel: string;
  /** `json` (one object per line, for collectors) or `pretty` (coloured lines for a person; `npm run start:dev`). */
  readonly logFormat: 'json' | 'pretty';
  readonly rateLimitPerMinute: number;
  /** Where the rate-limit counters are shared by all instances (REDIS_URL); unset: per process. */
  readonly redisUrl?: string;
  readonly corsOrigins: string[];
  /** Access-Control-Max-Age of preflight answers. */
  readonly corsMaxAgeSeconds: number;
  /** When set, /metrics needs it as a bearer token. */
  readonly metricsToken?: string;
  /** True when the JWT secret was generated locally (development); `npm run token` reads the same file. */
  readonly devSecretsFile?: string;
  /** Milliseconds between two passes of the SLA scan in this process; 0: none. */
  readonly slaScanIntervalMs: number;
  readonly webhooks: WebhookConfig;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

export function parseDatabaseUrl(url: string | undefined, poolSize = 10, queryTimeoutMs = 30_000, replicaUrls: string[] = []): DatabaseConfig {
  if (!url) return { type: 'sqlite', path: 'data/app.sqlite' };
  if (url.startsWith('sqlite:')) return { type: 'sqlite', path: url.slice('sqlite:'.length) };
  // mysql2 speaks to both. The scheme is only a first guess of the flavour (DDL dialect, statement
  // timeout): probeDatabase (src/database/probe.ts) asks the server and corrects it before the start.
  const flavor = url.startsWith('mariadb:') ? 'mariadb' : 'mysql';
  const asMysql = (u: string) => u.replace(/^mariadb:/, 'mysql:');
  return { type: 'mysql', flavor, url: asMysql(url), poolSize, queryTimeoutMs, ...(replicaUrls.length > 0 ? { replicaUrls: replicaUrls.map(asMysql) } : {}) };
}

/**
 * What is wrong with DATABASE_REPLICA_URLS beside DATABASE_URL (each entry's own form is checked by the
 * schema): replicas need a MySQL/MariaDB primary, speak its flavour (the same scheme), and are other
 * servers than the primary and than each other.
 */
export function replicaProblems(databaseUrl: string | undefined, entries: string[]): string[] {
  if (entries.length === 0) return [];
  if (!databaseUrl || !/^(mysql|mariadb):/.test(databaseUrl)) {
    return ['DATABASE_REPLICA_URLS: read replicas need a mysql:// or mariadb:// DATABASE_URL (SQLite has none)'];
  }
  const replicaUrls = entries.filter((u) => replicaUrlProblem(u) === undefined);
  const scheme = databaseUrl.slice(0, databaseUrl.indexOf(':'));
  const problems: string[] = [];
  if (replicaUrls.some((u) => !u.startsWith(`${scheme}:`)))
    problems.push(`DATABASE_REPLICA_URLS: every replica URL must use DATABASE_URL's scheme (${scheme}://)`);
  const servers = [databaseUrl, ...replicaUrls].map((u) => {
    const parsed = URL.parse(u);
    return parsed ? `${parsed.hostname}:${parsed.port || 3306}/${parsed.pathname.replace(/^\//, '')}` : u;
  });
  const repeated = servers.filter((server, i) => servers.indexOf(server) !== i);
  if (repeated.length > 0) problems.push(`DATABASE_REPLICA_URLS: ${[...new Set(repeated)].join(', ')} named twice (the primary, or a replica listed twice)`);
  return problems;
}

function resolvable(id: string): boolean {
  try {
    require.resolve(id);
    return true;
  } catch {
    return false;
  }
}

/** What a start should be told though the configuration is allowed: logged as warnings (configureApp). */
export function configWarnings(config: AppConfig): string[] {
  const warnings: string[] = [];
  if (config.env === 'production' && !config.metricsToken) {
    warnings.push('METRICS_TOKEN is not set: /metrics answers anyone who can reach the service; set METRICS_TOKEN or keep /metrics off the public ingress');
  }
  return warnings;
}

/** Reads and validates the environment once. Throws ConfigError listing every problem. */
export function loadConfig(raw: NodeJS.ProcessEnv = process.env): AppConfig {
  const env = plainToInstance(EnvSchema, { ...raw }, { enableImplicitConversion: false });
  const errors = validateSync(env, { whitelist: false, forbidUnknownValues: false });
  const problems = errors.flatMap((e) => Object.values(e.constraints ?? {}).map((m) => `${e.property}: ${m}`));
  if (env.JWT_SECRET && env.JWT_PUBLIC_KEY) problems.push('JWT_SECRET and JWT_PUBLIC_KEY are exclusive: set one');
  if (env.LOG_FORMAT === 'pretty' && !resolvable('pino-pretty')) {
    problems.push('LOG_FORMAT: pretty needs the pino-pretty package (a development dependency): install it or use json');
  }
  problems.push(...replicaProblems(env.DATABASE_URL, listOf(env.DATABASE_REPLICA_URLS)));
  if (problems.length > 0) throw new ConfigError(problems);

  const mode = env.NODE_ENV ?? 'development';
  let devSecretsFile: string | undefined;
  let jwtSecret = env.JWT_SECRET;
  let encryptionKey = env.ENCRYPTION_KEY;
  if (mode !== 'production' && ((!jwtSecret && !env.JWT_PUBLIC_KEY) || !encryptionKey)) {
    devSecretsFile = env.DEV_SECRETS_FILE ?? DEFAULT_DEV_SECRETS_FILE;
    const dev = loadOrCreateDevSecrets(devSecretsFile);
    if (!jwtSecret && !env.JWT_PUBLIC_KEY) jwtSecret = dev.jwt_secret;
    else devSecretsFile = undefined; // tokens come from the configured issuer, not the dev file
    encryptionKey ??= dev.encryption_key;
  }

  const jwt: JwtConfig = env.JWT_PUBLIC_KEY
    ? { kind: 'public-key', publicKeyPem: env.JWT_PUBLIC_KEY, issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE }
    : { kind: 'secret', secret: jwtSecret!, issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE };

  return Object.freeze({
    env: mode,
    port: env.PORT ?? 3000,
    host: env.HOST ?? '127.0.0.1',
    database: parseDatabaseUrl(env.DATABASE_URL, env.DB_POOL_SIZE, env.DB_QUERY_TIMEOUT_MS, listOf(env.DATABASE_REPLICA_URLS)),
    jwt,
    encryptionKey: Buffer.from(encryptionKey!, 'base64'),
    logLevel: env.LOG_LEVEL ?? (mode === 'test' ? 'silent' : 'info'),
    logFormat: env.LOG_FORMAT ?? 'json',
    rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE ?? 1200,
    redisUrl: env.REDIS_URL,
    corsOrigins: listOf(env.CORS_ORIGINS),
    corsMaxAgeSeconds: env.CORS_MAX_AGE_SECONDS ?? 600,
    metricsToken: env.METRICS_TOKEN,
    devSecretsFile,
    slaScanIntervalMs: env.SLA_SCAN_INTERVAL_MS ?? 300_000,
    webhooks: Object.freeze({
      deliver: env.WEBHOOKS_ENABLED === undefined ? WEBHOOK_DEFAULTS.deliver : env.WEBHOOKS_ENABLED === 'true',
      allowPrivateTargets:
        env.WEBHOOK_ALLOW_PRIVATE_TARGETS === undefined ? WEBHOOK_DEFAULTS.allowPrivateTargets : env.WEBHOOK_ALLOW_PRIVATE_TARGETS === 'true',
      pollIntervalMs: env.WEBHOOK_POLL_INTERVAL_MS ?? WEBHOOK_DEFAULTS.pollIntervalMs,
      retryBaseMs: env.WEBHOOK_RETRY_BASE_MS ?? WEBHOOK_DEFAULTS.retryBaseMs,
      retryForMs: env.WEBHOOK_RETRY_FOR_MS ?? WEBHOOK_DEFAULTS.retryForMs,
      timeoutMs: env.WEBHOOK_TIMEOUT_MS ?? WEBHOOK_DEFAULTS.timeoutMs,
    }),
  });
}
