import { Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  Validate,
  ValidateIf,
  ValidationArguments,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));

/** redis://host[:port][/db], or rediss:// (TLS), with an optional user:password@. */
export const REDIS_URL_PATTERN = /^rediss?:\/\/[^\s/]+(\/\d+)?\/?$/;

/** The entries of a comma-separated list, trimmed, empty ones dropped. */
export const listOf = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * Why an entry of CORS_ORIGINS is not an origin as browsers send it in the Origin header
 * (`scheme://host[:port]`: http or https, lower-case host, no default port, no path, no trailing
 * slash), or undefined when it is one. CORS compares origins as strings: anything else never matches.
 */
export function originProblem(entry: string): string | undefined {
  const not = `"${entry}" is not an origin (scheme://host[:port])`;
  let url: URL | undefined;
  try {
    url = new URL(entry);
  } catch {
    url = undefined;
  }
  if (!url || !['http:', 'https:'].includes(url.protocol)) {
    return /^[A-Za-z0-9.-]+(:\d+)?$/.test(entry)
      ? `${not}: write https://${entry.toLowerCase()}`
      : `${not}: list each allowed origin, e.g. https://erp.example.com`;
  }
  if (url.origin !== entry) return `${not}: write ${url.origin}`;
  return undefined;
}

/**
 * A class-validator constraint for a comma-separated list (empty entries dropped, an empty list allowed)
 * whose every entry `problemOf` accepts; the message names each refused entry.
 */
function listOfConstraint(name: string, problemOf: (entry: string) => string | undefined, notAString: string) {
  @ValidatorConstraint({ name })
  class IsList implements ValidatorConstraintInterface {
    validate(value: unknown): boolean {
      return typeof value === 'string' && listOf(value).every((entry) => problemOf(entry) === undefined);
    }

    defaultMessage(args: ValidationArguments): string {
      if (typeof args.value !== 'string') return notAString;
      return listOf(args.value)
        .map(problemOf)
        .filter((p): p is string => p !== undefined)
        .join('; ');
    }
  }
  return IsList;
}

const IsOriginList = listOfConstraint('isOriginList', originProblem, 'CORS_ORIGINS must be a comma-separated list of origins');

/** Why an entry of DATABASE_REPLICA_URLS is not a MySQL/MariaDB URL with a host, or undefined when it is one. */
export function replicaUrlProblem(entry: string): string | undefined {
  let url: URL | undefined;
  try {
    url = new URL(entry);
  } catch {
    url = undefined;
  }
  if (!url || !['mysql:', 'mariadb:'].includes(url.protocol) || !url.hostname) {
    return `"${entry.replace(/\/\/[^@/]*@/, '//…@')}" is not a mysql:// or mariadb:// URL (mysql://user:pass@host:3306/db)`;
  }
  return undefined;
}

const IsReplicaUrlList = listOfConstraint(
  'isReplicaUrlList',
  replicaUrlProblem,
  'DATABASE_REPLICA_URLS must be a comma-separated list of mysql:// or mariadb:// URLs',
);

/**
 * Every environment variable the service reads. Validated once at start (see loadConfig):
 * a bad value stops the process with every problem listed.
 */
export class EnvSchema {
  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV?: 'development' | 'production' | 'test';

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT?: number;

  @IsOptional()
  @IsString()
  HOST?: string;

  @IsOptional()
  @Matches(/^(mysql|mariadb):\/\/.+|^sqlite:.+/, {
    message: 'DATABASE_URL must be mysql://user:pass@host:3306/db, mariadb://..., sqlite:<path> or sqlite::memory:',
  })
  DATABASE_URL?: string;

  /**
   * Read replicas of DATABASE_URL's server (comma-separated mysql:// or mariadb:// URLs, the scheme of
   * DATABASE_URL): analytics read them, everything else the primary (src/database/replica-reads.ts).
   * Only with a MySQL/MariaDB DATABASE_URL (checked in loadConfig).
   */
  @IsOptional()
  @Validate(IsReplicaUrlList)
  DATABASE_REPLICA_URLS?: string;

  // An empty HS256 key verifies tokens anyone can sign, so `JWT_SECRET=` counts as missing; RFC 7518
  // §3.2 asks for at least 256 bits of key.
  @ValidateIf((env: EnvSchema) => env.NODE_ENV === 'production' && !env.JWT_PUBLIC_KEY)
  @MinLength(32, { message: 'JWT_SECRET or JWT_PUBLIC_KEY is required in production (JWT_SECRET: at least 32 characters)' })
  JWT_SECRET?: string;

  @IsOptional()
  @Matches(/-----BEGIN PUBLIC KEY-----/, { message: 'JWT_PUBLIC_KEY must be a PEM public key' })
  JWT_PUBLIC_KEY?: string;

  @IsOptional()
  @IsString()
  JWT_ISSUER?: string;

  @IsOptional()
  @IsString()
  JWT_AUDIENCE?: string;

  @ValidateIf((env: EnvSchema) => env.NODE_ENV === 'production' || env.ENCRYPTION_KEY !== undefined)
  @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'ENCRYPTION_KEY must be 32 bytes, base64-encoded (44 characters)' })
  ENCRYPTION_KEY?: string;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;

  @IsOptional()
  @IsIn(['json', 'pretty'])
  LOG_FORMAT?: 'json' | 'pretty';

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_MINUTE?: number;

  @IsOptional()
  @Validate(IsOriginList)
  CORS_ORIGINS?: string;

  /** How long a browser may reuse a preflight's answer (Access-Control-Max-Age); browsers cap it (Chrome: 7200). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86400)
  CORS_MAX_AGE_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(500)
  DB_POOL_SIZE?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(100)
  DB_QUERY_TIMEOUT_MS?: number;

  /**
   * Where the per-tenant rate-limit counters live, shared by every instance; unset: each process counts
   * its own (behind N instances a tenant gets N × RATE_LIMIT_PER_MINUTE).
   */
  @IsOptional()
  @Matches(REDIS_URL_PATTERN, { message: 'REDIS_URL must be redis://host:port[/db] or rediss://host:port[/db]' })
  REDIS_URL?: string;

  /** When set, GET /metrics needs `Authorization: Bearer <METRICS_TOKEN>` (src/health/metrics-token.guard.ts). */
  @IsOptional()
  @Matches(/^[\x21-\x7E]{16,}$/, { message: 'METRICS_TOKEN must be at least 16 visible ASCII characters (no spaces)' })
  METRICS_TOKEN?: string;

  @IsOptional()
  @IsString()
  DEV_SECRETS_FILE?: string;

  /**
   * Milliseconds between two passes of the SLA scan in this process (docs/milestones.md "SLA
   * breaches"); 0 runs no scan here. At most a day: the scan's days change once a day.
   */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86_400_000)
  SLA_SCAN_INTERVAL_MS?: number;

  /** Whether this process relays the webhook outbox and delivers (docs/webhooks.md). Default true. */
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'WEBHOOKS_ENABLED must be true or false' })
  WEBHOOKS_ENABLED?: string;

  /** Lets webhook subscriptions target loopback and private addresses (tests, on-premise). Default false. */
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'WEBHOOK_ALLOW_PRIVATE_TARGETS must be true or false' })
  WEBHOOK_ALLOW_PRIVATE_TARGETS?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(3_600_000)
  WEBHOOK_POLL_INTERVAL_MS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3_600_000)
  WEBHOOK_RETRY_BASE_MS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(2_592_000_000)
  WEBHOOK_RETRY_FOR_MS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(120_000)
  WEBHOOK_TIMEOUT_MS?: number;
}
