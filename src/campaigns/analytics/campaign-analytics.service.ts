import { compareCodePoints } from '../../common/text/text-key';
import { Injectable } from '@nestjs/common';
import { enumeratePeriods, periodStart } from '../../common/analytics/periods';
import { notFound } from '../../common/errors/app-error';
import { AttributedRangeQueryDto, DateRange, DateRangeQueryDto, resolveDateRange } from '../../common/http/date-range.dto';
import { validateInput } from '../../common/validation/validate-input';
import { CREDIT_UNITS, creditJson, MODEL_NUMBER } from '../../common/analytics/attribution';
import { CampaignAttributionStatRepository, CampaignCredits } from './campaign-attribution-stat.repository';
import { compareJsonNumbers, moneyJson, percentOf } from '../../common/numbers/money';
import { CampaignAllocationRepository, ChannelCampaignFacts } from '../campaign-allocation.repository';
import { CampaignChannelRepository } from '../campaign-channel.repository';
import { CampaignMetricDailyStatRepository, KeyedMetricSums } from '../campaign-metric-daily-stat.repository';
import { CampaignTypeRepository } from '../campaign-type.repository';
import { CampaignRepository, LaunchFacts, TypeCampaignFacts } from '../campaign.repository';
import {
  CampaignTrendPointDto,
  CampaignTrendsDto,
  CampaignTrendsQueryDto,
  CampaignTypePerformanceDto,
  CampaignTypePerformanceListDto,
  CampaignTypePerformanceRowDto,
  ChannelPerformanceDto,
  ChannelPerformanceListDto,
  ChannelPerformanceRowDto,
} from '../dto/campaign-analytics.dto';
import { TenantCalendar } from '../../tenancy/tenant-calendar';
import { addSums, channelRates, cpl, MetricSums, roi, sumsJson, typeRates, ZERO_SUMS } from './campaign-metrics';

type TypeRow = CampaignTypePerformanceRowDto;
type ChannelRow = ChannelPerformanceRowDto;

/**
 * Which rows an analytics answer has. Figures are grouped by code, so a deleted type or channel keeps
 * its facts under its code (API.md §1 DELETE); its name is the live row's, else the last deleted one's.
 * Live codes always appear (zero rows included); deleted codes only when they have facts in the range.
 */
function namesByCode<T extends { deletedAt: Date | null }>(rows: T[], code: (r: T) => string, name: (r: T) => string) {
  const names = new Map<string, { name: string; live: boolean; deletedAt: number }>();
  for (const r of rows) {
    const known = names.get(code(r));
    const candidate = { name: name(r), live: r.deletedAt === null, deletedAt: r.deletedAt?.getTime() ?? Infinity };
    if (!known || (!known.live && (candidate.live || candidate.deletedAt > known.deletedAt))) names.set(code(r), candidate);
  }
  return names;
}

/** Rollup sums folded by a code: rows whose id has no code in `codeOf` (another filter) drop out. */
function sumsByCode(rows: KeyedMetricSums[], codeOf: (r: KeyedMetricSums) => string | undefined): Map<string, MetricSums> {
  const out = new Map<string, MetricSums>();
  for (const r of rows) {
    const code = codeOf(r);
    if (code !== undefined) out.set(code, addSums(out.get(code) ?? ZERO_SUMS, r));
  }
  return out;
}

/** Credit units of leads and of converted leads. */
interface Credit {
  leads: bigint;
  converted: bigint;
}
const NO_CREDIT: Credit = { leads: 0n, converted: 0n };

/** Credits folded by a code (as sumsByCode): rows whose code is undefined drop out. */
function creditsByCode(rows: CampaignCredits[], codeOf: (r: CampaignCredits) => string | undefined): Map<string, Credit> {
  const out = new Map<string, Credit>();
  for (const r of rows) {
    const code = codeOf(r);
    if (code === undefined) continue;
    const acc = out.get(code) ?? { leads: 0n, converted: 0n };
    out.set(code, { leads: acc.leads + r.leads, converted: acc.converted + r.converted });
  }
  return out;
}

