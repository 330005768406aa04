import { Global, Module } from '@nestjs/common';
import { ClsModule } from 'nestjs-cls';
import { AfterCommit, BeforeCommit } from '../database/transaction-hooks';
import { DomainEventPublisher } from '../events/domain-event-publisher';
import { AuditLogController } from './audit-log.controller';
import { AuditLogRepository } from './audit-log.repository';
import { AuditLogService } from './audit-log.service';
import { CrossTenantJobs } from './cross-tenant-jobs';
import { TenantCalendar } from './tenant-calendar';
import { TenantContext } from './tenant-context';
import { TenantDefaultsRegistry } from './tenant-defaults';
import { TenantRegistry } from './tenant-registry';
import { TenantScope } from './tenant-scope';
import { TenantSettingsController } from './tenant-settings.controller';
import { TenantSettingsRepository } from './tenant-settings.repository';
import { TenantSettingsService } from './tenant-settings.service';
import { ZoneRecompute } from './zone-recompute';

/** Our HTTP routes of this module (mounted by CustomizationHttpModule with `http`). */
export const TENANCY_CONTROLLERS = [AuditLogController, TenantSettingsController];

/**
 * The tenant context, first-sight registration, acting as a tenant in-process (TenantScope), the
 * audit log, after-commit callbacks (AfterCommit) and the domain events sent through them
 * (DomainEventPublisher). Global so that every feature module's repositories and services can inject
 * TenantContext, AuditLogService and TenantDefaultsRegistry without importing it. Never imports a
 * feature module. Authentication and rate limits belong to the HTTP routes
 * (src/customization/customization-http.module.ts).
 */
@Global()
@Module({
  imports: [ClsModule.forFeature()],
  providers: [
    TenantContext,
    TenantDefaultsRegistry,
    TenantRegistry,
    TenantScope,
    AfterCommit,
    BeforeCommit,
    DomainEventPublisher,
    AuditLogRepository,
    AuditLogService,
    TenantSettingsRepository,
    TenantSettingsService,
    TenantCalendar,
    CrossTenantJobs,
    ZoneRecompute,
  ],
  exports: [
    TenantContext,
    TenantDefaultsRegistry,
    TenantRegistry,
    TenantScope,
    AfterCommit,
    BeforeCommit,
    DomainEventPublisher,
    AuditLogService,
    TenantCalendar,
    TenantSettingsService,
    ZoneRecompute,
    CrossTenantJobs,
  ],
})
export class TenancyModule {}
