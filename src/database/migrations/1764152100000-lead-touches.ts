import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableIndex } from 'typeorm';
import { TimeZone } from '../../common/analytics/time-zone';
import { bigint, bool, caseSensitiveTenantIds, date, indexName, int, timestamp, varchar, perTenantKeyedColumns } from '../migration-helpers';

/** The tables this migration creates keyed by `(tenant_id, id)` (numbered by id_sequences). */
export const PER_TENANT_TABLES = ['lead_touches'];

const key = (column: TableColumnOptions): TableColumnOptions => ({ ...column, isPrimary: true });
const ref = (name: string, nullable = true): TableColumnOptions => ({ name, type: 'bigint', isNullable: nullable });

const LEAD_MEASURES = ['leads', 'contacted', 'qualified', 'converted', 'lost', 'close_seconds'];
const MONEY_PARTS = ['expected_value_hi', 'expected_value_lo', 'revenue_hi', 'revenue_lo', 'cost_hi', 'cost_lo'];
/** The touch models (MODEL_NUMBER, common/analytics/attribution.ts); first is lead_daily_stats itself. */
const TOUCH_MODELS = [1, 2, 3, 4];
const ALL_MODELS = [0, ...TOUCH_MODELS];
const UNITS = 1_000_000;

/**
 * Touches and multi-touch attribution (docs/attribution.md):
 * - `lead_touches`: the visits that brought each lead, with where each was attributed;
 * - `lead_attribution_daily_stats` / `_monthly_stats`: source figures per touch model;
 * - `campaign_attribution_daily_stats` / `_monthly_stats`: leads and conversions credited to campaigns
 *   and campaign channels per model.
 * A lead stored before touches existed has one point, its own codes, so every model gives it whole to
 * them: the source rollups of the touch models are lead_daily_stats (and its monthly copy) with counts
 * in credit units, and the campaign rollups count each live lead with a campaign on its creation day
 * in the tenant's zone (of the generation read, and of one being recomputed for the leads it has passed).
 */
