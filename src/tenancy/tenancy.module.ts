import { Global, Module } from '@nestjs/common';
import { ClsModule } from 'nestjs-cls';
import { AuditLogController } from './audit-log.controller';
import { AuditLogRepository } from './audit-log.repository';
import { AuditLogService } from './audit-log.service';
import { TenantContext } from './tenant-context';
import { TenantDefaultsRegistry } from './tenant-defaults';
import { TenantRegistry } from './tenant-registry';

/** Our HTTP routes of this module (mounted by CustomizationHttpModule with `http`). */
export const TENANCY_CONTROLLERS = [AuditLogController];

/**
 * The tenant context, first-sight registration and the audit log. Global so that every feature
 * module's repositories and services can inject TenantContext, AuditLogService and
 * TenantDefaultsRegistry without importing it. Never imports a feature module. Authentication and
 * rate limits belong to the HTTP routes (src/customization/customization-http.module.ts).
 */
@Global()
@Module({
  imports: [ClsModule.forFeature()],
  providers: [
    TenantContext,
    TenantDefaultsRegistry,
    TenantRegistry,
    AuditLogRepository,
    AuditLogService,
  ],
  exports: [TenantContext, TenantDefaultsRegistry, TenantRegistry, AuditLogService],
})
export class TenancyModule {}