const UNITS = BigInt(CREDIT_UNITS);

/** The CRM's credits beside the platforms' reported figures, and their ratio in percent (null when nothing was reported). */
function attributedFigures(a: Credit, s: MetricSums) {
  return {
    attributed_leads: creditJson(a.leads),
    attributed_conversions: creditJson(a.converted),
    attributed_leads_percent: percentOf(a.leads, s.leads * UNITS),
    attributed_conversions_percent: percentOf(a.converted, s.conversions * UNITS),
  };
}

/**
 * Campaign analytics (API.md §5). Campaign counts and budgets count the live campaigns that ran during
 * the range (start_date ≤ range end and end_date null or ≥ range start); metric figures count the
 * metric rows dated in the range, of live campaigns. Deleted campaigns count nowhere. Campaign-level
 * facts, allocation-level facts and metric sums come from separate grouped queries, so no budget or
 * spend is ever multiplied by a join. Metric sums read the daily rollup per (type, channel)
 * (campaign_metric_daily_stats), kept by every metric write and campaign delete, restore and type
 * change, not the metric rows: a year is at most 365 × types × channels rollup rows.
 */
@Injectable()
export class CampaignAnalyticsService {
  constructor(
    private readonly types: CampaignTypeRepository,
    private readonly channels: CampaignChannelRepository,
    private readonly campaigns: CampaignRepository,
    private readonly allocations: CampaignAllocationRepository,
    private readonly metrics: CampaignMetricDailyStatRepository,
    private readonly calendar: TenantCalendar,
    private readonly credits: CampaignAttributionStatRepository,
  ) {}

  /** The range rules of API.md §1, "today" being the tenant's (metric and campaign dates are calendar dates: no zone applies to them). */
  private async range(q: DateRangeQueryDto): Promise<DateRange> {
    return resolveDateRange(q, (await this.calendar.read()).today());
  }

  /**
   * The range, and what the CRM credits to live campaigns under the request's model (leads created
   * in the range, by their creation day in the tenant's zone), per (campaign, campaign channel).
   */
  private async attributed(
    query: AttributedRangeQueryDto,
  ): Promise<{ range: DateRange; credits: CampaignCredits[] | undefined; liveTypes: Map<number, number> }> {
    const q = validateInput(AttributedRangeQueryDto, query);
    const calendar = await this.calendar.read();
    const range = resolveDateRange(q, calendar.today());
    // Without a model the answer is the one of before models: no credits read.
    if (q.model === undefined) return { range, credits: undefined, liveTypes: new Map() };
    const model = MODEL_NUMBER[q.model];
    const [credits, liveTypes] = await Promise.all([
      this.credits.credits(calendar.generation, model, range.startDate, range.endDate),
      this.campaigns.liveTypes(),
    ]);
    // Deleted campaigns count nowhere (as their metric rows); a touch with a channel and no campaign counts for the channel.
    return { range, credits: credits.filter((c) => c.campaignId === 0 || liveTypes.has(c.campaignId)), liveTypes };
  }

  private typeRow(code: string, name: string, f: TypeCampaignFacts | undefined, s: MetricSums, a: Credit | undefined): TypeRow {
    const j = sumsJson(s);
    return {
      type_code: code,
      type_name: name,
      total_campaigns: f?.campaigns ?? 0,
      active_campaigns: f?.active ?? 0,
      completed_campaigns: f?.completed ?? 0,
      total_budget: moneyJson(f?.budget ?? 0n),
      total_spent: j.spent,
      total_leads: j.leads,
      total_conversions: j.conversions,
      total_revenue: j.revenue,
      ...(a ? attributedFigures(a, s) : {}),
      ...typeRates(s),
    };
  }