export class LeadTouches1764152100000 implements MigrationInterface {
  name = 'LeadTouches1764152100000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'lead_touches',
        columns: [
          ...perTenantKeyedColumns(),
          ref('lead_id', false),
          bool('is_origin', false),
          timestamp('occurred_at'),
          ...['utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term', 'gclid', 'fbclid', 'msclkid'].map((c) => varchar(c, 255, true)),
          varchar('referrer', 2048, true),
          varchar('landing_page', 2048, true),
          ...['rule_id', 'source_id', 'sub_source_id', 'channel_id', 'campaign_id', 'campaign_channel_id'].map((c) => ref(c)),
        ],
        indices: [
          new TableIndex({
            name: indexName('ix', 'lead_touches', ['lead_id', 'occurred_at']),
            columnNames: ['tenant_id', 'lead_id', 'occurred_at'],
          }),
        ],
      }),
    );
    const leadMeasures = () => [...LEAD_MEASURES.map(bigint), ...MONEY_PARTS.map(bigint)];
    for (const [table, day, dims, measures] of [
      ['lead_attribution_daily_stats', 'day', ['source_id', 'sub_source_id'], leadMeasures],
      ['lead_attribution_monthly_stats', 'month', ['source_id', 'sub_source_id'], leadMeasures],
      ['campaign_attribution_daily_stats', 'day', ['campaign_id', 'campaign_channel_id'], () => [bigint('leads'), bigint('converted')]],
      ['campaign_attribution_monthly_stats', 'month', ['campaign_id', 'campaign_channel_id'], () => [bigint('leads'), bigint('converted')]],
    ] as const) {
      await qr.createTable(
        new Table({
          name: table,
          columns: [
            key(varchar('tenant_id', 64)),
            key(int('generation', { default: 0 })),
            key(int('model')),
            key(date(day)),
            ...dims.map((d) => key(ref(d, false))),
            ...measures(),
          ],
        }),
      );
    }
    await caseSensitiveTenantIds(qr);

    // Source figures: the same sums, counts in credit units, once per touch model.
    const counts = LEAD_MEASURES.map((m) => (m === 'close_seconds' ? m : `${m} * ${UNITS}`)).join(', ');
    for (const [to, from, day] of [
      ['lead_attribution_daily_stats', 'lead_daily_stats', 'day'],
      ['lead_attribution_monthly_stats', 'lead_monthly_stats', 'month'],
    ]) {
      for (const model of TOUCH_MODELS) {
        await qr.query(
          `INSERT INTO ${to} (tenant_id, generation, model, ${day}, source_id, sub_source_id, ${LEAD_MEASURES.join(', ')}, ${MONEY_PARTS.join(', ')})
           SELECT tenant_id, generation, ${model}, ${day}, source_id, sub_source_id, ${counts}, ${MONEY_PARTS.join(', ')} FROM ${from}`,
        );
      }
    }
    await this.campaignCredits(qr);
  }

  /** Each live lead with a campaign, whole to that campaign (no channel) under every model, on its day of the tenant's zone. */
  private async campaignCredits(qr: QueryRunner): Promise<void> {
    const settings: {
      tenant_id: string;
      days_time_zone: string;
      generation: number | string;
      time_zone: string;
      recompute_generation: number | string | null;
      recomputed_through_lead_id: number | string;
    }[] = await qr.query('SELECT tenant_id, days_time_zone, generation, time_zone, recompute_generation, recomputed_through_lead_id FROM tenant_settings');
    for (const s of settings) {
      const targets = [{ zone: TimeZone.of(s.days_time_zone), generation: Number(s.generation), throughId: Infinity }];
      if (s.recompute_generation !== null) {
        targets.push({ zone: TimeZone.of(s.time_zone), generation: Number(s.recompute_generation), throughId: Number(s.recomputed_through_lead_id) });
      }
      const days = new Map<string, { leads: number; converted: number }>();
      let after = 0;
      for (;;) {
        const leads: { id: number | string; created_at: string | Date; campaign_id: number | string; status: string }[] = await qr.query(
          `SELECT id, created_at, campaign_id, status FROM leads
            WHERE tenant_id = ? AND id > ? AND campaign_id IS NOT NULL AND deleted_at IS NULL ORDER BY id LIMIT 5000`,
          [s.tenant_id, after],
        );
        if (leads.length === 0) break;
        after = Number(leads[leads.length - 1].id);
        for (const lead of leads) {
          const at = lead.created_at instanceof Date ? lead.created_at : new Date(`${String(lead.created_at).replace(' ', 'T')}Z`);
          for (const t of targets) {
            if (Number(lead.id) > t.throughId) continue;
            const day = t.zone.dayOf(at);
            for (const period of [`d|${day}`, `m|${day.slice(0, 7)}-01`]) {
              const k = `${t.generation}|${period}|${Number(lead.campaign_id)}`;
              const acc = days.get(k) ?? { leads: 0, converted: 0 };
              acc.leads += UNITS;
              if (lead.status === 'converted') acc.converted += UNITS;
              days.set(k, acc);
            }
          }
        }
      }
      const rows = [...days.entries()].map(([k, v]) => ({ k: k.split('|'), ...v }));
      for (const [kind, table, day] of [
        ['d', 'campaign_attribution_daily_stats', 'day'],
        ['m', 'campaign_attribution_monthly_stats', 'month'],
      ]) {
        const mine = rows.filter((r) => r.k[1] === kind);
        for (let i = 0; i < mine.length; i += 100) {
          const part = mine
            .slice(i, i + 100)
            .flatMap((r) => ALL_MODELS.map((model) => [s.tenant_id, Number(r.k[0]), model, r.k[2], Number(r.k[3]), 0, r.leads, r.converted]));
          await qr.query(
            `INSERT INTO ${table} (tenant_id, generation, model, ${day}, campaign_id, campaign_channel_id, leads, converted) VALUES ${part.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
            part.flat(),
          );
        }
      }
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const table of [
      'campaign_attribution_monthly_stats',
      'campaign_attribution_daily_stats',
      'lead_attribution_monthly_stats',
      'lead_attribution_daily_stats',
      'lead_touches',
    ]) {
      await qr.dropTable(table);
    }
  }
}
