import { Injectable } from '@nestjs/common';
import { Transactional } from '../database/transactional';
import { conflict, notFound, raise, validationFailed, FieldError } from '../common/errors/app-error';
import { ListResponse, toListResponse } from '../common/http/list.dto';
import { centsOf, countJson, moneyJson } from '../common/numbers/money';
import { AuditLogService } from '../tenancy/audit-log.service';
import { addSums, MetricSums } from './analytics/campaign-metrics';
import { CampaignMetricEntity } from './campaign-metric.entity';
import { CampaignAllocationRepository } from './campaign-allocation.repository';
import { CampaignMetricDailyStatRepository, netMetricDeltas } from './campaign-metric-daily-stat.repository';
import { CampaignMetricRepository, figuresOf, MetricFigures } from './campaign-metric.repository';
import { CampaignEntity } from './campaign.entity';
import { toCampaignMetricResponse } from './campaign.mapper';
import { CampaignRepository } from './campaign.repository';
import { BulkWriteResultDto, CampaignMetricResponseDto, ListCampaignMetricsQueryDto, WriteCampaignMetricDto } from './dto/campaign-metric.dto';

interface PlannedRow {
  channelId: number;
  channelCode: string;
  day: string;
  values: MetricFigures;
}

/** What one planned row did: its figures before (null for a new row) and after. */
interface WrittenRow {
  row: PlannedRow;
  before: MetricFigures | null;
}

/**
 * The most a campaign's running totals may reach: counts stay integers a JS number holds exactly
 * (2^53 − 1); money stays at most 9,999,999,999,999.99, which a DECIMAL(18,2) column and a double
 * (15 significant digits with the cents) hold to the cent. A write that would take a total past its
 * bound is refused with 400 and stores nothing. (Analytics sum many campaigns exactly, past these.)
 */
export const TOTAL_COUNT_MAX = BigInt(Number.MAX_SAFE_INTEGER);
export const TOTAL_MONEY_MAX_CENTS = 999_999_999_999_999n;

/** Wire figure → the campaign total it feeds, its bound, and how it reads. */
const TOTALS = [
  ['spend', 'total_spent', 'spent', TOTAL_MONEY_MAX_CENTS, moneyJson],
  ['leads_generated', 'total_leads', 'leads', TOTAL_COUNT_MAX, countJson],
  ['conversions', 'total_conversions', 'conversions', TOTAL_COUNT_MAX, countJson],
  ['revenue', 'total_revenue', 'revenue', TOTAL_MONEY_MAX_CENTS, moneyJson],
] as const;

/** A row's figures as exact sums (money in cents). */
const sumsOf = (f: MetricFigures): MetricSums => ({
  spent: centsOf(f.spend),
  impressions: BigInt(f.impressions),
  clicks: BigInt(f.clicks),
  leads: BigInt(f.leadsGenerated),
  conversions: BigInt(f.conversions),
  revenue: centsOf(f.revenue),
});

/** The sums with their signs turned: what taking a replaced row away adds. */
const negated = (f: MetricSums): MetricSums => ({
  spent: -f.spent,
  impressions: -f.impressions,
  clicks: -f.clicks,
  leads: -f.leads,
  conversions: -f.conversions,
  revenue: -f.revenue,
});

const valuesOf = (m: WriteCampaignMetricDto): MetricFigures => ({
  impressions: m.impressions ?? 0,
  clicks: m.clicks ?? 0,
  leadsGenerated: m.leads_generated ?? 0,
  conversions: m.conversions ?? 0,
  spend: m.spend ?? 0,
  revenue: m.revenue ?? 0,
});

/** A metric row as the API shows it, without the bookkeeping fields (which the audit diff skips). */
const metricRepresentation = (campaignCode: string, row: PlannedRow, f: MetricFigures) => ({
  campaign_code: campaignCode,
  channel_code: row.channelCode,
  metric_date: row.day,
  impressions: f.impressions,
  clicks: f.clicks,
  leads_generated: f.leadsGenerated,
  conversions: f.conversions,
  spend: f.spend,
  revenue: f.revenue,
});

