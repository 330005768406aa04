import { EventEmitter2, EventEmitterModule } from '@nestjs/event-emitter';
import { getTransactionHostToken, Propagation, TransactionHost } from '@nestjs-cls/transactional';
import { CUSTOMIZATION_TX } from '../../src/database/transactional';
import { CampaignsService } from '../../src/campaigns/campaigns.service';
import { DomainEventPublisher } from '../../src/events/domain-event-publisher';
import { DOMAIN_EVENTS, DomainEvent, DomainEventName, LeadCreatedEvent } from '../../src/events/domain-events';
import { LeadsService } from '../../src/lead-sources/leads.service';
import { LeadMilestonesService } from '../../src/milestones/lead-milestones.service';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { TenantScope } from '../../src/tenancy/tenant-scope';
import { Client, startTestApi, TestApi } from '../support/app';
import { newTenantId } from '../support/tenants';

type Received = { name: DomainEventName; event: DomainEvent };

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/**
 * Domain events (src/events/domain-events.ts) with a host's EventEmitterModule registered: what each
 * write emits, with which payload, and only once its transaction has committed.
 */
describe('domain events', () => {
  let api: TestApi;
  let emitter: EventEmitter2;
  let scope: TenantScope;
  let leads: LeadsService;
  let txHost: TransactionHost;
  let received: Received[];
  beforeAll(async () => {
    api = await startTestApi({}, { imports: [EventEmitterModule.forRoot()] });
    emitter = api.app.get(EventEmitter2);
    scope = api.app.get(TenantScope);
    leads = api.app.get(LeadsService);
    txHost = api.app.get<TransactionHost>(getTransactionHostToken(CUSTOMIZATION_TX));
    emitter.onAny((name, event) => received.push({ name: name as DomainEventName, event: event as DomainEvent }));
  });
  beforeEach(() => {
    received = [];
  });
  afterAll(() => api.close());

  /** The events received for a tenant, in order. */
  const of = (tenant: string) => received.filter((r) => r.event.tenantId === tenant);
  const names = (tenant: string) => of(tenant).map((r) => r.name);
  const client = (tenant: string, sub = 'user-1'): Client => api.as({ tenant, role: 'admin', sub });

  it('lead.created carries tenant, actor, time and the lead; a converted lead also gives lead.converted', async () => {
    const tenant = newTenantId();
    const started = Date.now();
    const res = await client(tenant).post('/leads', { source_code: 'SOCIAL', sub_source_code: 'FACEBOOK', channel_code: 'PAID', lead_code: 'E-1' });
    expect(res.statusCode).toBe(201);
    const lead = res.json();
    expect(of(tenant)).toEqual([
      {
        name: 'lead.created',
        event: {
          tenantId: tenant,
          actor: 'user-1',
          occurredAt: expect.stringMatching(ISO),
          leadId: lead.id,
          leadCode: 'E-1',
          sourceCode: 'SOCIAL',
          subSourceCode: 'FACEBOOK',
          channelCode: 'PAID',
          campaignCode: null,
          status: 'new',
        },
      },
    ]);
    const at = Date.parse(of(tenant)[0].event.occurredAt);
    expect(at).toBeGreaterThanOrEqual(started - 1000);
    expect(at).toBeLessThanOrEqual(Date.now());

    const converted = (await client(tenant).post('/leads', { source_code: 'WEBSITE', status: 'converted', converted_value: 900 })).json();
    expect(of(tenant).slice(1)).toEqual([
      { name: 'lead.created', event: expect.objectContaining({ leadId: converted.id, status: 'converted' }) },
      {
        name: 'lead.converted',
        event: {
          tenantId: tenant,
          actor: 'user-1',
          occurredAt: expect.stringMatching(ISO),
          leadId: converted.id,
          leadCode: null,
          convertedAt: converted.converted_at,
          convertedValue: 900,
        },
      },
    ]);
  });

  it('a bulk create emits lead.created per lead, after the one commit', async () => {
    const tenant = newTenantId();
    const res = await client(tenant).post('/leads/bulk', {
      leads: [{ source_code: 'WEBSITE' }, { source_code: 'EMAIL', status: 'converted' }, { source_code: 'REFERRAL' }],
    });
    expect(res.statusCode).toBe(201);
    expect(names(tenant)).toEqual(['lead.created', 'lead.created', 'lead.converted', 'lead.created']);
    expect(
      of(tenant)
        .filter((r) => r.name === 'lead.created')
        .map((r) => (r.event as LeadCreatedEvent).leadId),
    ).toEqual(res.json().data.map((l: { id: number }) => l.id));
  });

  it('lead.status_changed on a status change (and lead.converted when it converts), nothing for other changes; lead.deleted', async () => {
    const tenant = newTenantId();
    const c = client(tenant, 'agent-7');
    const lead = (await c.post('/leads', { source_code: 'WEBSITE', lead_code: 'S-1' })).json();
    received = [];
    await c.patch(`/leads/${lead.id}`, { expected_value: 10 });
    expect(of(tenant)).toEqual([]);
    await c.patch(`/leads/${lead.id}`, { status: 'qualified' });
    const converted = (await c.patch(`/leads/${lead.id}`, { status: 'converted', converted_value: 55.5 })).json();
    expect(of(tenant)).toEqual([
      {
        name: 'lead.status_changed',
        event: {
          tenantId: tenant,
          actor: 'agent-7',
          occurredAt: expect.stringMatching(ISO),
          leadId: lead.id,
          leadCode: 'S-1',
          statusBefore: 'new',
          statusAfter: 'qualified',
        },
      },
      { name: 'lead.status_changed', event: expect.objectContaining({ leadId: lead.id, statusBefore: 'qualified', statusAfter: 'converted' }) },
      { name: 'lead.converted', event: expect.objectContaining({ leadId: lead.id, convertedAt: converted.converted_at, convertedValue: 55.5 }) },
    ]);
    received = [];
    expect((await c.delete(`/leads/${lead.id}`)).statusCode).toBe(204);
    expect(of(tenant)).toEqual([
      { name: 'lead.deleted', event: { tenantId: tenant, actor: 'agent-7', occurredAt: expect.stringMatching(ISO), leadId: lead.id, leadCode: 'S-1' } },
    ]);
  });

  it("milestone.recorded on every record, milestone.sla_breached when it comes later than its type's SLA", async () => {
    const tenant = newTenantId();
    const c = client(tenant, 'rep-3');
    const lead = (await c.post('/leads', { source_code: 'WEBSITE', created_at: '2026-01-01T08:00:00Z' })).json();
    received = [];
    const first = (await c.post(`/milestones/${lead.id}`, { milestone_type_code: 'LEAD_GENERATED', achieved_date: '2026-01-01' })).json();
    // CONTACTED allows 3 days (API.md §2 defaults): 10 days later breaches it.
    const late = (await c.post(`/milestones/${lead.id}`, { milestone_type_code: 'CONTACTED', achieved_date: '2026-01-11' })).json();
    // SITE_VISIT allows 10 days: 2 days later does not.
    const onTime = (await c.post(`/milestones/${lead.id}`, { milestone_type_code: 'SITE_VISIT', achieved_date: '2026-01-13', status: 'pending' })).json();
    expect(late.sla_breached).toBe(true);
    expect(onTime.sla_breached).toBe(false);
    const base = { tenantId: tenant, actor: 'rep-3', occurredAt: expect.stringMatching(ISO), leadId: lead.id };
    expect(of(tenant)).toEqual([
      {
        name: 'milestone.recorded',
        event: { ...base, milestoneId: first.id, typeCode: 'LEAD_GENERATED', status: 'completed', achievedDate: '2026-01-01', daysFromPrevious: null },
      },
      {
        name: 'milestone.recorded',
        event: { ...base, milestoneId: late.id, typeCode: 'CONTACTED', status: 'completed', achievedDate: '2026-01-11', daysFromPrevious: 10 },
      },
      {
        name: 'milestone.sla_breached',
        event: {
          ...base,
          milestoneId: late.id,
          typeCode: 'CONTACTED',
          achievedDate: '2026-01-11',
          daysFromPrevious: 10,
          slaDays: 3,
          detectedBy: 'recording',
          enteredOn: '2026-01-01',
          dueOn: '2026-01-04',
        },
      },
      {
        name: 'milestone.recorded',
        event: { ...base, milestoneId: onTime.id, typeCode: 'SITE_VISIT', status: 'pending', achievedDate: '2026-01-13', daysFromPrevious: 2 },
      },
    ]);
  });

  it('campaign.status_changed names the campaign and both statuses', async () => {
    const tenant = newTenantId();
    const c = client(tenant, 'marketer');
    const campaign = (
      await c.post('/campaigns', { campaign_code: 'SPRING', campaign_name: 'Spring', campaign_type_code: 'SEO_CAMPAIGN', start_date: '2026-01-01' })
    ).json();
    expect(of(tenant)).toEqual([]);
    expect((await c.post('/campaigns/SPRING/transition', { status_code: 'ACTIVE' })).statusCode).toBe(200);
    await scope.run(tenant, () => api.app.get(CampaignsService).transition('SPRING', 'PAUSED'), { actor: 'scheduler' });
    expect(of(tenant)).toEqual([
      {
        name: 'campaign.status_changed',
        event: {
          tenantId: tenant,
          actor: 'marketer',
          occurredAt: expect.stringMatching(ISO),
          campaignId: campaign.id,
          campaignCode: 'SPRING',
          statusBefore: 'DRAFT',
          statusAfter: 'ACTIVE',
        },
      },
      { name: 'campaign.status_changed', event: expect.objectContaining({ actor: 'scheduler', statusBefore: 'ACTIVE', statusAfter: 'PAUSED' }) },
    ]);
  });

  it('waits for the commit of the transaction the write joined, and emits nothing when it rolls back', async () => {
    const tenant = newTenantId();
    await scope.run(tenant, async () => {
      await txHost.withTransaction(async () => {
        await leads.create({ source_code: 'WEBSITE', lead_code: 'KEPT' });
        expect(of(tenant)).toEqual([]); // written, not committed: nothing yet
      });
      expect(names(tenant)).toEqual(['lead.created']);

      received = [];
      await expect(
        txHost.withTransaction(async () => {
          await leads.create({ source_code: 'WEBSITE', lead_code: 'GONE' });
          await leads.create({ source_code: 'EMAIL', status: 'converted' });
          throw new Error('the host gives up');
        }),
      ).rejects.toThrow('the host gives up');
      expect(of(tenant)).toEqual([]);
      expect((await leads.list({ lead_code: 'GONE' } as never)).total).toBe(0);
    });
  });

  it('drops what a savepoint rolled back and keeps what its transaction committed', async () => {
    const tenant = newTenantId();
    await scope.run(tenant, () =>
      txHost.withTransaction(async () => {
        await leads.create({ source_code: 'WEBSITE', lead_code: 'OUTER' });
        await expect(
          txHost.withTransaction(Propagation.Nested, async () => {
            await leads.create({ source_code: 'WEBSITE', lead_code: 'INNER' });
            throw new Error('inner gives up');
          }),
        ).rejects.toThrow('inner gives up');
        await txHost.withTransaction(Propagation.Nested, () => leads.create({ source_code: 'EMAIL', lead_code: 'INNER-KEPT' }));
      }),
    );
    expect(of(tenant).map((r) => (r.event as LeadCreatedEvent).leadCode)).toEqual(['OUTER', 'INNER-KEPT']);
  });

  it('emits nothing for a write that fails', async () => {
    const tenant = newTenantId();
    const c = client(tenant);
    const lead = (await c.post('/leads', { source_code: 'WEBSITE', lead_code: 'F-1' })).json();
    received = [];
    expect((await c.post('/leads', { source_code: 'WEBSITE', lead_code: 'F-1' })).statusCode).toBe(409);
    expect((await c.post(`/milestones/${lead.id}`, { milestone_type_code: 'LEAD_GENERATED', achieved_date: '2020-01-01' })).statusCode).toBe(400);
    expect((await c.patch(`/leads/${lead.id}`, { status: 'converted' }, { headers: { 'if-match': '"9"' } })).statusCode).toBe(412);
    expect(of(tenant)).toEqual([]);
  });

  it("runs listeners outside the transaction, in the tenant's scope: a listener can write through the services", async () => {
    const tenant = newTenantId();
    const milestones = api.app.get(LeadMilestonesService);
    const tenancy = api.app.get(TenantContext);
    const done = new Promise<{ inTransaction: boolean; tenantId: string; milestoneId: number }>((resolve, reject) => {
      const listener = async (event: LeadCreatedEvent) => {
        if (event.tenantId !== tenant) return;
        emitter.off(DOMAIN_EVENTS.leadCreated, listener);
        try {
          const inTransaction = txHost.isTransactionActive();
          const { row } = await milestones.create(event.leadId, {
            milestone_type_code: 'LEAD_GENERATED',
            achieved_date: new Date().toISOString().slice(0, 10),
          });
          resolve({ inTransaction, tenantId: tenancy.require().tenantId, milestoneId: row.id });
        } catch (e) {
          reject(e);
        }
      };
      emitter.on(DOMAIN_EVENTS.leadCreated, listener);
    });
    const lead = (await client(tenant).post('/leads', { source_code: 'WEBSITE' })).json();
    const seen = await done;
    expect(seen).toMatchObject({ inTransaction: false, tenantId: tenant });
    const listed = (await client(tenant).get(`/milestones/${lead.id}`)).json();
    expect(listed.data.map((m: { id: number }) => m.id)).toEqual([seen.milestoneId]);
  });

  it('a listener that throws neither fails nor undoes the write', async () => {
    const tenant = newTenantId();
    const c = client(tenant);
    const lead = (await c.post('/leads', { source_code: 'WEBSITE' })).json();
    const boom = () => {
      throw new Error('listener failed');
    };
    emitter.on(DOMAIN_EVENTS.leadDeleted, boom);
    try {
      expect((await c.delete(`/leads/${lead.id}`)).statusCode).toBe(204);
    } finally {
      emitter.off(DOMAIN_EVENTS.leadDeleted, boom);
    }
    expect((await c.get(`/leads/${lead.id}`)).statusCode).toBe(404);
    expect(names(tenant)).toEqual(['lead.created', 'lead.deleted']);
  });
});

describe('domain events without an event emitter', () => {
  let api: TestApi;
  beforeAll(async () => {
    // A host with neither an emitter nor webhooks (which write every event to their outbox).
    api = await startTestApi({}, { webhooks: false });
  });
  afterAll(() => api.close());

  it('are off: writes that would emit succeed and nothing is queued', async () => {
    expect(api.app.get(DomainEventPublisher).enabled).toBe(false);
    expect(() => api.app.get(EventEmitter2)).toThrow();
    const c = api.as({ tenant: newTenantId(), role: 'admin' });
    const lead = (await c.post('/leads', { source_code: 'WEBSITE', status: 'converted' })).json();
    expect((await c.patch(`/leads/${lead.id}`, { status: 'lost' })).statusCode).toBe(200);
    expect(
      (await c.post(`/milestones/${lead.id}`, { milestone_type_code: 'LEAD_GENERATED', achieved_date: new Date().toISOString().slice(0, 10) })).statusCode,
    ).toBe(201);
    expect((await c.delete(`/leads/${lead.id}`)).statusCode).toBe(204);
  });
});
