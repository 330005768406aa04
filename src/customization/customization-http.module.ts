import { applyDecorators, Module, Type, UseFilters, UseGuards, UseInterceptors, UsePipes } from '@nestjs/common';
import { ClsModule } from 'nestjs-cls';
import { CAMPAIGNS_CONTROLLERS } from '../campaigns/campaigns.module';
import { AnalyticsAdmissionInterceptor } from '../common/analytics/analytics-admission';
import { ProblemDetailsFilter } from '../common/errors/problem-details.filter';
import { createValidationPipe } from '../common/validation/validation.pipe';
import { AnalyticsReadsInterceptor } from '../database/replica-reads';
import { LEAD_SOURCES_CONTROLLERS } from '../lead-sources/lead-sources.module';
import { MILESTONES_CONTROLLERS } from '../milestones/milestones.module';
import { AuthGuard } from '../tenancy/auth.guard';
import { JwtVerifier } from '../tenancy/jwt-verifier';
import { RequestContextGuard } from '../tenancy/request-context.guard';
import { TENANCY_CONTROLLERS } from '../tenancy/tenancy.module';
import { TenantBootstrapInterceptor } from '../tenancy/tenant-bootstrap.interceptor';
import { TenantThrottlerGuard } from '../tenancy/tenant-throttler.guard';
import { WEBHOOKS_CONTROLLERS } from '../webhooks/webhooks.module';

/** Every controller of ours, in the order their routes are registered (each module's own order). */
export const CUSTOMIZATION_CONTROLLERS: Type[] = [...TENANCY_CONTROLLERS, ...CAMPAIGNS_CONTROLLERS, ...LEAD_SOURCES_CONTROLLERS, ...MILESTONES_CONTROLLERS];

/**
 * What every one of our routes runs through, scoped to our controllers (never APP_GUARD & co., which
 * would reach a host's own routes):
 * - guards, in order: an async context for the request, the JWT (X-Tenant-ID, roles; writes the
 *   principal), then the per-tenant rate limit, which needs the tenant;
 * - interceptors: first-sight tenant registration, then admission of analytics requests, then the
 *   choice of the database analytics read (a replica or the primary: ReplicaReads);
 * - the validation pipe (whitelist, no unknown fields, contract-shaped 400s);
 * - the problem+json filter, which catches what the guards, pipe and handler throw.
 * The standalone server also installs the filter globally, for what happens outside any route
 * (404, 405, body parser errors).
 */
export const CustomizationRoute = () =>
  applyDecorators(
    UseFilters(ProblemDetailsFilter),
    UseGuards(RequestContextGuard, AuthGuard, TenantThrottlerGuard),
    UseInterceptors(TenantBootstrapInterceptor, AnalyticsAdmissionInterceptor, AnalyticsReadsInterceptor),
    UsePipes(createValidationPipe()),
  );

// Applied here, once, to the controllers this module mounts: no controller of ours can be mounted
// without them (test/customization/host.e2e-spec.ts checks each route of a host).
for (const controller of [...CUSTOMIZATION_CONTROLLERS, ...WEBHOOKS_CONTROLLERS]) CustomizationRoute()(controller);

/**
 * Our REST routes, mounted by CustomizationModule only with `http`. The guards and interceptors
 * above are instantiated in this module; what they need comes from CustomizationModule (JWT and
 * throttler settings, the analytics pool size) and TenancyModule.
 */
@Module({
  imports: [ClsModule.forFeature()],
  controllers: CUSTOMIZATION_CONTROLLERS,
  providers: [JwtVerifier],
})
export class CustomizationHttpModule {}

/** The webhook subscription routes, mounted beside CustomizationHttpModule when webhooks are on (same guards, pipe and filter). */
@Module({
  imports: [ClsModule.forFeature()],
  controllers: WEBHOOKS_CONTROLLERS,
  providers: [JwtVerifier],
})
export class WebhooksHttpModule {}