/**
 * Daily per-channel metrics of a campaign. One row per (campaign, channel, day); a write replaces the
 * row (last write wins; a PUT body is the whole row, omitted figures 0). A write locks the campaign
 * first, checks that its status allows editing (else 409), validates every row (channel one of the
 * campaign's, clicks ≤ impressions) and is all or nothing. The campaign's totals are recomputed from
 * its rows in the same transaction.
 */
@Injectable()
export class CampaignMetricsService {
  constructor(
    private readonly campaigns: CampaignRepository,
    private readonly allocations: CampaignAllocationRepository,
    private readonly metrics: CampaignMetricRepository,
    private readonly stats: CampaignMetricDailyStatRepository,
    private readonly audit: AuditLogService,
  ) {}

  async list(code: string, q: ListCampaignMetricsQueryDto): Promise<ListResponse<CampaignMetricResponseDto>> {
    const campaign = (await this.campaigns.findByCode(code)) ?? raise(notFound('campaign', code));
    const page = { limit: q.limit, offset: q.offset };
    const rows = await this.metrics.list(campaign.id, { channelCode: q.channel_code, startDate: q.start_date, endDate: q.end_date }, page);
    return toListResponse(rows, page, (m) => toCampaignMetricResponse(m, campaign.campaignCode));
  }

  /** One day of one channel. `created` tells a new row (201) from a replaced one (200). */
  @Transactional()
  async put(code: string, dto: WriteCampaignMetricDto): Promise<{ row: CampaignMetricEntity; created: boolean }> {
    const { campaign, plan } = await this.prepare(code, [dto], () => '');
    const [{ channelId, day }] = plan;
    const before = await this.metrics.findByKey(campaign.id, channelId, day);
    const { created } = await this.write(campaign, plan, (figure) => figure);
    const row = (await this.metrics.findByKey(campaign.id, channelId, day))!;
    await this.audit.record(
      created > 0 ? 'create' : 'update',
      'campaign_metric',
      `${campaign.campaignCode}/${dto.channel_code}/${dto.metric_date}`,
      before ? toCampaignMetricResponse(before, campaign.campaignCode) : null,
      toCampaignMetricResponse(row, campaign.campaignCode),
    );
    return { row, created: created > 0 };
  }

  /**
   * Up to 5,000 rows, all or nothing; a (channel, day) repeated in the body keeps its last row. Each
   * written row is audited like a PUT (`campaign_metric`, key `CODE/CHANNEL/DATE`: create for a new
   * row, update with the figures' before and after for a replaced one), in one batch insert.
   */
  @Transactional()
  async bulk(code: string, rows: WriteCampaignMetricDto[]): Promise<BulkWriteResultDto> {
    const { campaign, plan } = await this.prepare(code, rows, (i) => `metrics[${i}].`);
    const { created, updated, written } = await this.write(campaign, plan, () => 'metrics');
    const c = campaign.campaignCode;
    await this.audit.recordMany(
      written.map(({ row, before }) => ({
        action: before ? 'update' : 'create',
        entityType: 'campaign_metric',
        entityKey: `${c}/${row.channelCode}/${row.day}`,
        before: before && metricRepresentation(c, row, before),
        after: metricRepresentation(c, row, row.values),
      })),
    );
    return { campaign_code: c, written: plan.length, created, updated };
  }

