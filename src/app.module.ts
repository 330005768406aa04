import { DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { ClsModule } from 'nestjs-cls';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AppConfig, APP_CONFIG } from './config/app-config';
import { AppConfigModule } from './config/config.module';
import { ProblemDetailsFilter } from './common/errors/problem-details.filter';
import { CustomizationModule } from './customization/customization.module';
import { CustomizationJwtOptions } from './customization/customization.options';
import { buildDataSourceOptions } from './database/data-source';
import { HealthModule } from './health/health.module';

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

/** The JWT settings of the environment in the module's terms. */
const jwtOptions = ({ jwt }: AppConfig): CustomizationJwtOptions =>
  jwt.kind === 'secret'
    ? { secret: jwt.secret, issuer: jwt.issuer, audience: jwt.audience }
    : { publicKey: jwt.publicKeyPem, issuer: jwt.issuer, audience: jwt.audience };

/** What the environment cannot say: where log lines go (default: stdout). Tests capture them here. */
export interface AppModuleOptions {
  logDestination?: DestinationStream;
  /** false: no webhooks at all (no outbox, no routes), as a host that leaves CustomizationModule's `webhooks` out. Default on. */
  webhooks?: boolean;
}

/**
 * The standalone server: one host of CustomizationModule (with its REST routes), plus what only a
 * process of its own needs: configuration, logging, the async context with request ids, the database
 * connection and its migrations, health and metrics, and problem+json for what happens outside any
 * route (main.ts and app.setup.ts add Fastify, Swagger, CORS and the body parsers).
 */
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
        CustomizationModule.forRoot({
          encryptionKey: config.encryptionKey,
          slaScanIntervalMs: config.slaScanIntervalMs,
          http: { jwt: jwtOptions(config), rateLimitPerMinute: config.rateLimitPerMinute, redisUrl: config.redisUrl },
          ...(options.webhooks === false ? {} : { webhooks: { ...config.webhooks } }),
        }),
        HealthModule,
      ],
      // Our routes carry the filter themselves; globally it also answers 404, 405 and Fastify's errors.
      providers: [{ provide: APP_FILTER, useClass: ProblemDetailsFilter }],
    };
  }
}
