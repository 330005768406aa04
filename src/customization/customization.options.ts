import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { JwtConfig } from '../config/app-config';
import { WEBHOOK_DEFAULTS } from '../config/webhook-defaults';
import { REDIS_URL_PATTERN } from '../config/env.schema';

/** How our routes verify bearer tokens: the identity service's HS256 secret or its RS256/ES256 public key. */
export type CustomizationJwtOptions = ({ secret: string } | { publicKey: string }) & {
  /** Enforced when set (`iss` claim). */
  issuer?: string;
  /** Enforced when set (`aud` claim). */
  audience?: string;
};

/** What the `http` opt-in needs: the routes authenticate and rate-limit their callers. */
export interface CustomizationHttpOptions {
  jwt: CustomizationJwtOptions;
  /** Requests per tenant per minute over all our routes (429 beyond). Default 1200. */
  rateLimitPerMinute?: number;
  /**
   * redis://host:port[/db] (or rediss://): the rate-limit counters live in this Redis, so the limit
   * holds in total across instances. Needs the packages ioredis and @nest-lab/throttler-storage-redis.
   * While Redis is unreachable each instance counts on its own (fail open, logged and in /metrics).
   */
  redisUrl?: string;
  /**
   * Where the rate-limit counters live, when you bring your own @nestjs/throttler storage: it wins over
   * `redisUrl`, and its failures are yours (no fail-open around it). Default: `redisUrl`'s Redis if
   * given, else this process's memory (behind N instances the effective limit is N × the setting).
   */
  throttlerStorage?: ThrottlerStorage;
}

/**
 * Webhooks from the transactional outbox (docs/webhooks.md). Giving this option turns them on: every
 * domain event is also written to the outbox in its write's transaction, the `/webhook-subscriptions`
 * routes are mounted (with `http`), and, unless `deliver` is false, this process relays and delivers.
 */
export interface CustomizationWebhookOptions {
  /** Relay the outbox and deliver from this process (WEBHOOKS_ENABLED). Default true; at least one instance must. */
  deliver?: boolean;
  /** Let subscriptions target loopback and private addresses, over http too: tests and on-premise only. Default false. */
  allowPrivateTargets?: boolean;
  /** How often the relay looks for work. Default 1000. */
  pollIntervalMs?: number;
  /** Retry n waits a random time in [0, min(retryBaseMs × 2^(n-1), 1 h)]. Default 5000. */
  retryBaseMs?: number;
  /** A delivery still failing this long after its first attempt is dead. Default 86 400 000 (a day). */
  retryForMs?: number;
  /** One attempt's limit, connection to answer. Default 10 000. */
  timeoutMs?: number;
}

/** `CustomizationModule.forRoot(options)`, or what `forRootAsync`'s factory returns. */
export interface CustomizationModuleOptions {
  /**
   * Seals channel integration keys at rest (AES-256-GCM): 32 bytes, as a Buffer or base64 text.
   * Keep it stable: rows sealed under one key do not open under another.
   */
  encryptionKey: Buffer | string;
  /**
   * Mounts our REST routes (under the host's global prefix, if any) with their JWT guard, validation,
   * problem+json errors and per-tenant rate limit, all scoped to our controllers. Without it, no
   * route, guard, pipe or filter of ours is registered; hosts call the services in-process.
   */
  http?: CustomizationHttpOptions;
  /**
   * Milliseconds between two passes of the SLA scan in this process (`milestone.sla_breached` for
   * leads that overstay their stage; docs/milestones.md "SLA breaches"). Default 300 000 (5 minutes);
   * 0 runs no scan in this process. Any number of processes may scan the same database.
   */
  slaScanIntervalMs?: number;
  /** Webhooks (see CustomizationWebhookOptions). Off when absent. */
  webhooks?: CustomizationWebhookOptions;
}

/** Given to forRoot and forRootAsync alike, outside the (possibly async) options. */
export interface CustomizationModuleExtras {
  /**
   * The name of the host's TypeORM DataSource holding our tables (TypeOrmModule.forRoot's `name`).
   * Default: the default DataSource.
   */
  dataSource?: string;
}

