import { BadRequestException, Body, Controller, DynamicModule, Get, Module, Param, Post } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { ThrottlerStorage } from '@nestjs/throttler';
import { TypeOrmModule, TypeOrmModuleOptions } from '@nestjs/typeorm';
import { CustomizationModule, LeadsService, MIGRATIONS, SourceAnalyticsService } from '../../src';
import { CustomizationModuleOptions, CustomizationOptionsError } from '../../src/customization/customization.options';
import { TenantScope } from '../../src/tenancy/tenant-scope';
import { scratchDatabase } from '../support/database';
import { newTenantId } from '../support/tenants';
import { mintToken, TEST_ENCRYPTION_KEY, TEST_JWT_SECRET } from '../support/tokens';

/**
 * CustomizationModule in a host application of its own (not the service's AppModule): the host's
 * DataSource with TypeORM's default naming strategy and autoLoadEntities, our migrations run with
 * the host's, and the host's own routes, which no guard, pipe or filter of ours may reach.
 */

@Controller('orders')
class OrdersController {
  constructor(
    private readonly scope: TenantScope,
    private readonly leads: LeadsService,
  ) {}

  @Get('ping')
  ping() {
    return { ok: true };
  }

  /** A body with fields no DTO of ours knows: our validation pipe would refuse it, the host's route takes it. */
  @Post(':id/won')
  async won(@Param('id') id: string, @Body() body: { tenant: string; extra?: unknown }) {
    const lead = await this.scope.run(body.tenant, () => this.leads.create({ source_code: 'WEBSITE', lead_code: `ORDER-${id}`, status: 'converted' }));
    return { lead_id: lead.response.id, extra: body.extra ?? null };
  }

  /** The host's own error: Nest's default answer, not our problem+json. */
  @Get('broken')
  broken() {
    throw new BadRequestException('host says no');
  }
}

async function hostDatabase(name: string): Promise<{ options: TypeOrmModuleOptions; drop(): Promise<void> }> {
  const db = await scratchDatabase(`host_${name}`);
  const common = { autoLoadEntities: true, migrations: MIGRATIONS, migrationsRun: true, synchronize: false } as const;
  if (db.url.startsWith('sqlite:')) return { options: { type: 'better-sqlite3', database: ':memory:', ...common }, drop: db.drop };
  const url = db.url.replace(/^mariadb:/, 'mysql:');
  return {
    options: {
      type: db.url.startsWith('mariadb:') ? 'mariadb' : 'mysql',
      url,
      charset: 'utf8mb4_unicode_ci',
      timezone: 'Z',
      dateStrings: ['DATE'],
      supportBigNumbers: true,
      bigNumberStrings: false,
      ...common,
    },
    drop: db.drop,
  };
}

interface Host {
  app: NestFastifyApplication;
  inject(
    method: 'GET' | 'POST',
    url: string,
    o?: { body?: unknown; token?: string },
  ): Promise<{ statusCode: number; json(): any; headers: Record<string, unknown> }>;
  close(): Promise<void>;
}

async function startHost(customization: unknown, typeorm: { name?: string; options: TypeOrmModuleOptions }): Promise<Host> {
  @Module({
    imports: [
      TypeOrmModule.forRoot({ ...typeorm.options, ...(typeorm.name ? { name: typeorm.name } : {}) } as TypeOrmModuleOptions),
      customization as DynamicModule,
    ],
    controllers: [OrdersController],
  })
  class SalesOrdersModule {}
  const moduleRef = await Test.createTestingModule({ imports: [SalesOrdersModule] }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return {
    app,
    inject: async (method, url, o = {}) => {
      const res = await app
        .getHttpAdapter()
        .getInstance()
        .inject({
          method,
          url,
          headers: { ...(o.token ? { authorization: `Bearer ${o.token}` } : {}), ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}) },
          payload: o.body === undefined ? undefined : JSON.stringify(o.body),
        });
      return { statusCode: res.statusCode, headers: res.headers, json: () => JSON.parse(res.body) };
    },
    close: () => app.close(),
  };
}

const options: CustomizationModuleOptions = { encryptionKey: TEST_ENCRYPTION_KEY };
const http = { jwt: { secret: TEST_JWT_SECRET } };

