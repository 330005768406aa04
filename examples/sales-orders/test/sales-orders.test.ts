import 'reflect-metadata';
import assert from 'node:assert/strict';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppError, LeadsService, TenantScope } from 'sales-customization-service';
import { AppModule } from '../src/app.module';
import { OrderEventsListener } from '../src/order-events.listener';

/**
 * The sales-orders host, as its team would test it: through its own HTTP routes and the
 * customization module's services, on SQLite by default or on the database of
 * SALES_ORDERS_DATABASE_URL (mysql://… or mariadb://…).
 */
const JWT_SECRET = randomBytes(32).toString('hex');
process.env.SALES_JWT_SECRET = JWT_SECRET;
process.env.SALES_CUSTOMIZATION_KEY = randomBytes(32).toString('base64');

/** An HS256 token as the ERP's identity service would issue it, for the module's own routes. */
function token(tenant: string, role: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: 'erp-user', tenant_id: tenant, role, iat: now, exp: now + 600 })}`;
  return `${unsigned}.${createHmac('sha256', JWT_SECRET).update(unsigned).digest('base64url')}`;
}

const newTenant = () => `so-${randomUUID().slice(0, 8)}`;

describe('sales-orders host', () => {
  let app: NestFastifyApplication;
  const call = async (method: 'GET' | 'POST', url: string, o: { tenant?: string; token?: string; body?: unknown } = {}) => {
    const res = await app
      .getHttpAdapter()
      .getInstance()
      .inject({
        method,
        url,
        headers: {
          ...(o.tenant ? { 'x-tenant-id': o.tenant } : {}),
          ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
          ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        payload: o.body === undefined ? undefined : JSON.stringify(o.body),
      });
    return { status: res.statusCode, type: String(res.headers['content-type'] ?? ''), body: res.body ? JSON.parse(res.body) : undefined };
  };

  before(async () => {
    app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter(), { logger: ['error'] });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  after(async () => {
    await app?.close();
  });

  it('records the lead and its CONVERTED milestone when an order is won, and reads the source’s performance', async () => {
    const tenant = newTenant();
    const opened = await call('POST', '/orders', { tenant, body: { customer: 'Ada', source_code: 'WEBSITE', amount: 1250.5 } });
    assert.equal(opened.status, 201, JSON.stringify(opened.body));
    const won = await call('POST', `/orders/${opened.body.id}/won`, { tenant });
    assert.equal(won.status, 201, JSON.stringify(won.body));
    assert.equal(won.body.order.status, 'won');

    const lead = await app.get(TenantScope).run(tenant, () => app.get(LeadsService).get(opened.body.leadId));
    assert.equal(lead.status, 'converted');
    assert.equal(lead.createdBy, 'sales-orders');

    const perf = await call('GET', '/sources/WEBSITE/performance?days=30', { tenant });
    assert.equal(perf.status, 200);
    assert.equal(perf.body.leads_generated, 1);
    assert.equal(perf.body.leads_converted, 1);
    assert.equal(perf.body.revenue, 1250.5);
  });

  it('receives the domain events of those writes, with tenant, actor and ids', async () => {
    const tenant = newTenant();
    const listener = app.get(OrderEventsListener);
    const opened = await call('POST', '/orders', { tenant, body: { customer: 'Grace', source_code: 'REFERRAL', amount: 90 } });
    const won = await call('POST', `/orders/${opened.body.id}/won`, { tenant });
    const mine = listener.received.filter((r) => r.event.tenantId === tenant);
    assert.deepEqual(mine.map((r) => r.name).sort(), ['lead.converted', 'lead.created', 'milestone.recorded']);
    for (const { event } of mine) {
      assert.equal(event.actor, 'sales-orders');
      assert.equal(event.leadId, opened.body.leadId);
    }
    const recorded = mine.find((r) => r.name === 'milestone.recorded');
    assert.ok(recorded?.name === 'milestone.recorded');
    assert.equal(recorded.event.milestoneId, won.body.milestone_id);
    assert.equal(recorded.event.typeCode, 'CONVERTED');
  });

  it('keeps two tenants apart', async () => {
    const [a, b] = [newTenant(), newTenant()];
    const opened = await call('POST', '/orders', { tenant: a, body: { customer: 'Lin', source_code: 'WEBSITE', amount: 10 } });
    await call('POST', `/orders/${opened.body.id}/won`, { tenant: a });
    const perfB = await call('GET', '/sources/WEBSITE/performance', { tenant: b });
    assert.equal(perfB.status, 200);
    assert.equal(perfB.body.leads_generated, 0);
    // Tenant b cannot reach tenant a's lead through the module's services…
    await assert.rejects(
      app.get(TenantScope).run(b, () => app.get(LeadsService).get(opened.body.leadId)),
      (e: unknown) => e instanceof AppError && e.getStatus() === 404,
    );
    // …nor through its REST routes.
    const viaRest = await call('GET', `/leads/${opened.body.leadId}`, { token: token(b, 'viewer') });
    assert.equal(viaRest.status, 404);
    assert.equal((await call('GET', `/leads/${opened.body.leadId}`, { token: token(a, 'viewer') })).status, 200);
  });

  it("leaves the host's own routes to the host: no token needed, the host's own errors, while the module's routes need a token", async () => {
    const tenant = newTenant();
    const opened = await call('POST', '/orders', { tenant, body: { customer: 'Kay', source_code: 'WEBSITE', amount: 5 } });
    assert.equal(opened.status, 201);
    const missing = await call('POST', '/orders/999999/won', { tenant });
    assert.equal(missing.status, 404);
    assert.match(missing.type, /^application\/json/);
    const noTenant = await call('POST', '/orders', { body: { customer: 'Kay', source_code: 'WEBSITE', amount: 5 } });
    assert.equal(noTenant.status, 400);

    const ours = await call('GET', '/lead-sources');
    assert.equal(ours.status, 401);
    assert.match(ours.type, /^application\/problem\+json/);
    const withToken = await call('GET', '/lead-sources', { token: token(tenant, 'admin') });
    assert.equal(withToken.status, 200);
    assert.ok(withToken.body.data.some((s: { source_code: string }) => s.source_code === 'WEBSITE'));
  });

  it('refuses bad input at the services with the API’s 400, not a database error', async () => {
    const tenant = newTenant();
    await assert.rejects(
      app.get(TenantScope).run(tenant, () => app.get(LeadsService).create({ source_code: 'WEBSITE', status: 'won-ish' as 'new' })),
      (e: unknown) => e instanceof AppError && e.getStatus() === 400,
    );
  });
});
