import { ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail, ThrottlerModuleOptions, ThrottlerStorage } from '@nestjs/throttler';
import { ClsServiceManager } from 'nestjs-cls';
import { AppError } from '../common/errors/app-error';
import { MemoizedReflector } from './memoized-reflector';
import { PRINCIPAL_KEY, TenancyStore } from './tenant-context';

/**
 * The headers @nestjs/throttler's guard sets on every limited answer (prefix X-RateLimit, no suffix for
 * the `default` throttler), besides Retry-After on a 429: CORS exposes them to the browser (app.setup.ts).
 */
/**
 * Our own tokens for the throttler's options and storage: the module does not import ThrottlerModule,
 * whose global providers would meet a host's own ThrottlerModule.
 */
export const TENANT_THROTTLER_OPTIONS = Symbol('TENANT_THROTTLER_OPTIONS');
export const TENANT_THROTTLER_STORAGE = Symbol('TENANT_THROTTLER_STORAGE');

export const RATE_LIMIT_HEADERS = ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'];

/**
 * RATE_LIMIT_PER_MINUTE per tenant, over all its routes. Runs after AuthGuard, so the tenant is known;
 * public routes (health, metrics, docs) are not limited. The counters live in TENANT_THROTTLER_STORAGE:
 * the host's storage, else Redis with REDIS_URL (shared by all instances, failing open to this process's
 * counters: redis-throttler-storage.ts), else this process's memory (behind N instances the effective
 * limit is N × the setting).
 */
@Injectable()
export class TenantThrottlerGuard extends ThrottlerGuard {
  // The route's throttling decorators are read from memory after the first request of each route.
  constructor(@Inject(TENANT_THROTTLER_OPTIONS) options: ThrottlerModuleOptions, @Inject(TENANT_THROTTLER_STORAGE) storage: ThrottlerStorage) {
    super(options, storage, new MemoizedReflector());
  }

  private tenantOf(): string | undefined {
    const cls = ClsServiceManager.getClsService<TenancyStore>();
    return cls.isActive() ? cls.get(PRINCIPAL_KEY)?.tenantId : undefined;
  }

  protected override async shouldSkip(): Promise<boolean> {
    return this.tenantOf() === undefined;
  }

  protected override async getTracker(): Promise<string> {
    return this.tenantOf() ?? 'anonymous';
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return `tenant:${tracker}:${name}`;
  }

  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const seconds = String(Math.max(1, Math.ceil(detail.timeToBlockExpire)));
    throw new AppError('RATE_LIMITED', `Rate limit of ${detail.limit} requests per minute exceeded`, undefined, {
      'retry-after': seconds,
    });
  }
}