describe('CustomizationModule in a host application', () => {
  describe('without http', () => {
    let host: Host;
    let db: Awaited<ReturnType<typeof hostDatabase>>;
    beforeAll(async () => {
      db = await hostDatabase('plain');
      host = await startHost(CustomizationModule.forRoot(options), { options: db.options });
    });
    afterAll(async () => {
      await host?.close();
      await db?.drop();
    });

    it("leaves the host's routes alone: no token needed, bodies not whitelisted, errors rendered by Nest", async () => {
      expect((await host.inject('GET', '/orders/ping')).statusCode).toBe(200);
      const tenant = newTenantId();
      const won = await host.inject('POST', '/orders/7/won', { body: { tenant, extra: { any: 'thing' } } });
      expect(won.statusCode).toBe(201);
      expect(won.json()).toMatchObject({ extra: { any: 'thing' } });
      const broken = await host.inject('GET', '/orders/broken');
      expect(broken.statusCode).toBe(400);
      expect(String(broken.headers['content-type'])).toMatch(/^application\/json/);
    });

    it('mounts none of our routes', async () => {
      expect((await host.inject('GET', '/lead-sources')).statusCode).toBe(404);
      expect((await host.inject('GET', '/api/v1/customization/lead-sources')).statusCode).toBe(404);
    });

    it('runs on a DataSource with TypeORM’s default naming strategy, our schema from MIGRATIONS, entities found by autoLoadEntities', async () => {
      const tenant = newTenantId();
      const scope = host.app.get(TenantScope);
      const leads = host.app.get(LeadsService);
      await scope.run(tenant, () => leads.create({ source_code: 'WEBSITE', status: 'converted', expected_value: 100 }));
      const today = new Date().toISOString().slice(0, 10);
      const perf = await scope.run(tenant, () => host.app.get(SourceAnalyticsService).source('WEBSITE', { start_date: today, end_date: today }));
      expect(perf).toMatchObject({ source_code: 'WEBSITE', leads_generated: 1, leads_converted: 1 });
    });
  });

  describe('with http, through forRootAsync, on a named DataSource', () => {
    let host: Host;
    let db: Awaited<ReturnType<typeof hostDatabase>>;
    beforeAll(async () => {
      db = await hostDatabase('http');
      host = await startHost(CustomizationModule.forRootAsync({ dataSource: 'sales', http: true, useFactory: async () => ({ ...options, http }) }), {
        name: 'sales',
        options: db.options,
      });
    });
    afterAll(async () => {
      await host?.close();
      await db?.drop();
    });

    it('serves our routes with their guard, pipe and problem+json', async () => {
      const tenant = newTenantId();
      const none = await host.inject('GET', '/lead-sources');
      expect(none.statusCode).toBe(401);
      expect(String(none.headers['content-type'])).toMatch(/^application\/problem\+json/);
      const token = await mintToken({ tenant, role: 'admin' });
      expect((await host.inject('GET', '/lead-sources', { token })).statusCode).toBe(200);
      const bad = await host.inject('POST', '/leads', { token, body: { source_code: 'WEBSITE', status: 'won-ish' } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(bad.headers['x-ratelimit-limit']).toBe('1200');
    });

    it("still leaves the host's routes alone", async () => {
      expect((await host.inject('GET', '/orders/ping')).statusCode).toBe(200);
      const won = await host.inject('POST', '/orders/8/won', { body: { tenant: newTenantId(), extra: 1 } });
      expect(won.statusCode).toBe(201);
      const broken = await host.inject('GET', '/orders/broken');
      expect(broken.statusCode).toBe(400);
      expect(String(broken.headers['content-type'])).toMatch(/^application\/json/);
      expect(broken.headers['x-ratelimit-limit']).toBeUndefined();
    });
  });

  describe('options', () => {
    const start = async (module: unknown) => {
      const db = await hostDatabase('options');
      try {
        const host = await startHost(module, { options: db.options });
        await host.close();
      } finally {
        await db.drop();
      }
    };

    // Without migrationsRun: our migrations would fail first (their generated columns need TypeORM's
    // metadata table, which a DataSource makes only when it knows such entities).
    it('refuses a DataSource that does not know our entities', async () => {
      const db = await hostDatabase('entities');
      try {
        await expect(
          startHost(CustomizationModule.forRoot(options), { options: { ...db.options, autoLoadEntities: false, migrationsRun: false } }),
        ).rejects.toThrow(/lacks its entities .*autoLoadEntities/);
      } finally {
        await db.drop();
      }
    });

    it('refuses an encryption key that is not 32 bytes, listing the problem', async () => {
      await expect(start(CustomizationModule.forRoot({ encryptionKey: 'c2hvcnQ=' }))).rejects.toThrow(CustomizationOptionsError);
    });

    it('refuses http without JWT settings, and http settings whose routes forRootAsync does not mount', async () => {
      await expect(start(CustomizationModule.forRootAsync({ http: true, useFactory: () => options }))).rejects.toThrow(/factory to return the http settings/);
      await expect(start(CustomizationModule.forRootAsync({ useFactory: () => ({ ...options, http }) }))).rejects.toThrow(/add http: true/);
      await expect(start(CustomizationModule.forRoot({ ...options, http: { jwt: { secret: '' } } }))).rejects.toThrow(/http\.jwt/);
    });

    it('refuses an http.redisUrl that is not redis:// or rediss://', async () => {
      await expect(start(CustomizationModule.forRoot({ ...options, http: { ...http, redisUrl: 'cache:6379' } }))).rejects.toThrow(/http\.redisUrl/);
    });
  });

  describe('http.throttlerStorage', () => {
    /** A host's own storage: counts every call, limits nothing itself (the guard compares with the limit). */
    class CountingStorage implements ThrottlerStorage {
      readonly keys: string[] = [];
      private hits = 0;
      increment(key: string, ttl: number, limit: number) {
        this.keys.push(key);
        this.hits += 1;
        return Promise.resolve({ totalHits: this.hits, timeToExpire: ttl / 1000, isBlocked: this.hits > limit, timeToBlockExpire: this.hits > limit ? 60 : 0 });
      }
    }

    it('wins over http.redisUrl: every count goes to the host’s storage', async () => {
      const storage = new CountingStorage();
      const db = await hostDatabase('storage');
      // Nothing listens on port 1: had redisUrl been used, the counts would have failed open to memory.
      const module = CustomizationModule.forRoot({
        ...options,
        http: { ...http, rateLimitPerMinute: 2, redisUrl: 'redis://127.0.0.1:1', throttlerStorage: storage },
      });
      const host = await startHost(module, { options: db.options });
      try {
        const tenant = newTenantId();
        const token = await mintToken({ tenant, role: 'admin' });
        const statuses = [];
        for (let i = 0; i < 3; i++) statuses.push((await host.inject('GET', '/lead-sources', { token })).statusCode);
        expect(statuses).toEqual([200, 200, 429]);
        expect(storage.keys).toEqual(Array(3).fill(`tenant:${tenant}:default`));
      } finally {
        await host.close();
        await db.drop();
      }
    });
  });
});
