import { Client, startTestApi, TestApi } from '../support/app';
import { newTenantId, numberAhead } from '../support/tenants';
import { ok } from '../support/responses';
import { aLead, aMilestone, chain, Milestone, milestonesOf, recompute, withoutNames } from './helpers';

describe('lead milestones', () => {
  let api: TestApi;
  let tenant: string;
  let admin: Client;
  let leadId: number;
  beforeAll(async () => {
    api = await startTestApi();
  });
  beforeEach(async () => {
    tenant = newTenantId();
    admin = api.as({ tenant, role: 'admin' });
    leadId = await aLead(admin, '2026-03-01T10:00:00Z');
  });
  afterAll(() => api.close());

  const summary = (rows: Milestone[]) => rows.map((m) => [m.type_code, m.achieved_date, m.days_from_previous]);

  describe('create', () => {
    it('fills the server fields and answers 201 with the row and its ETag', async () => {
      const res = await api.as({ tenant, role: 'agent', sub: 'agent-7' }).post(`/milestones/${leadId}`, {
        milestone_type_code: 'SITE_VISIT',
        achieved_date: '2026-03-04',
        achieved_time: '14:30',
        notes: 'Met the owner',
        location_latitude: 48.8566,
        location_longitude: 2.3522,
        location_name: 'Paris',
        duration_minutes: 45,
        outcome: 'positive',
        follow_up_required: true,
        follow_up_date: '2026-03-10',
        document_urls: ['https://files.example.com/a.pdf'],
        metadata: { room: 3 },
      });
      const m = ok(res, 201);
      expect(res.headers.etag).toBe('"1"');
      const types = ok(await admin.get('/milestone-types/SITE_VISIT'));
      expect(m).toMatchObject({
        lead_id: leadId,
        milestone_type_id: types.id,
        type_code: 'SITE_VISIT',
        type_name: 'Site visit',
        achieved_date: '2026-03-04',
        achieved_time: '14:30:00',
        status: 'completed',
        notes: 'Met the owner',
        location_latitude: 48.8566,
        location_longitude: 2.3522,
        location_name: 'Paris',
        duration_minutes: 45,
        outcome: 'positive',
        follow_up_required: true,
        follow_up_date: '2026-03-10',
        document_urls: ['https://files.example.com/a.pdf'],
        metadata: { room: 3 },
        completed_by: 'agent-7',
        created_by: 'agent-7',
        days_from_previous: null,
        sla_breached: false,
        version: 1,
      });
      const audit = ok(await admin.get('/audit-log', { query: { entity_type: 'lead_milestone', entity_key: String(m.id) } })).data;
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ action: 'create', actor: 'agent-7' });
      expect(audit[0].changes.type_code).toEqual([null, 'SITE_VISIT']);
    });

    it('answers exactly the row it stored, whatever the body and wherever it lands in the chain', async () => {
      // The create builds its answer from the row it inserted (no re-read): every field, as a later
      // read returns it, for bodies that exercise each column's conversion (times, decimals, JSON,
      // dates, nulls) and positions before, between (ties included) and after existing milestones.
      const agent = api.as({ tenant, role: 'agent', sub: 'agent-9' });
      const bodies: Record<string, unknown>[] = [
        { milestone_type_code: 'CONTACTED', achieved_date: '2026-03-05' },
        {
          milestone_type_code: 'SITE_VISIT',
          achieved_date: '2026-03-03',
          achieved_time: '08:05',
          location_latitude: -89.999999,
          location_longitude: 179.999999,
          location_name: 'Pôle',
        },
        {
          milestone_type_code: 'SITE_VISIT',
          achieved_date: '2026-03-03',
          achieved_time: '08:05:00',
          location_latitude: 0,
          location_longitude: -0.000001,
          notes: 'same instant: after the previous one',
        },
        {
          milestone_type_code: 'PROPOSAL_SENT',
          achieved_date: '2026-03-09',
          status: 'in_progress',
          follow_up_required: true,
          follow_up_date: '2026-04-01',
          metadata: { nested: { a: [1, 'b', null] }, ünï: 'cödé' },
        },
        {
          milestone_type_code: 'CONTACTED',
          achieved_date: '2026-03-01',
          achieved_time: '23:59:59',
          status: 'failed',
          outcome: 'negative',
          duration_minutes: 0,
          document_urls: ['https://files.example.com/x%20y.pdf?v=2'],
        },
        { milestone_type_code: 'CONTACTED', achieved_date: '2026-03-04', status: 'skipped', notes: '' },
      ];
      for (const body of bodies) {
        const res = await agent.post(`/milestones/${leadId}`, body);
        const created = ok(res, 201);
        const stored = (await milestonesOf(admin, leadId)).find((m) => m.id === created.id);
        expect(created).toEqual(stored);
        expect(res.headers.etag).toBe(`"${created.version}"`);
      }
    });

    it('leaves completed_by empty unless the status is completed', async () => {
      const m = await aMilestone(admin, leadId, { milestone_type_code: 'CONTACTED', achieved_date: '2026-03-02', status: 'pending' });
      expect(m).toMatchObject({ status: 'pending', completed_by: null, follow_up_required: false, document_urls: [], metadata: {}, achieved_time: null });
    });

    it.each([
      ['allows_notes', { notes: 'x' }, ['notes']],
      ['allows_location', { location_latitude: 1, location_longitude: 2, location_name: 'here' }, ['location_latitude', 'location_longitude', 'location_name']],
      ['allows_location', { location_name: 'here' }, ['location_name']],
      ['allows_attachment', { document_urls: ['https://example.com/x.pdf'] }, ['document_urls']],
    ])('refuses content the type does not allow (%s false → 400 naming %j)', async (flag, extra, fields) => {
      ok(await admin.post('/milestone-types', { type_code: 'STRICT', type_name: 'Strict', [flag]: false }), 201);
      const res = await admin.post(`/milestones/${leadId}`, { milestone_type_code: 'STRICT', achieved_date: '2026-03-02', ...extra });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual(fields);
      // Null, and an empty document list, are no content.
      const empty = { notes: null, location_latitude: null, location_longitude: null, location_name: null, document_urls: [] };
      ok(await admin.post(`/milestones/${leadId}`, { milestone_type_code: 'STRICT', achieved_date: '2026-03-02', ...empty }), 201);
    });

    it('refuses skipping a mandatory type (409), on create and on PATCH', async () => {
      const res = await admin.post(`/milestones/${leadId}`, { milestone_type_code: 'LEAD_GENERATED', achieved_date: '2026-03-01', status: 'skipped' });
      expect(res.statusCode).toBe(409);
      expect(res.json().code).toBe('CONFLICT');
      const m = await aMilestone(admin, leadId, { milestone_type_code: 'LEAD_GENERATED', achieved_date: '2026-03-01', status: 'pending' });
      expect((await admin.patch(`/lead-milestones/${m.id}`, { status: 'skipped' })).statusCode).toBe(409);
      // Skipping a type that is not mandatory is fine.
      ok(await admin.post(`/milestones/${leadId}`, { milestone_type_code: 'CONTACTED', achieved_date: '2026-03-01', status: 'skipped' }), 201);
    });

    it('answers 404 for an inactive, deleted, unknown or foreign type, and for a missing, deleted or foreign lead', async () => {
      const theirs = newTenantId();
      const other = api.as({ tenant: theirs, role: 'admin' });
      ok(await other.post('/milestone-types', { type_code: 'THEIRS', type_name: 'Theirs' }), 201);
      await numberAhead(api.app, theirs);
      const theirLead = await aLead(other, '2026-03-01T00:00:00Z');
      ok(await admin.post('/milestone-types/CONVERTED/deactivate'), 200);
      ok(await admin.delete('/milestone-types/PROPOSAL_SENT'), 204);
      for (const code of ['CONVERTED', 'PROPOSAL_SENT', 'NOPE', 'THEIRS']) {
        const res = await admin.post(`/milestones/${leadId}`, { milestone_type_code: code, achieved_date: '2026-03-02' });
        expect([code, res.statusCode]).toEqual([code, 404]);
      }
      const gone = await aLead(admin, '2026-03-01T00:00:00Z');
      ok(await admin.delete(`/leads/${gone}`), 204);
      for (const id of [theirLead, gone, 99999999, 0]) {
        expect((await admin.post(`/milestones/${id}`, { milestone_type_code: 'CONTACTED', achieved_date: '2026-03-02' })).statusCode).toBe(404);
        expect((await admin.get(`/milestones/${id}`)).statusCode).toBe(404);
        expect((await admin.get(`/milestones/${id}/timeline`)).statusCode).toBe(404);
      }
      expect((await admin.get('/milestones/abc')).statusCode).toBe(404);
      expect((await admin.get('/milestones/analytics')).statusCode).toBe(404);
    });

    it.each([
      [{ achieved_date: '2026-02-30' }, 'achieved_date'],
      [{ achieved_date: '2026-02-28' }, 'achieved_date'], // the lead was created on 03-01
      [{ achieved_time: '24:00' }, 'achieved_time'],
      [{ achieved_time: '9:30' }, 'achieved_time'],
      [{ status: 'done' }, 'status'],
      [{ outcome: 'great' }, 'outcome'],
      [{ location_latitude: 91, location_longitude: 0 }, 'location_latitude'],
      [{ location_latitude: 0, location_longitude: -181 }, 'location_longitude'],
      [{ location_latitude: 10 }, 'location_longitude'],
      [{ duration_minutes: -5 }, 'duration_minutes'],
      [{ document_urls: ['http://example.com/a.pdf'] }, 'document_urls'],
      [{ document_urls: Array.from({ length: 21 }, (_, i) => `https://example.com/${i}.pdf`) }, 'document_urls'],
      [{ follow_up_date: 'soon' }, 'follow_up_date'],
      [{ metadata: [] }, 'metadata'],
      [{ days_from_previous: 3 }, 'days_from_previous'],
      [{ completed_by: 'me' }, 'completed_by'],
    ])('refuses %j (400 naming %s)', async (extra, field) => {
      const res = await admin.post(`/milestones/${leadId}`, { milestone_type_code: 'CONTACTED', achieved_date: '2026-03-02', ...extra });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    });
  });

  describe('the chain', () => {
    it('keeps days_from_previous right for a back-dated insert, a date move and a delete', async () => {
      const lg = await aMilestone(admin, leadId, { milestone_type_code: 'LEAD_GENERATED', achieved_date: '2026-03-01' });
      const sv = await aMilestone(admin, leadId, { milestone_type_code: 'SITE_VISIT', achieved_date: '2026-03-12' });
      expect(sv.days_from_previous).toBe(11);
      // Back-dated: lands between the two, and shortens the site visit's gap.
      const ct = await aMilestone(admin, leadId, { milestone_type_code: 'CONTACTED', achieved_date: '2026-03-05' });
      expect(ct.days_from_previous).toBe(4);
      expect(summary(await milestonesOf(admin, leadId))).toEqual([
        ['LEAD_GENERATED', '2026-03-01', null],
        ['CONTACTED', '2026-03-05', 4],
        ['SITE_VISIT', '2026-03-12', 7],
      ]);
      // A neighbour's change is derived, not an edit: its version stays.
      expect((await milestonesOf(admin, leadId)).find((m) => m.id === sv.id)!.version).toBe(1);
      // Move the contact after the site visit.
      const moved = ok(await admin.patch(`/lead-milestones/${ct.id}`, { achieved_date: '2026-03-20' }));
      expect(moved).toMatchObject({ days_from_previous: 8, version: 2 });
      expect(summary(await milestonesOf(admin, leadId))).toEqual([
        ['LEAD_GENERATED', '2026-03-01', null],
        ['SITE_VISIT', '2026-03-12', 11],
        ['CONTACTED', '2026-03-20', 8],
      ]);
      // Delete the first: the site visit becomes the first.
      expect((await admin.delete(`/lead-milestones/${lg.id}`)).statusCode).toBe(204);
      expect(summary(await milestonesOf(admin, leadId))).toEqual([
        ['SITE_VISIT', '2026-03-12', null],
        ['CONTACTED', '2026-03-20', 8],
      ]);
      expect((await admin.patch(`/lead-milestones/${lg.id}`, { notes: 'x' })).statusCode).toBe(404);
      expect((await admin.delete(`/lead-milestones/${lg.id}`)).statusCode).toBe(404);
      const withDeleted = ok(await admin.get(`/milestones/${leadId}`, { query: { include_deleted: true } })).data;
      expect(withDeleted.find((m: Milestone & { deleted_at?: string }) => m.id === lg.id)).toMatchObject({
        deleted_at: expect.any(String),
        days_from_previous: null,
      });
    });

    it('orders within a day by time (none first), then by id', async () => {
      const a = await aMilestone(admin, leadId, { milestone_type_code: 'CONTACTED', achieved_date: '2026-03-03', achieved_time: '16:00' });
      const b = await aMilestone(admin, leadId, { milestone_type_code: 'SITE_VISIT', achieved_date: '2026-03-03', achieved_time: '09:15:30' });
      const c = await aMilestone(admin, leadId, { milestone_type_code: 'LEAD_GENERATED', achieved_date: '2026-03-03' });
      const d = await aMilestone(admin, leadId, { milestone_type_code: 'PROPOSAL_SENT', achieved_date: '2026-03-03', achieved_time: '16:00:00' });
      expect((await milestonesOf(admin, leadId)).map((m) => m.id)).toEqual([c.id, b.id, a.id, d.id]);
      // PATCH the time: the contact moves before the site visit.
      ok(await admin.patch(`/lead-milestones/${a.id}`, { achieved_time: '08:00' }));
      expect((await milestonesOf(admin, leadId)).map((m) => m.id)).toEqual([c.id, a.id, b.id, d.id]);
      const timeline = ok(await admin.get(`/milestones/${leadId}/timeline`));
      expect(timeline.milestones.map((m: Milestone) => m.id)).toEqual([c.id, a.id, b.id, d.id]);
    });

    it('flags sla_breached against the type’s current sla_days', async () => {
      await aMilestone(admin, leadId, { milestone_type_code: 'LEAD_GENERATED', achieved_date: '2026-03-01' });
      const ct = await aMilestone(admin, leadId, { milestone_type_code: 'CONTACTED', achieved_date: '2026-03-05' });
      expect(ct).toMatchObject({ days_from_previous: 4, sla_breached: true }); // CONTACTED: sla 3
      ok(await admin.patch('/milestone-types/CONTACTED', { sla_days: 4 }));
      expect((await milestonesOf(admin, leadId))[1].sla_breached).toBe(false);
      ok(await admin.patch('/milestone-types/CONTACTED', { sla_days: null }));
      expect((await milestonesOf(admin, leadId))[1].sla_breached).toBe(false);
    });

    it('stays right under parallel inserts for the same lead', async () => {
      const dates = [
        '2026-03-09',
        '2026-03-02',
        '2026-03-20',
        '2026-03-05',
        '2026-03-15',
        '2026-03-03',
        '2026-03-28',
        '2026-03-11',
        '2026-03-07',
        '2026-03-02',
        '2026-03-25',
        '2026-03-18',
      ];
      const codes = ['CONTACTED', 'SITE_VISIT', 'PROPOSAL_SENT'];
      const statuses = ['completed', 'pending', 'completed', 'failed'];
      // Tight SLAs, so that gaps of a few days breach some; the lead is the tenant's only one, so every figure is this lead's.
      const sla: Record<string, number | null> = { LEAD_GENERATED: null, CONTACTED: 1, SITE_VISIT: 2, PROPOSAL_SENT: 3, CONVERTED: 30 };
      for (const code of codes) ok(await admin.patch(`/milestone-types/${code}`, { sla_days: sla[code] }));
      const march = { start_date: '2026-03-01', end_date: '2026-03-31' };
      const check = async (expected: number) => {
        const stored = await milestonesOf(admin, leadId);
        expect(stored).toHaveLength(expected);
        const recomputed = chain(stored);
        expect(stored.map((m) => [m.id, m.days_from_previous, m.sla_breached])).toEqual(
          recomputed.map((m) => [m.id, m.days, m.days !== null && sla[m.type_code] !== null && m.days > sla[m.type_code]!]),
        );
        // Not vacuous: the burst leaves some transitions over their SLA and some within it.
        expect(new Set(stored.filter((m) => m.days_from_previous !== null).map((m) => m.sla_breached))).toEqual(new Set([true, false]));
        const want = recompute([stored], Object.keys(sla), sla);
        expect(withoutNames(ok(await admin.get('/milestones/analytics/completion', { query: march })).details)).toEqual(want.completion);
        expect(withoutNames(ok(await admin.get('/milestones/analytics/bottlenecks', { query: march })).data)).toEqual(want.bottlenecks);
      };
      const responses = await Promise.all(
        dates.map((achieved_date, i) =>
          api.as({ tenant, role: 'agent' }).post(`/milestones/${leadId}`, {
            milestone_type_code: codes[i % 3],
            achieved_date,
            achieved_time: i % 2 ? '10:00' : null,
            status: statuses[i % 4],
          }),
        ),
      );
      expect(responses.map((r) => r.statusCode)).toEqual(dates.map(() => 201));
      await check(dates.length);
      const stored = await milestonesOf(admin, leadId);
      // And a parallel mix of moves, status changes and deletes.
      const ops = stored.slice(0, 8).map((m, i) =>
        i % 3 === 0
          ? admin.delete(`/lead-milestones/${m.id}`)
          : admin.patch(`/lead-milestones/${m.id}`, {
              achieved_date: `2026-03-${String(10 + i).padStart(2, '0')}`,
              ...(i % 2 ? { status: 'completed' } : {}),
            }),
      );
      expect((await Promise.all(ops)).map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 204, 204, 204]);
      await check(dates.length - 3);
    });

    it('takes parallel writes to many leads of one tenant, all counted once', async () => {
      const leads = await Promise.all(Array.from({ length: 12 }, () => aLead(admin, '2026-03-01T00:00:00Z')));
      const writes = leads.flatMap((id) => [
        admin.post(`/milestones/${id}`, { milestone_type_code: 'LEAD_GENERATED', achieved_date: '2026-03-01' }),
        admin.post(`/milestones/${id}`, { milestone_type_code: 'CONTACTED', achieved_date: '2026-03-04' }),
      ]);
      expect((await Promise.all(writes)).every((r) => r.statusCode === 201)).toBe(true);
      const query = { start_date: '2026-03-01', end_date: '2026-03-31' };
      const b = ok(await admin.get('/milestones/analytics/bottlenecks', { query })).data;
      expect(b).toEqual([
        expect.objectContaining({ from_milestone: 'LEAD_GENERATED', to_milestone: 'CONTACTED', transitions: 12, leads_affected: 12, average_days: 3 }),
      ]);
      const c = ok(await admin.get('/milestones/analytics/completion', { query })).details;
      expect(c.filter((d: { total: number }) => d.total > 0).map((d: { type_code: string; total: number }) => [d.type_code, d.total])).toEqual([
        ['CONTACTED', 12],
        ['LEAD_GENERATED', 12],
      ]);
    });

    it("takes a deleted lead's milestones along: gone from every figure and audited", async () => {
      const other = await aLead(admin, '2026-03-01T00:00:00Z');
      for (const id of [leadId, other]) {
        await aMilestone(admin, id, { milestone_type_code: 'LEAD_GENERATED', achieved_date: '2026-03-01' });
        await aMilestone(admin, id, { milestone_type_code: 'CONTACTED', achieved_date: '2026-03-03' });
      }
      const query = { start_date: '2026-03-01', end_date: '2026-03-31' };
      const totals = async () =>
        Object.fromEntries(
          ok(await admin.get('/milestones/analytics/completion', { query })).details.map((d: { type_code: string; total: number }) => [d.type_code, d.total]),
        );
      expect(await totals()).toMatchObject({ LEAD_GENERATED: 2, CONTACTED: 2 });
      expect((await admin.delete(`/leads/${leadId}`)).statusCode).toBe(204);
      expect(await totals()).toMatchObject({ LEAD_GENERATED: 1, CONTACTED: 1 });
      const b = ok(await admin.get('/milestones/analytics/bottlenecks', { query })).data;
      expect(b.map((r: { transitions: number; leads_affected: number }) => [r.transitions, r.leads_affected])).toEqual([[1, 1]]);
      expect((await admin.get(`/milestones/${leadId}`)).statusCode).toBe(404);
      const log = ok(await admin.get('/audit-log', { query: { entity_type: 'lead_milestone' } })).data;
      expect(log.filter((e: { action: string }) => e.action === 'delete')).toHaveLength(2);
    });

    it('keeps leads apart: one lead’s writes never touch another’s chain', async () => {
      const other = await aLead(admin, '2026-03-01T00:00:00Z');
      await aMilestone(admin, leadId, { milestone_type_code: 'CONTACTED', achieved_date: '2026-03-02' });
      const first = await aMilestone(admin, other, { milestone_type_code: 'CONTACTED', achieved_date: '2026-03-10' });
      expect(first.days_from_previous).toBeNull();
    });
  });

  describe('update', () => {
    it('changes status, outcome, notes and follow-up; completed_by follows the status', async () => {
      const m = await aMilestone(admin, leadId, { milestone_type_code: 'CONTACTED', achieved_date: '2026-03-02', status: 'in_progress' });
      const agent = api.as({ tenant, role: 'agent', sub: 'agent-9' });
      const done = ok(
        await agent.patch(
          `/lead-milestones/${m.id}`,
          { status: 'completed', outcome: 'neutral', notes: 'Called back', follow_up_required: true, follow_up_date: '2026-03-09' },
          { headers: { 'if-match': '"1"' } },
        ),
      );
      expect(done).toMatchObject({
        status: 'completed',
        completed_by: 'agent-9',
        outcome: 'neutral',
        notes: 'Called back',
        follow_up_required: true,
        follow_up_date: '2026-03-09',
        version: 2,
        updated_by: 'agent-9',
      });
      // Staying completed keeps the completer; leaving completed clears it.
      expect(ok(await admin.patch(`/lead-milestones/${m.id}`, { notes: null, outcome: null, follow_up_date: null })).completed_by).toBe('agent-9');
      expect(ok(await admin.patch(`/lead-milestones/${m.id}`, { status: 'failed' }))).toMatchObject({
        status: 'failed',
        completed_by: null,
        notes: null,
        outcome: null,
        follow_up_date: null,
      });
      expect(ok(await admin.patch(`/lead-milestones/${m.id}`, { status: 'completed' })).completed_by).toBe('admin-user');
      const audit = ok(await admin.get('/audit-log', { query: { entity_type: 'lead_milestone', entity_key: String(m.id) } })).data;
      expect(audit.map((a: { action: string }) => a.action)).toEqual(['update', 'update', 'update', 'update', 'create']);
      expect(audit[1].changes).toEqual({ status: ['completed', 'failed'], completed_by: ['agent-9', null] });
    });

    it('writes nothing for a PATCH that changes nothing', async () => {
      const m = await aMilestone(admin, leadId, { milestone_type_code: 'CONTACTED', achieved_date: '2026-03-02', achieved_time: '10:00', notes: 'n' });
      const same = ok(
        await admin.patch(`/lead-milestones/${m.id}`, { achieved_date: '2026-03-02', achieved_time: '10:00:00', notes: 'n', status: 'completed' }),
      );
      expect(same).toMatchObject({ version: 1, completed_by: 'admin-user' });
      expect(ok(await admin.patch(`/lead-milestones/${m.id}`, {})).version).toBe(1);
      const audit = ok(await admin.get('/audit-log', { query: { entity_type: 'lead_milestone', entity_key: String(m.id) } })).data;
      expect(audit.map((a: { action: string }) => a.action)).toEqual(['create']);
    });

    it('refuses fields it may not change, bad values, a stale If-Match and disallowed notes', async () => {
      const m = await aMilestone(admin, leadId, { milestone_type_code: 'CONTACTED', achieved_date: '2026-03-02' });
      for (const body of [
        { milestone_type_code: 'SITE_VISIT' },
        { lead_id: 2 },
        { location_name: 'x' },
        { document_urls: [] },
        { metadata: {} },
        { status: null },
        { achieved_date: null },
        { achieved_date: '2026-02-01' },
      ]) {
        expect([body, (await admin.patch(`/lead-milestones/${m.id}`, body)).statusCode]).toEqual([body, 400]);
      }
      expect((await admin.patch(`/lead-milestones/${m.id}`, { notes: 'x' }, { headers: { 'if-match': '"5"' } })).statusCode).toBe(412);
      expect((await admin.delete(`/lead-milestones/${m.id}`, { headers: { 'if-match': '"5"' } })).statusCode).toBe(412);
      ok(await admin.patch('/milestone-types/CONTACTED', { allows_notes: false }));
      expect((await admin.patch(`/lead-milestones/${m.id}`, { notes: 'x' })).json().errors).toEqual([
        { field: 'notes', message: 'milestone type CONTACTED does not allow notes' },
      ]);
      // Other changes still go through; clearing notes is always allowed.
      expect(ok(await admin.patch(`/lead-milestones/${m.id}`, { notes: null, outcome: 'negative' })).outcome).toBe('negative');
    });
  });

  describe('roles and isolation', () => {
    it('lets agents write, viewers read, and keeps include_deleted for admins', async () => {
      const viewer = api.as({ tenant, role: 'viewer' });
      const manager = api.as({ tenant, role: 'manager' });
      expect((await viewer.post(`/milestones/${leadId}`, { milestone_type_code: 'CONTACTED', achieved_date: '2026-03-02' })).statusCode).toBe(403);
      const m = await aMilestone(manager, leadId, { milestone_type_code: 'CONTACTED', achieved_date: '2026-03-02' });
      expect((await viewer.patch(`/lead-milestones/${m.id}`, { notes: 'x' })).statusCode).toBe(403);
      expect((await viewer.delete(`/lead-milestones/${m.id}`)).statusCode).toBe(403);
      expect(ok(await viewer.get(`/milestones/${leadId}`)).total).toBe(1);
      expect((await viewer.get(`/milestones/${leadId}/timeline`)).statusCode).toBe(200);
      expect((await manager.get(`/milestones/${leadId}`, { query: { include_deleted: true } })).statusCode).toBe(403);
      expect((await api.as({ tenant, role: 'agent' }).delete(`/lead-milestones/${m.id}`)).statusCode).toBe(204);
    });

    it("answers 404 for another tenant's milestone and lead", async () => {
      const m = await aMilestone(admin, leadId, { milestone_type_code: 'CONTACTED', achieved_date: '2026-03-02' });
      const bob = api.as({ tenant: newTenantId(), role: 'admin' });
      expect((await bob.patch(`/lead-milestones/${m.id}`, { notes: 'x' })).statusCode).toBe(404);
      expect((await bob.delete(`/lead-milestones/${m.id}`)).statusCode).toBe(404);
      expect((await bob.get(`/milestones/${leadId}`)).statusCode).toBe(404);
      expect((await bob.get(`/milestones/${leadId}/timeline`)).statusCode).toBe(404);
      expect((await bob.post(`/milestones/${leadId}`, { milestone_type_code: 'CONTACTED', achieved_date: '2026-03-02' })).statusCode).toBe(404);
      expect(ok(await admin.get(`/milestones/${leadId}`)).total).toBe(1);
    });

    it('lists with paging, in chain order', async () => {
      for (const d of ['2026-03-09', '2026-03-02', '2026-03-05']) await aMilestone(admin, leadId, { milestone_type_code: 'CONTACTED', achieved_date: d });
      const page = ok(await admin.get(`/milestones/${leadId}`, { query: { limit: 2, offset: 1 } }));
      expect(page).toMatchObject({ total: 3, limit: 2, offset: 1 });
      expect(page.data.map((m: Milestone) => m.achieved_date)).toEqual(['2026-03-05', '2026-03-09']);
      expect((await admin.get(`/milestones/${leadId}`, { query: { limit: 501 } })).statusCode).toBe(400);
    });
  });
});
