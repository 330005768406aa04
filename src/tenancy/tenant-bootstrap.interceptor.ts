import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { from, Observable, switchMap } from 'rxjs';
import { readOwnWrites } from '../database/replica-reads';
import { TenantContext } from './tenant-context';
import { TenantRegistry } from './tenant-registry';

/**
 * Runs after the guard: makes sure the caller's tenant is registered (and seeded) before the
 * handler touches any data. Public routes have no principal and pass straight through. A request
 * that went through the registration reads the primary, which has the tenant's defaults (readOwnWrites).
 */
@Injectable()
export class TenantBootstrapInterceptor implements NestInterceptor {
  constructor(
    private readonly tenancy: TenantContext,
    private readonly registry: TenantRegistry,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const principal = this.tenancy.current();
    // A tenant registered earlier (every request but its first) goes straight to the handler.
    if (!principal || this.registry.isKnown(principal.tenantId)) return next.handle();
    readOwnWrites(context.switchToHttp().getRequest<object>());
    return from(this.registry.ensure(principal.tenantId)).pipe(switchMap(() => next.handle()));
  }
}
