import { HttpException } from '@nestjs/common';
import { AppError } from '../../src/common/errors/app-error';
import { CampaignsService } from '../../src/campaigns/campaigns.service';
import { SourceAnalyticsService } from '../../src/lead-sources/analytics/source-analytics.service';
import { LeadsService } from '../../src/lead-sources/leads.service';
import { LeadMilestonesService } from '../../src/milestones/lead-milestones.service';
import { TenantScope } from '../../src/tenancy/tenant-scope';
import { Client, startTestApi, TestApi, TestResponse } from '../support/app';
import { newTenantId } from '../support/tenants';

/**
 * The services' methods meant for hosts (src/common/validation/validate-input.ts), called in-process
 * with bad input, answer what their route answers for the same input: the same status and problem
 * document (an AppError, i.e. an HttpException), never a SQL error or a RangeError.
 */
describe('service input validated at the boundary, as the routes do', () => {
  let api: TestApi;
  let scope: TenantScope;
  let leads: LeadsService;
  let milestones: LeadMilestonesService;
  let analytics: SourceAnalyticsService;
  let campaigns: CampaignsService;
  let tenant: string;
  let rest: Client;
  let leadId: number;

  beforeAll(async () => {
    api = await startTestApi();
    scope = api.app.get(TenantScope);
    leads = api.app.get(LeadsService);
    milestones = api.app.get(LeadMilestonesService);
    analytics = api.app.get(SourceAnalyticsService);
    campaigns = api.app.get(CampaignsService);
    tenant = newTenantId();
    rest = api.as({ tenant, role: 'admin' });
    leadId = (await scope.run(tenant, () => leads.create({ source_code: 'WEBSITE', lead_code: 'BASE' }))).row.id;
    const campaign = await rest.post('/campaigns', {
      campaign_code: 'SPRING',
      campaign_name: 'Spring',
      campaign_type_code: 'SEO_CAMPAIGN',
      start_date: '2026-01-01',
    });
    expect(campaign.statusCode).toBe(201);
  });
  afterAll(() => api.close());

  /** What the service threw, run as the tenant. */
  const thrown = async (work: () => Promise<unknown>): Promise<AppError> => {
    const error = await scope.run(tenant, work).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error).toBeInstanceOf(HttpException);
    return error as AppError;
  };
  /** The route's problem document, without the request id. */
  const problemOf = (res: TestResponse) => {
    const { instance: _requestId, ...problem } = res.json();
    return problem;
  };
  const expectSameAsRoute = async (work: () => Promise<unknown>, res: Promise<TestResponse>) => {
    const error = await thrown(work);
    const answer = await res;
    expect(error.getStatus()).toBe(answer.statusCode);
    expect(error.getResponse()).toEqual(problemOf(answer));
    return error;
  };

  describe('leads', () => {
    it("create: a bad body is the route's 400 with the same field errors", async () => {
      const body = { source_code: 'website', status: 'won-ish', expected_value: -5, is_admin: true };
      const error = await expectSameAsRoute(() => leads.create(body as never), rest.post('/leads', body));
      expect(error.getStatus()).toBe(400);
      expect(error.errors!.map((e) => e.field).sort()).toEqual(['expected_value', 'is_admin', 'source_code', 'status']);
    });

    it('create: a body that is no object is a 400', async () => {
      for (const body of [null, 'WEBSITE', ['WEBSITE'], 42]) {
        const error = await thrown(() => leads.create(body as never));
        expect([error.getStatus(), error.code]).toEqual([400, 'VALIDATION_FAILED']);
      }
    });

    it('create: a well-formed body is stored as the route stores it', async () => {
      const { response } = await scope.run(tenant, () =>
        leads.create({ source_code: 'SOCIAL', sub_source_code: 'LINKEDIN', status: 'qualified', expected_value: 120.5 }),
      );
      const read = await rest.get(`/leads/${response.id}`);
      expect(read.json()).toEqual(response);
    });

    it('update: a bad body or an id that names nothing answers as the route', async () => {
      const body = { status: 'won-ish', converted_value: 'a lot' };
      await expectSameAsRoute(() => leads.update(leadId, body as never), rest.patch(`/leads/${leadId}`, body));
      await expectSameAsRoute(() => leads.update('abc' as never, { status: 'contacted' }), rest.patch('/leads/abc', { status: 'contacted' }));
      await expectSameAsRoute(() => leads.update(2 ** 40, { status: 'contacted' }), rest.patch(`/leads/${2 ** 40}`, { status: 'contacted' }));
    });

    it("get and remove: an id that cannot name a lead is the route's 404", async () => {
      for (const id of ['abc', '0x10', 0, -1, 1.5, 2 ** 31]) {
        await expectSameAsRoute(() => leads.get(id as never), rest.get(`/leads/${id}`));
      }
      await expectSameAsRoute(() => leads.remove('1; DROP TABLE leads' as never), rest.delete(`/leads/${encodeURIComponent('1; DROP TABLE leads')}`));
      const error = await thrown(() => leads.get({ id: leadId } as never));
      expect([error.getStatus(), error.code]).toEqual([404, 'NOT_FOUND']);
    });

    it("list: a bad query is a 400; a query left out takes the route's defaults", async () => {
      await expectSameAsRoute(() => leads.list({ limit: 0, status: 'won-ish' } as never), rest.get('/leads', { query: { limit: 0, status: 'won-ish' } }));
      const error = await thrown(() => leads.list({ limit: 10.5 } as never));
      expect(error.errors).toEqual([expect.objectContaining({ field: 'limit' })]);
      const all = await scope.run(tenant, () => leads.list(undefined as never));
      expect([all.limit, all.offset]).toEqual([50, 0]);
      expect(all).toEqual((await rest.get('/leads')).json());
    });
  });

  describe('lead milestones', () => {
    it("create (record): a bad body is the route's 400; a lead id that names nothing its 404", async () => {
      const body = { milestone_type_code: 'site visit', achieved_date: '2026-02-30', achieved_time: '25:00', status: 'done' };
      const error = await expectSameAsRoute(() => milestones.create(leadId, body as never), rest.post(`/milestones/${leadId}`, body));
      expect(error.errors!.map((e) => e.field).sort()).toEqual(['achieved_date', 'achieved_time', 'milestone_type_code', 'status']);
      const good = { milestone_type_code: 'CONTACTED', achieved_date: '2026-01-05' };
      await expectSameAsRoute(() => milestones.create('x' as never, good), rest.post('/milestones/x', good));
    });

    it('list and timeline: a bad query or id answers as the route', async () => {
      await expectSameAsRoute(
        () => milestones.list(leadId, { include_deleted: 'yes', offset: -1 } as never),
        rest.get(`/milestones/${leadId}`, { query: { include_deleted: 'yes', offset: -1 } }),
      );
      await expectSameAsRoute(() => milestones.timeline(-3), rest.get('/milestones/-3/timeline'));
      const listed = await scope.run(tenant, () => milestones.list(leadId, {} as never));
      expect(listed).toEqual((await rest.get(`/milestones/${leadId}`)).json());
    });
  });

  describe('lead-source analytics', () => {
    it.each([
      ['a day that does not exist', { start_date: '2026-02-30' }],
      ['days out of range', { days: 0 }],
      ['days with dates', { days: 7, start_date: '2026-01-01' }],
      ['an end before the start', { start_date: '2026-03-01', end_date: '2026-02-01' }],
      ['an unknown parameter', { from: '2026-01-01' }],
    ])("all, source, subsource: %s is the route's 400", async (_what, query) => {
      await expectSameAsRoute(() => analytics.all(query as never), rest.get('/lead-sources/analytics/performance', { query }));
      await expectSameAsRoute(() => analytics.source('SOCIAL', query as never), rest.get('/lead-sources/SOCIAL/performance', { query }));
      await expectSameAsRoute(
        () => analytics.subsource('SOCIAL', 'FACEBOOK', query as never),
        rest.get('/lead-sources/SOCIAL/subsources/FACEBOOK/performance', { query }),
      );
    });

    it("trends: a bad interval or source code is the route's 400; codes that cannot exist in the path are 404", async () => {
      await expectSameAsRoute(
        () => analytics.trends({ interval: 'hour', source_code: 'web site' } as never),
        rest.get('/lead-sources/analytics/trends', { query: { interval: 'hour', source_code: 'web site' } }),
      );
      await expectSameAsRoute(() => analytics.source('web site', {}), rest.get('/lead-sources/web%20site/performance'));
      const error = await thrown(() => analytics.source(['SOCIAL'] as never, {}));
      expect([error.getStatus(), error.code]).toEqual([404, 'NOT_FOUND']);
    });

    it('answers as the routes do for good input', async () => {
      const query = { start_date: '2026-01-01', end_date: '2026-12-31' };
      expect(await scope.run(tenant, () => analytics.all(query))).toEqual((await rest.get('/lead-sources/analytics/performance', { query })).json());
      expect(await scope.run(tenant, () => analytics.trends({ ...query, interval: 'month' }))).toEqual(
        (await rest.get('/lead-sources/analytics/trends', { query: { ...query, interval: 'month' } })).json(),
      );
      expect(await scope.run(tenant, () => analytics.source('WEBSITE'))).toEqual((await rest.get('/lead-sources/WEBSITE/performance')).json());
    });
  });

  describe('campaign status change', () => {
    it("transition: a bad status code is the route's 400, a code that cannot exist its 404, a good one moves it", async () => {
      await expectSameAsRoute(() => campaigns.transition('SPRING', 'active!'), rest.post('/campaigns/SPRING/transition', { status_code: 'active!' }));
      const error = await thrown(() => campaigns.transition('SPRING', undefined as never));
      expect(new Set(error.errors!.map((e) => e.field))).toEqual(new Set(['status_code']));
      await expectSameAsRoute(() => campaigns.transition('spring', 'ACTIVE'), rest.post('/campaigns/spring/transition', { status_code: 'ACTIVE' }));
      const moved = await scope.run(tenant, () => campaigns.transition('SPRING', 'ACTIVE'));
      expect(campaigns.toResponse(moved).status_code).toBe('ACTIVE');
    });
  });
});
