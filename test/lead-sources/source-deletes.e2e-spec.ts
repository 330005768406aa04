import { startTestApi, TestApi } from '../support/app';
import { aSource } from '../support/builders';
import { newTenantId } from '../support/tenants';

/** Lead sources: delete, restore and their races. */
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

type Row = Record<string, any>;

describe('lead sources: writes', () => {
  const admin = () => api.as({ tenant: newTenantId(), role: 'admin', sub: 'alice' });

  describe('DELETE and restore', () => {
    it('hides a deleted source from reads; include_deleted shows it with deleted_at', async () => {
      const client = admin();
      await client.post('/lead-sources', aSource('TRADE_FAIR'));
      const del = await client.delete('/lead-sources/TRADE_FAIR');
      expect(del.statusCode).toBe(204);
      expect(del.body).toBe('');
      expect((await client.get('/lead-sources/TRADE_FAIR')).statusCode).toBe(404);
      expect((await client.delete('/lead-sources/TRADE_FAIR')).statusCode).toBe(404);
      expect((await client.patch('/lead-sources/TRADE_FAIR', { source_name: 'x' })).statusCode).toBe(404);

      const list = (await client.get('/lead-sources', { query: { include_inactive: true } })).json();
      expect(list.data.map((s: Row) => s.source_code)).not.toContain('TRADE_FAIR');
      expect(list.total).toBe(5);

      const withDeleted = (await client.get('/lead-sources', { query: { include_deleted: true } })).json();
      const deleted = withDeleted.data.find((s: Row) => s.source_code === 'TRADE_FAIR');
      expect(deleted.deleted_at).toEqual(expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/));
      expect(withDeleted.total).toBe(6);
      for (const live of withDeleted.data.filter((s: Row) => s.source_code !== 'TRADE_FAIR')) expect(live).not.toHaveProperty('deleted_at');
    });

    it("takes the source's subsources with it, and restore brings back exactly those", async () => {
      const client = admin();
      await client.post('/lead-sources', aSource('TRADE_FAIR'));
      for (const code of ['BOOTH', 'FLYER', 'TALK']) {
        expect((await client.post('/lead-sources/TRADE_FAIR/subsources', { sub_source_code: code, sub_source_name: code })).statusCode).toBe(201);
      }
      // TALK goes first, on its own.
      expect((await client.delete('/lead-sources/TRADE_FAIR/subsources/TALK')).statusCode).toBe(204);
      expect((await client.delete('/lead-sources/TRADE_FAIR')).statusCode).toBe(204);
      expect((await client.get('/lead-sources/TRADE_FAIR/subsources')).statusCode).toBe(404);

      const restored = await client.post('/lead-sources/TRADE_FAIR/restore');
      expect(restored.statusCode).toBe(200);
      expect(restored.json()).toMatchObject({ source_code: 'TRADE_FAIR', version: 3 });
      expect(restored.json()).not.toHaveProperty('deleted_at');

      const live = await client.get('/lead-sources/TRADE_FAIR/subsources', { query: { include_inactive: true } });
      expect(live.json().data.map((s: Row) => s.sub_source_code)).toEqual(['BOOTH', 'FLYER']);
      const all = (await client.get('/lead-sources/TRADE_FAIR/subsources', { query: { include_deleted: true } })).json().data;
      expect(all.find((s: Row) => s.sub_source_code === 'TALK').deleted_at).toEqual(expect.any(String));
      // TALK can still come back by itself.
      expect((await client.post('/lead-sources/TRADE_FAIR/subsources/TALK/restore')).statusCode).toBe(200);
    });

    it('answers 409 DUPLICATE_CODE to a restore whose code was reused, and restores nothing', async () => {
      const client = admin();
      await client.post('/lead-sources', aSource('TRADE_FAIR', { source_name: 'First' }));
      await client.post('/lead-sources/TRADE_FAIR/subsources', { sub_source_code: 'BOOTH', sub_source_name: 'Booth' });
      await client.delete('/lead-sources/TRADE_FAIR');
      await client.post('/lead-sources', aSource('TRADE_FAIR', { source_name: 'Second' }));

      const res = await client.post('/lead-sources/TRADE_FAIR/restore');
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: 'DUPLICATE_CODE' });
      expect((await client.get('/lead-sources/TRADE_FAIR')).json().source_name).toBe('Second');
      expect((await client.get('/lead-sources/TRADE_FAIR/subsources')).json().total).toBe(0);
    });

    it('lets exactly one of parallel restores of a code bring it back; the others find nothing deleted (404), and one restore is audited', async () => {
      const client = admin();
      await client.post('/lead-sources', aSource('TRADE_FAIR'));
      await client.post('/lead-sources/TRADE_FAIR/subsources', { sub_source_code: 'BOOTH', sub_source_name: 'Booth' });
      await client.delete('/lead-sources/TRADE_FAIR');

      const answers = await Promise.all(Array.from({ length: 10 }, () => client.post('/lead-sources/TRADE_FAIR/restore')));
      expect(answers.map((a) => a.statusCode).sort()).toEqual([200, ...Array(9).fill(404)]);
      expect(answers.filter((a) => a.statusCode === 404).every((a) => a.json().code === 'NOT_FOUND')).toBe(true);
      expect((await client.get('/lead-sources/TRADE_FAIR')).json()).toMatchObject({ version: 3 });
      const log = (await client.get('/audit-log', { query: { entity_type: 'lead_source', entity_key: 'TRADE_FAIR' } })).json().data;
      expect(log.filter((e: Row) => e.action === 'restore')).toHaveLength(1);
      const subLog = (await client.get('/audit-log', { query: { entity_type: 'lead_subsource', entity_key: 'TRADE_FAIR/BOOTH' } })).json().data;
      expect(subLog.filter((e: Row) => e.action === 'restore')).toHaveLength(1);
    });

    it('lets writes race the delete of their row: each answers 200, 204 or 404, never 412 or 500', async () => {
      const statuses = new Set<number>();
      for (let round = 0; round < 10; round++) {
        const client = admin();
        await client.get('/lead-sources');
        const results = await Promise.all([
          client.patch('/lead-sources/SOCIAL/subsources/FACEBOOK', { sub_source_name: 'Meta' }),
          client.delete('/lead-sources/SOCIAL'),
          client.post('/lead-sources/SOCIAL/subsources/LINKEDIN/deactivate'),
          client.patch('/lead-sources/SOCIAL', { source_name: 'Social media' }),
        ]);
        results.forEach((r) => statuses.add(r.statusCode));
        expect(results[1].statusCode).toBe(204);
        expect((await client.get('/lead-sources/SOCIAL')).statusCode).toBe(404);
        const restored = await client.post('/lead-sources/SOCIAL/restore');
        expect(restored.statusCode).toBe(200);
        expect((await client.get('/lead-sources/SOCIAL/subsources', { query: { include_inactive: true } })).json().total).toBe(2);
      }
      expect([...statuses].filter((s) => ![200, 204, 404].includes(s))).toEqual([]);
    });

    it('answers 404 to restoring a code that was never deleted', async () => {
      const client = admin();
      expect((await client.post('/lead-sources/NEVER/restore')).statusCode).toBe(404);
    });
  });
});
