import { DynamicModule, Module, Provider } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { ANALYTICS_POOL_SIZE } from '../common/analytics/analytics-admission';
import { ENCRYPTION_KEY } from '../common/crypto/secret-box';
import { connectionImports, connectionProviders } from '../database/host-connection';
import { ReplicaReads } from '../database/replica-reads';
import { LeadSourcesModule } from '../lead-sources/lead-sources.module';
import { SLA_SCAN_INTERVAL_MS } from '../milestones/sla-breach-scan';
import { MilestonesModule } from '../milestones/milestones.module';
import { JWT_CONFIG } from '../tenancy/jwt-verifier';
import { TenancyModule } from '../tenancy/tenancy.module';
import { TENANT_THROTTLER_OPTIONS, TENANT_THROTTLER_STORAGE } from '../tenancy/tenant-throttler.guard';
import { redisThrottlerStorage } from '../tenancy/redis-throttler-storage';
import { SlidingLogThrottlerStorage } from '../tenancy/throttler-storage';
import { WEBHOOK_SETTINGS } from '../webhooks/webhook-settings';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { CustomizationHttpModule, WebhooksHttpModule } from './customization-http.module';
import {
  CUSTOMIZATION_ASYNC_OPTIONS_TYPE,
  CUSTOMIZATION_OPTIONS,
  CUSTOMIZATION_OPTIONS_TYPE,
  CustomizationModuleAsyncOptions,
  CustomizationModuleBase,
  CustomizationModuleOptions,
  resolveCustomizationOptions,
  ResolvedCustomizationOptions,
} from './customization.options';

const RESOLVED_OPTIONS = Symbol('RESOLVED_CUSTOMIZATION_OPTIONS');

type HttpSettings = NonNullable<ResolvedCustomizationOptions['http']>;
const httpOf = (o: ResolvedCustomizationOptions): HttpSettings => o.http!;

/** The providers the HTTP routes need, made from the checked options. */
const httpProviders: Provider[] = [
  { provide: JWT_CONFIG, inject: [RESOLVED_OPTIONS], useFactory: (o: ResolvedCustomizationOptions) => httpOf(o).jwt },
  {
    provide: TENANT_THROTTLER_OPTIONS,
    inject: [RESOLVED_OPTIONS],
    useFactory: (o: ResolvedCustomizationOptions) => ({ throttlers: [{ name: 'default', ttl: 60_000, limit: httpOf(o).rateLimitPerMinute }] }),
  },
  {
    provide: TENANT_THROTTLER_STORAGE,
    inject: [RESOLVED_OPTIONS],
    // The host's own storage wins; then Redis (shared, failing open to per process); else per process.
    useFactory: async (o: ResolvedCustomizationOptions) => {
      const { throttlerStorage, redisUrl } = httpOf(o);
      if (throttlerStorage) return throttlerStorage;
      return redisUrl ? redisThrottlerStorage(redisUrl) : new SlidingLogThrottlerStorage();
    },
  },
];

/**
 * The sales customization and analytics module: lead sources, subsources, channels and leads;
 * milestone types, templates and lead milestones; the campaign vocabulary, campaigns and their
 * metrics; the analytics over them; tenancy and the audit log. It runs on the host's TypeORM
 * DataSource (default or named) and exports its services to the whole host (global, like
 * TypeOrmModule's core module). With `http`, it also mounts its REST routes.
 *
 * ```ts
 * CustomizationModule.forRoot({ encryptionKey: process.env.CUSTOMIZATION_KEY! })
 * CustomizationModule.forRootAsync({ imports: [ConfigModule], inject: [ConfigService], useFactory: (c) => ({ ... }) })
 * ```
 */
@Module({})
export class CustomizationModule extends CustomizationModuleBase {
  static override forRoot(options: typeof CUSTOMIZATION_OPTIONS_TYPE): DynamicModule {
    return CustomizationModule.compose(super.forRoot(options), options.dataSource, options.http !== undefined, options.webhooks !== undefined);
  }

  static override forRootAsync(options: CustomizationModuleAsyncOptions): DynamicModule {
    const { http, webhooks, ...rest } = options;
    return CustomizationModule.compose(
      super.forRootAsync(rest as typeof CUSTOMIZATION_ASYNC_OPTIONS_TYPE),
      options.dataSource,
      http === true,
      webhooks === true,
    );
  }

  private static compose(definition: DynamicModule, dataSource: string | undefined, http: boolean, webhooks: boolean): DynamicModule {
    const features = [TenancyModule, CampaignsModule, LeadSourcesModule, MilestonesModule, ...(webhooks ? [WebhooksModule] : [])];
    const internal = [
      ENCRYPTION_KEY,
      ANALYTICS_POOL_SIZE,
      ReplicaReads,
      SLA_SCAN_INTERVAL_MS,
      ...(http ? [JWT_CONFIG, TENANT_THROTTLER_OPTIONS, TENANT_THROTTLER_STORAGE] : []),
      ...(webhooks ? [WEBHOOK_SETTINGS] : []),
    ];
    return {
      ...definition,
      global: true,
      imports: [
        ...(definition.imports ?? []),
        ...connectionImports(dataSource),
        ...features,
        ...(http ? [CustomizationHttpModule] : []),
        ...(http && webhooks ? [WebhooksHttpModule] : []),
      ],
      providers: [
        ...(definition.providers ?? []),
        {
          provide: RESOLVED_OPTIONS,
          inject: [CUSTOMIZATION_OPTIONS],
          useFactory: (options: CustomizationModuleOptions) => resolveCustomizationOptions(options, http, webhooks),
        },
        { provide: ENCRYPTION_KEY, inject: [RESOLVED_OPTIONS], useFactory: (o: ResolvedCustomizationOptions) => o.encryptionKey },
        { provide: SLA_SCAN_INTERVAL_MS, inject: [RESOLVED_OPTIONS], useFactory: (o: ResolvedCustomizationOptions) => o.slaScanIntervalMs },
        ...(webhooks ? [{ provide: WEBHOOK_SETTINGS, inject: [RESOLVED_OPTIONS], useFactory: (o: ResolvedCustomizationOptions) => o.webhooks }] : []),
        ...connectionProviders(dataSource),
        ...(http ? httpProviders : []),
      ],
      // The feature modules' services for the host; the internal tokens for our own modules (symbols
      // the public entry does not export, so a host cannot depend on them).
      exports: [...(definition.exports ?? []), ...features, ...internal],
    };
  }
}
