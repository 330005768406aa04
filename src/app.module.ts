import { DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import { ClsPluginTransactional } from '@nestjs-cls/transactional';
import { randomUUID } from 'node:crypto';
import { ClsModule } from 'nestjs-cls';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AppConfig, APP_CONFIG } from './config/app-config';
import { AppConfigModule } from './config/config.module';
import { AnalyticsAdmissionInterceptor } from './common/analytics/analytics-admission';
import { ProblemDetailsFilter } from './common/errors/problem-details.filter';
import { buildDataSourceOptions } from './database/data-source';
import { SerializingTypeOrmAdapter } from './database/transactional-adapter';
import { CampaignsModule } from './campaigns/campaigns.module';
import { HealthModule } from './health/health.module';
import { LeadSourcesModule } from './lead-sources/lead-sources.module';
import { MilestonesModule } from './milestones/milestones.module';
import { TenancyModule } from './tenancy/tenancy.module';
import { SlidingLogThrottlerStorage } from './tenancy/throttler-storage';

/** Headers and fields that never reach a log line. */
export const LOG_REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'integration_key',
  '*.integration_key',
  '*.*.integration_key',
  'token',
  '*.token',
  'req.body',
];

/** What the environment cannot say: where log lines go (default: stdout). Tests capture them here. */
export interface AppModuleOptions {
  logDestination?: DestinationStream;
}

@Module({})
export class AppModule {
  static register(config: AppConfig, options: AppModuleOptions = {}): DynamicModule {
    const pinoHttp = {
      level: config.logLevel,
      redact: { paths: LOG_REDACT, censor: '[redacted]' },
      genReqId: (req: { id?: unknown }) => String(req.id ?? randomUUID()),
      customProps: () => ({ service: 'sales-customization' }),
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
      },
      // Readable lines for a person at a terminal (`npm run start:dev`); JSON lines otherwise.
      ...(config.logFormat === 'pretty' && !options.logDestination
        ? {
            transport: {
              target: 'pino-pretty',
              options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service,res.headers' },
            },
          }
        : {}),
    };
    return {
      module: AppModule,
      imports: [
        AppConfigModule.register(config),
        LoggerModule.forRoot({
          forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
          pinoHttp: options.logDestination ? [pinoHttp, options.logDestination] : pinoHttp,
        }),
        ClsModule.forRoot({
          global: true,
          middleware: { mount: true, generateId: true, idGenerator: (req: { id?: string }) => req.id ?? randomUUID() },
          plugins: [
            new ClsPluginTransactional({
              imports: [TypeOrmModule],
              adapter: new SerializingTypeOrmAdapter({ dataSourceToken: getDataSourceToken() }),
              enableTransactionProxy: false,
            }),
          ],
        }),
        TypeOrmModule.forRootAsync({
          inject: [APP_CONFIG],
          // No retries: main.ts has already waited for the database and learnt its flavour
          // (src/database/probe.ts); a failure from here on (a migration, say) does not heal by waiting.
          useFactory: (c: AppConfig) => ({
            ...buildDataSourceOptions(c.database),
            migrationsRun: true,
            retryAttempts: 0,
          }),
        }),
        ThrottlerModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (c: AppConfig) => ({
            throttlers: [{ name: 'default', ttl: 60_000, limit: c.rateLimitPerMinute }],
            storage: new SlidingLogThrottlerStorage(),
          }),
        }),
        TenancyModule,
        HealthModule,
        CampaignsModule,
        LeadSourcesModule,
        MilestonesModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_INTERCEPTOR, useClass: AnalyticsAdmissionInterceptor },
      ],
    };
  }
}