  /**
   * Lock, load, check the editing lock, validate every row (all errors at once, by index), and
   * collapse repeated keys to their last row.
   */
  private async prepare(
    code: string,
    rows: WriteCampaignMetricDto[],
    prefix: (i: number) => string,
  ): Promise<{ campaign: CampaignEntity; plan: PlannedRow[] }> {
    // First statement of the transaction: concurrent writes to this campaign queue here.
    await this.campaigns.lockByCode(code);
    const campaign = (await this.campaigns.findByCode(code)) ?? raise(notFound('campaign', code));
    if (!campaign.status!.allowsEditing) {
      throw conflict(`Campaign ${code} is ${campaign.status!.statusCode}, which does not allow editing: metrics cannot be written`);
    }
    const channelIds = new Map((await this.allocations.listForCampaigns([campaign.id])).map((a) => [a.channel!.channelCode, a.channelId] as const));
    const errors: FieldError[] = [];
    const plan = new Map<string, PlannedRow>();
    rows.forEach((r, i) => {
      const channelId = channelIds.get(r.channel_code);
      const values = valuesOf(r);
      if (channelId === undefined) {
        errors.push({ field: `${prefix(i)}channel_code`, message: `${r.channel_code} is not one of campaign ${code}'s channels` });
      }
      if (values.clicks > values.impressions) {
        errors.push({ field: `${prefix(i)}clicks`, message: `clicks (${values.clicks}) must not exceed impressions (${values.impressions})` });
      }
      if (channelId !== undefined) {
        const key = `${channelId}|${r.metric_date}`;
        plan.delete(key); // re-inserting keeps the plan in body order of each key's last row
        plan.set(key, { channelId, channelCode: r.channel_code, day: r.metric_date, values });
      }
    });
    if (errors.length > 0) {
      throw validationFailed(errors, `${errors.length} problem(s) in the metrics; nothing was stored`);
    }
    return { campaign, plan: [...plan.values()] };
  }

  /**
   * Checks the totals the write would leave (400, nothing written, past a bound), then inserts new
   * keys, replaces existing ones, moves the daily rollup by (new − old) figures under the campaign's
   * type (the campaign is live: a deleted one is not found), and recomputes the campaign's totals
   * from its rows.
   */
  private async write(
    campaign: CampaignEntity,
    plan: PlannedRow[],
    fieldOf: (figure: string) => string,
  ): Promise<{ created: number; updated: number; written: WrittenRow[] }> {
    const days = plan.map((p) => p.day).sort();
    const existing = new Map(
      (await this.metrics.findForCampaignBetween(campaign.id, days[0], days[days.length - 1])).map((m) => [`${m.channelId}|${m.metricDay}`, m]),
    );
    const inserts: Partial<CampaignMetricEntity>[] = [];
    const replaced: { id: number; values: MetricFigures }[] = [];
    const key = { campaignTypeId: campaign.campaignTypeId };
    const changes: Parameters<typeof netMetricDeltas>[0] = [];
    const written: WrittenRow[] = [];
    for (const p of plan) {
      const row = existing.get(`${p.channelId}|${p.day}`);
      written.push({ row: p, before: row ? figuresOf(row) : null });
      if (row) {
        replaced.push({ id: row.id, values: p.values });
        changes.push({ ...key, day: p.day, channelId: p.channelId, figures: figuresOf(row), sign: -1 });
      } else inserts.push({ campaignId: campaign.id, channelId: p.channelId, metricDay: p.day, ...p.values });
      changes.push({ ...key, day: p.day, channelId: p.channelId, figures: p.values, sign: 1 });
    }
    // The totals this write would leave (the campaign's rows now, minus the rows it replaces, plus its
    // rows), checked before anything is written: a refused write writes nothing at all, not even rows
    // that its rollback would take back.
    let projected = await this.metrics.totalsOfCampaign(campaign.id);
    for (const { row, before } of written) {
      if (before) projected = addSums(projected, negated(sumsOf(before)));
      projected = addSums(projected, sumsOf(row.values));
    }
    const over: FieldError[] = TOTALS.filter(([, , sum, max]) => projected[sum] > max).map(([figure, total, sum, max, show]) => ({
      field: fieldOf(figure),
      message: `this write would take campaign ${campaign.campaignCode}'s ${total} to ${show(projected[sum])}, over its maximum ${show(max)}`,
    }));
    if (over.length > 0) throw validationFailed(over, `${over.map((e) => e.message).join('; ')}; nothing was stored`);
    await this.metrics.replaceMany(replaced);
    await this.metrics.insertAll(inserts);
    await this.stats.add(netMetricDeltas(changes));
    const totals = await this.metrics.totalsOfCampaign(campaign.id);
    await this.campaigns.setTotals(campaign.id, {
      spent: Number(moneyJson(totals.spent)),
      leads: Number(totals.leads),
      conversions: Number(totals.conversions),
      revenue: Number(moneyJson(totals.revenue)),
    });
    return { created: inserts.length, updated: replaced.length, written };
  }
}