  private channelRow(code: string, name: string, f: ChannelCampaignFacts | undefined, s: MetricSums, a: Credit | undefined): ChannelRow {
    const j = sumsJson(s);
    return {
      channel_code: code,
      channel_name: name,
      campaign_count: f?.campaigns ?? 0,
      total_budget: moneyJson(f?.budget ?? 0n),
      total_spent: j.spent,
      total_impressions: j.impressions,
      total_clicks: j.clicks,
      total_leads: j.leads,
      total_conversions: j.conversions,
      total_revenue: j.revenue,
      ...(a ? attributedFigures(a, s) : {}),
      ...channelRates(s),
    };
  }

  private async typeRows(query: AttributedRangeQueryDto, code?: string): Promise<{ range: DateRange; rows: TypeRow[] }> {
    const { range, credits, liveTypes } = await this.attributed(query);
    const [types, facts, sums] = await Promise.all([
      this.types.listAllWithDeleted(code),
      this.campaigns.factsByType(range, code),
      this.metrics.sumsByKeys(range),
    ]);
    const factsBy = new Map(facts.map((f) => [f.typeCode, f]));
    const codes = new Map(types.map((t) => [t.id, t.typeCode]));
    const sumsBy = sumsByCode(sums, (r) => codes.get(r.typeId));
    const creditsBy = credits && creditsByCode(credits, (c) => (c.campaignId === 0 ? undefined : codes.get(liveTypes.get(c.campaignId)!)));
    const rows: TypeRow[] = [];
    for (const [c, n] of namesByCode(
      types,
      (t) => t.typeCode,
      (t) => t.typeName,
    )) {
      if (!n.live && !factsBy.has(c) && !sumsBy.has(c) && !creditsBy?.has(c)) continue;
      rows.push(this.typeRow(c, n.name, factsBy.get(c), sumsBy.get(c) ?? ZERO_SUMS, creditsBy && (creditsBy.get(c) ?? NO_CREDIT)));
    }
    return { range, rows };
  }

  private async channelRows(query: AttributedRangeQueryDto, code?: string): Promise<{ range: DateRange; rows: ChannelRow[] }> {
    const { range, credits } = await this.attributed(query);
    const [channels, facts, sums] = await Promise.all([
      this.channels.listAllWithDeleted(code),
      this.allocations.factsByChannel(range, code),
      this.metrics.sumsByKeys(range),
    ]);
    const factsBy = new Map(facts.map((f) => [f.channelCode, f]));
    const codes = new Map(channels.map((c) => [c.id, c.channelCode]));
    const sumsBy = sumsByCode(sums, (r) => codes.get(r.channelId));
    const creditsBy = credits && creditsByCode(credits, (c) => (c.campaignChannelId === 0 ? undefined : codes.get(c.campaignChannelId)));
    const rows: ChannelRow[] = [];
    for (const [c, n] of namesByCode(
      channels,
      (ch) => ch.channelCode,
      (ch) => ch.channelName,
    )) {
      if (!n.live && !factsBy.has(c) && !sumsBy.has(c) && !creditsBy?.has(c)) continue;
      rows.push(this.channelRow(c, n.name, factsBy.get(c), sumsBy.get(c) ?? ZERO_SUMS, creditsBy && (creditsBy.get(c) ?? NO_CREDIT)));
    }
    return { range, rows };
  }

  /** One type code (live or deleted; 404 when the tenant never had it). */
  async typePerformance(code: string, q: AttributedRangeQueryDto): Promise<CampaignTypePerformanceDto> {
    const {
      range,
      rows: [row],
    } = await this.typeRows(q, code);
    if (!row) throw notFound('campaign type', code);
    const { type_code, type_name, ...figures } = row;
    return { type_code, type_name, start_date: range.startDate, end_date: range.endDate, ...figures };
  }