export const {
  ConfigurableModuleClass: CustomizationModuleBase,
  MODULE_OPTIONS_TOKEN: CUSTOMIZATION_OPTIONS,
  OPTIONS_TYPE: CUSTOMIZATION_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: CUSTOMIZATION_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<CustomizationModuleOptions>({ moduleName: 'Customization' })
  .setClassMethodName('forRoot')
  .setExtras<CustomizationModuleExtras>({ dataSource: undefined }, (definition) => definition)
  .build();

export type CustomizationModuleAsyncOptions = typeof CUSTOMIZATION_ASYNC_OPTIONS_TYPE & {
  /**
   * Mounts our REST routes. Routes are fixed when the module is defined, before the factory runs, so
   * forRootAsync says it here; the factory must then return the `http` settings.
   */
  http?: boolean;
  /** Turns webhooks on (routes and providers are fixed at definition, as for `http`); the factory may return `webhooks` settings. */
  webhooks?: boolean;
};

/** The options checked and in the shape the module's parts take. */
export interface ResolvedCustomizationOptions {
  encryptionKey: Buffer;
  slaScanIntervalMs: number;
  http?: { jwt: JwtConfig; rateLimitPerMinute: number; redisUrl?: string; throttlerStorage?: ThrottlerStorage };
  webhooks?: Required<CustomizationWebhookOptions>;
}

export class CustomizationOptionsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid CustomizationModule options:\n  - ${problems.join('\n  - ')}`);
    this.name = 'CustomizationOptionsError';
  }
}

const nonBlank = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

function encryptionKeyOf(key: unknown, problems: string[]): Buffer {
  const bytes = Buffer.isBuffer(key) ? key : typeof key === 'string' && /^[A-Za-z0-9+/]+={0,2}$/.test(key) ? Buffer.from(key, 'base64') : undefined;
  if (!bytes || bytes.length !== 32) problems.push('encryptionKey: must be 32 bytes, as a Buffer or base64 text');
  return bytes ?? Buffer.alloc(0);
}

function jwtOf(jwt: CustomizationJwtOptions | undefined, problems: string[]): JwtConfig {
  const claims = { issuer: jwt?.issuer, audience: jwt?.audience };
  if (jwt && 'secret' in jwt && 'publicKey' in jwt) problems.push('http.jwt: give secret or publicKey, not both');
  if (jwt && 'secret' in jwt && nonBlank(jwt.secret)) return { kind: 'secret', secret: jwt.secret, ...claims };
  if (jwt && 'publicKey' in jwt && nonBlank(jwt.publicKey)) return { kind: 'public-key', publicKeyPem: jwt.publicKey, ...claims };
  problems.push('http.jwt: needs secret (HS256) or publicKey (PEM, RS256/ES256)');
  return { kind: 'secret', secret: '', ...claims };
}

/**
 * Checks the options once, when the module starts: every problem is listed in one error.
 * `mountsHttp` is whether the routes were mounted (forRoot: `http` given; forRootAsync: `http: true`).
 */
/** The webhook settings with their defaults, each checked. */
function webhooksOf(o: CustomizationWebhookOptions, problems: string[]): Required<CustomizationWebhookOptions> {
  const whole = (name: keyof CustomizationWebhookOptions, value: number | undefined, fallback: number, min: number): number => {
    const v = value ?? fallback;
    if (!Number.isInteger(v) || v < min) problems.push(`webhooks.${name}: must be an integer of at least ${min}`);
    return v;
  };
  const flag = (name: keyof CustomizationWebhookOptions, value: boolean | undefined, fallback: boolean): boolean => {
    if (value !== undefined && typeof value !== 'boolean') problems.push(`webhooks.${name}: must be true or false`);
    return value ?? fallback;
  };
  return {
    deliver: flag('deliver', o.deliver, WEBHOOK_DEFAULTS.deliver),
    allowPrivateTargets: flag('allowPrivateTargets', o.allowPrivateTargets, WEBHOOK_DEFAULTS.allowPrivateTargets),
    pollIntervalMs: whole('pollIntervalMs', o.pollIntervalMs, WEBHOOK_DEFAULTS.pollIntervalMs, 10),
    retryBaseMs: whole('retryBaseMs', o.retryBaseMs, WEBHOOK_DEFAULTS.retryBaseMs, 1),
    retryForMs: whole('retryForMs', o.retryForMs, WEBHOOK_DEFAULTS.retryForMs, 0),
    timeoutMs: whole('timeoutMs', o.timeoutMs, WEBHOOK_DEFAULTS.timeoutMs, 100),
  };
}

export function resolveCustomizationOptions(options: CustomizationModuleOptions, mountsHttp: boolean, webhooksOn = false): ResolvedCustomizationOptions {
  const problems: string[] = [];
  const encryptionKey = encryptionKeyOf(options?.encryptionKey, problems);
  let http: ResolvedCustomizationOptions['http'];
  if (mountsHttp && !options?.http) problems.push('http: forRootAsync({ http: true }) needs the factory to return the http settings (jwt)');
  if (!mountsHttp && options?.http) problems.push('http: settings were given but the routes are not mounted: add http: true to forRootAsync');
  if (mountsHttp && options?.http) {
    const rate = options.http.rateLimitPerMinute ?? 1200;
    if (!Number.isInteger(rate) || rate < 1) problems.push('http.rateLimitPerMinute: must be a positive integer');
    const { redisUrl, throttlerStorage } = options.http;
    if (redisUrl !== undefined && !(typeof redisUrl === 'string' && REDIS_URL_PATTERN.test(redisUrl)))
      problems.push('http.redisUrl: must be redis://host:port[/db] or rediss://…');
    http = { jwt: jwtOf(options.http.jwt, problems), rateLimitPerMinute: rate, redisUrl, throttlerStorage };
  }
  const slaScanIntervalMs = options?.slaScanIntervalMs ?? 300_000;
  if (!Number.isInteger(slaScanIntervalMs) || slaScanIntervalMs < 0 || slaScanIntervalMs > 86_400_000) {
    problems.push('slaScanIntervalMs: must be an integer from 0 (no scan) to 86 400 000 (a day)');
  }
  if (!webhooksOn && options?.webhooks) problems.push('webhooks: settings were given but webhooks are not on: add webhooks: true to forRootAsync');
  const webhooks = webhooksOn ? webhooksOf(options?.webhooks ?? {}, problems) : undefined;
  if (problems.length > 0) throw new CustomizationOptionsError(problems);
  return { encryptionKey, http, slaScanIntervalMs, webhooks };
}
