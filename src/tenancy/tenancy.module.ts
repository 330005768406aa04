import { Global, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { AfterCommit, BeforeCommit } from '../database/transaction-hooks';
import { DomainEventPublisher } from '../events/domain-event-publisher';
import { AuditLogController } from './audit-log.controller';
import { AuditLogRepository } from './audit-log.repository';
import { AuditLogService } from './audit-log.service';
import { AuthGuard } from './auth.guard';
import { JwtVerifier } from './jwt-verifier';
import { TenantBootstrapInterceptor } from './tenant-bootstrap.interceptor';
import { TenantContext } from './tenant-context';
import { TenantDefaultsRegistry } from './tenant-defaults';
import { TenantRegistry } from './tenant-registry';
import { TenantScope } from './tenant-scope';
import { TenantThrottlerGuard } from './tenant-throttler.guard';

/**
 * Authentication, the tenant context, first-sight registration, acting as a tenant in-process
 * (TenantScope), rate limits, the audit log, after-commit callbacks (AfterCommit) and the domain
 * events sent through them (DomainEventPublisher).
 * Global so that every feature module's repositories and services can inject TenantContext,
 * AuditLogService and TenantDefaultsRegistry without importing it. Never imports a feature module.
 */
@Global()
@Module({
  controllers: [AuditLogController],
  providers: [
    TenantContext,
    JwtVerifier,
    TenantDefaultsRegistry,
    TenantRegistry,
    TenantScope,
    AfterCommit,
    BeforeCommit,
    DomainEventPublisher,
    AuditLogRepository,
    AuditLogService,
    // Guard order matters: authenticate first, then count the request against its tenant.
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_GUARD, useClass: TenantThrottlerGuard },
    { provide: APP_INTERCEPTOR, useClass: TenantBootstrapInterceptor },
  ],
  exports: [TenantContext, TenantDefaultsRegistry, TenantRegistry, TenantScope, AfterCommit, DomainEventPublisher, AuditLogService, JwtVerifier],
})
export class TenancyModule {}