  /** Every type: by total_spent desc, then type_code. */
  async typesPerformance(q: AttributedRangeQueryDto): Promise<CampaignTypePerformanceListDto> {
    const { range, rows } = await this.typeRows(q);
    const data = rows.sort((a, b) => compareJsonNumbers(b.total_spent, a.total_spent) || compareCodePoints(a.type_code, b.type_code));
    return { start_date: range.startDate, end_date: range.endDate, data };
  }

  async channelPerformance(code: string, q: AttributedRangeQueryDto): Promise<ChannelPerformanceDto> {
    const {
      range,
      rows: [row],
    } = await this.channelRows(q, code);
    if (!row) throw notFound('campaign channel', code);
    const { channel_code, channel_name, ...figures } = row;
    return { channel_code, channel_name, start_date: range.startDate, end_date: range.endDate, ...figures };
  }

  /** Every channel: by total_spent desc, then channel_code. */
  async channelsPerformance(q: AttributedRangeQueryDto): Promise<ChannelPerformanceListDto> {
    const { range, rows } = await this.channelRows(q);
    const data = rows.sort((a, b) => compareJsonNumbers(b.total_spent, a.total_spent) || compareCodePoints(a.channel_code, b.channel_code));
    return { start_date: range.startDate, end_date: range.endDate, data };
  }

  /**
   * Zero-filled series, one point per period touching the range (named by its first day; only days
   * inside the range count). Launches are campaigns whose start_date is in the period; with
   * channel_code, only campaigns that have the channel, their budget being the channel's allocation.
   * Grouped by day in SQL, folded into weeks and months here (portable across engines).
   */
  async trends(q: CampaignTrendsQueryDto): Promise<CampaignTrendsDto> {
    const calendar = await this.calendar.read();
    const range = resolveDateRange(q, calendar.today());
    const interval = q.interval ?? 'day';
    const weekStart = calendar.weekStartIndex;
    const typeCode = q.campaign_type_code;
    const channelCode = q.channel_code;
    const [launches, sums, types, channels] = await Promise.all([
      channelCode !== undefined ? this.allocations.launchesByDay(range, channelCode, typeCode) : this.campaigns.launchesByDay(range, typeCode),
      this.metrics.sumsByKeys(range, interval, weekStart),
      typeCode !== undefined ? this.types.listAllWithDeleted(typeCode) : undefined,
      channelCode !== undefined ? this.channels.listAllWithDeleted(channelCode) : undefined,
    ]);
    // Filters name codes: every row (live or deleted) with that code counts.
    const typeIds = types && new Set(types.map((t) => t.id));
    const channelIds = channels && new Set(channels.map((c) => c.id));
    const periods = enumeratePeriods(range.startDate, range.endDate, interval, weekStart);
    const launched = new Map<string, LaunchFacts>(periods.map((p) => [p, { day: p, launched: 0, budget: 0n }]));
    const figures = new Map<string, MetricSums>(periods.map((p) => [p, ZERO_SUMS]));
    for (const l of launches) {
      const acc = launched.get(periodStart(l.day, interval, weekStart))!;
      acc.launched += l.launched;
      acc.budget += l.budget;
    }
    for (const s of sums) {
      if ((typeIds && !typeIds.has(s.typeId)) || (channelIds && !channelIds.has(s.channelId))) continue;
      const p = periodStart(s.day, interval, weekStart);
      figures.set(p, addSums(figures.get(p)!, s));
    }
    const data: CampaignTrendPointDto[] = periods.map((p) => {
      const l = launched.get(p)!;
      const s = figures.get(p)!;
      const j = sumsJson(s);
      return {
        date: p,
        campaigns_launched: l.launched,
        budget_allocated: moneyJson(l.budget),
        spend: j.spent,
        impressions: j.impressions,
        clicks: j.clicks,
        leads_generated: j.leads,
        conversions: j.conversions,
        revenue: j.revenue,
        cpl: cpl(s.spent, s.leads),
        roi: roi(s.revenue, s.spent),
      };
    });
    return { start_date: range.startDate, end_date: range.endDate, interval, data };
  }
}
