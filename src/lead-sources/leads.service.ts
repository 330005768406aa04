import { assertVersion } from '../common/http/etag';
import { Injectable } from '@nestjs/common';
import { Transactional } from '../database/transactional';
import { dayBounds, toDay } from '../common/analytics/dates';
import { AppError, duplicateCode, FieldError, notFound, raise, validationFailed } from '../common/errors/app-error';
import { ListResponse } from '../common/http/list.dto';
import { validateId, validateInput } from '../common/validation/validate-input';
import { validateRows } from '../common/validation/validation.pipe';
import { DomainEventPublisher } from '../events/domain-event-publisher';
import { DOMAIN_EVENTS } from '../events/domain-events';
import { AuditLogService } from '../tenancy/audit-log.service';
import { CreateLeadDto, LeadResponseDto, ListLeadsQueryDto, UpdateLeadDto } from './dto/lead.dto';
import { LeadChannelRepository } from './lead-channel.repository';
import { LeadFacts, netDeltas } from './lead-contribution';
import { LeadDailyStatRepository } from './lead-daily-stat.repository';
import { LeadEntity } from './lead.entity';
import { toLeadResponse } from './lead.mapper';
import { LeadFilter, LeadRepository, LeadWithRefs } from './lead.repository';
import { checkNotFuture, checkStageOrder, stampStages } from './lead-rules';
import { LeadSourceRepository } from './lead-source.repository';
import { LeadSourceEntity } from './lead-source.entity';
import { LeadSubsourceEntity } from './lead-subsource.entity';
import { LeadChannelEntity } from './lead-channel.entity';
import { LeadSubsourceRepository } from './lead-subsource.repository';
import { CampaignsService } from '../campaigns/campaigns.service';
import { LeadLifecycle } from './lead-lifecycle';

interface Refs {
  /** The rows named, for the response's codes (no reload after a bulk insert). */
  source?: LeadSourceEntity;
  subSource?: LeadSubsourceEntity | null;
  channel?: LeadChannelEntity | null;
  sourceId: number;
  subSourceId: number | null;
  channelId: number | null;
  campaignId: number | null;
  /** The subsource's cost_per_lead, the default acquisition cost. */
  subSourceCost: number;
}

interface RefCodes {
  source_code?: string;
  sub_source_code?: string | null;
  channel_code?: string | null;
  campaign_code?: string | null;
}

const date = (s: string | undefined | null) => (s ? new Date(s) : null);

/** The timestamps a body gives, by wire name (each is held to the future limit). */
const givenStamps = (dto: Partial<Record<'created_at' | 'contacted_at' | 'qualified_at' | 'converted_at' | 'lost_at', string>>) => ({
  created_at: date(dto.created_at),
  contacted_at: date(dto.contacted_at),
  qualified_at: date(dto.qualified_at),
  converted_at: date(dto.converted_at),
  lost_at: date(dto.lost_at),
});

/**
 * Lead facts (API.md §3). Every write keeps, in its own transaction, the daily rollup and the source
 * and subsource counters in step with the live leads: a write subtracts the lead's old contribution
 * and adds its new one (lead-contribution.ts), so the fast path can never drift from the facts.
 */
@Injectable()
export class LeadsService {
  constructor(
    private readonly leads: LeadRepository,
    private readonly stats: LeadDailyStatRepository,
    private readonly sources: LeadSourceRepository,
    private readonly subsources: LeadSubsourceRepository,
    private readonly channels: LeadChannelRepository,
    private readonly audit: AuditLogService,
    private readonly campaigns: CampaignsService,
    private readonly lifecycle: LeadLifecycle,
    private readonly events: DomainEventPublisher,
  ) {}

  /** For hosts (validate-input.ts): a live lead of the tenant in scope, 404 otherwise. */
  async get(id: number): Promise<LeadWithRefs> {
    const leadId = validateId(id, 'lead');
    return (await this.leads.findById(leadId)) ?? raise(notFound('lead', leadId));
  }

  /**
   * The live lead, its row locked for the rest of the caller's transaction: writes that depend on
   * one lead's facts (its milestone chain) run one at a time per lead. Call it first in the
   * transaction, so that the reads after it see what the previous lock holder committed (MySQL's
   * REPEATABLE READ snapshot starts at the first plain read).
   */
  async getForUpdate(id: number): Promise<LeadWithRefs> {
    await this.leads.lockRow(validateId(id, 'lead'));
    return this.get(id);
  }

  /**
   * The same lock for writes of what hangs off a lead (its milestones), which need only the lead's
   * own columns: one locking read by primary key (MySQL: SELECT … FOR UPDATE, which reads the latest
   * committed row and opens no snapshot, so the reads after it see the previous holder's commit).
   */
  async lockForDependants(id: number): Promise<LeadEntity> {
    const leadId = validateId(id, 'lead');
    return (await this.leads.lockById(leadId)) ?? raise(notFound('lead', leadId));
  }

  async toResponses(rows: LeadWithRefs[]): Promise<LeadResponseDto[]> {
    const codes = await this.campaigns.codesByIds([...new Set(rows.map((r) => r.campaignId).filter((id): id is number => id !== null))]);
    return rows.map((r) => toLeadResponse(r, r.campaignId === null ? null : (codes.get(r.campaignId) ?? null)));
  }

  async toResponse(row: LeadWithRefs): Promise<LeadResponseDto> {
    return (await this.toResponses([row]))[0];
  }

  /** For hosts (validate-input.ts): the query as GET /leads takes it. */
  async list(query: ListLeadsQueryDto): Promise<ListResponse<LeadResponseDto>> {
    const q = validateInput(ListLeadsQueryDto, query);
    const page = { limit: q.limit, offset: q.offset };
    const empty = { data: [], total: 0, ...page };
    if (q.sub_source_code && !q.source_code) {
      throw validationFailed([{ field: 'sub_source_code', message: 'sub_source_code needs source_code' }]);
    }
    // Filters name codes; an unknown code matches no lead. A code covers every row that had it,
    // deleted ones included: their leads show that code (API.md §1).
    const filter: LeadFilter = {
      leadCode: q.lead_code,
      status: q.status,
      sourceCode: q.source_code,
      subSourceCode: q.sub_source_code,
      channelCode: q.channel_code,
    };
    if (q.campaign_code) {
      const ids = await this.campaigns.idsOfCode(q.campaign_code);
      if (ids.length === 0) return empty;
      filter.campaignIds = ids;
    }
    if (q.created_from) filter.createdFrom = dayBounds(q.created_from, q.created_from).from;
    if (q.created_to) filter.createdTo = dayBounds(q.created_to, q.created_to).to;
    const [rows, total] = await this.leads.list(filter, page);
    return { data: await this.toResponses(rows), total, ...page };
  }

  /** For hosts (validate-input.ts): the body as POST /leads takes it. */
  @Transactional()
  async create(body: CreateLeadDto): Promise<{ row: LeadWithRefs; response: LeadResponseDto }> {
    const dto = validateInput(CreateLeadDto, body);
    const { rows, responses } = await this.insertLeads([dto], false);
    return { row: rows[0], response: responses[0] };
  }

  /** All or nothing: every bad row is reported by index and nothing is stored. */
  @Transactional()
  async createBulk(items: unknown[]): Promise<{ rows: LeadWithRefs[]; responses: LeadResponseDto[] }> {
    const { rows, errors } = validateRows(CreateLeadDto, items, 'leads');
    return this.insertLeads(rows, true, errors);
  }

  /**
   * `dtos` holds undefined for bulk rows whose shape already failed (their errors are in `shapeErrors`).
   * Answers the stored rows and their API representations (built once, for the audit and the answer).
   */
  private async insertLeads(
    all: (CreateLeadDto | undefined)[],
    bulk: boolean,
    shapeErrors: FieldError[] = [],
  ): Promise<{ rows: LeadWithRefs[]; responses: LeadResponseDto[] }> {
    const prefix = (i: number) => (bulk ? `leads[${i}].` : '');
    const now = new Date();
    const errors: FieldError[] = [...shapeErrors];
    // Rows keep their batch index; rows with a bad shape are only reported.
    const dtos = all.map((d) => d ?? ({ source_code: '' } as CreateLeadDto));
    const badShape = new Set(all.flatMap((d, i) => (d ? [] : [i])));
    const refErrors: FieldError[] = [];
    const refs = await this.resolveRefs(dtos, prefix, refErrors);
    errors.push(...refErrors.filter((e) => !badShape.has(Number(/^leads\[(\d+)\]/.exec(e.field)?.[1] ?? -1))));

    const values: Partial<LeadEntity>[] = dtos.map((dto, i) => {
      if (badShape.has(i)) return {};
      const createdAt = date(dto.created_at) ?? now;
      errors.push(...checkNotFuture(givenStamps(dto), now, prefix(i)));
      const ref = refs[i];
      const staged = stampStages(
        {
          status: dto.status ?? 'new',
          createdAt,
          contactedAt: date(dto.contacted_at),
          qualifiedAt: date(dto.qualified_at),
          convertedAt: date(dto.converted_at),
          lostAt: date(dto.lost_at),
          expectedValue: dto.expected_value ?? 0,
          convertedValue: dto.converted_value ?? null,
        },
        createdAt,
      );
      errors.push(...checkStageOrder(staged, prefix(i)));
      return {
        leadCode: dto.lead_code ?? null,
        sourceId: ref?.sourceId,
        subSourceId: ref?.subSourceId ?? null,
        channelId: ref?.channelId ?? null,
        campaignId: ref?.campaignId ?? null,
        acquisitionCost: dto.acquisition_cost ?? ref?.subSourceCost ?? 0,
        ...staged,
      };
    });

    // lead_code: unique among live leads, within the batch too.
    const codes = dtos.map((d) => d.lead_code).filter((c): c is string => Boolean(c));
    const holders = await this.leads.existingCodes([...new Set(codes)]);
    const taken = new Set(holders.map((h) => h.code));
    const seen = new Set<string>();
    const duplicates: FieldError[] = [];
    dtos.forEach((d, i) => {
      if (!d.lead_code || badShape.has(i)) return;
      if (taken.has(d.lead_code) || seen.has(d.lead_code)) {
        duplicates.push({ field: `${prefix(i)}lead_code`, message: `lead_code ${d.lead_code} is already in use` });
      }
      seen.add(d.lead_code);
    });
    if (errors.length > 0 || (bulk && duplicates.length > 0)) {
      const problems = [...errors, ...duplicates];
      const bad = new Set(problems.map((e) => /^leads\[(\d+)\]/.exec(e.field)?.[1]).filter(Boolean));
      throw validationFailed(
        problems,
        bulk ? `${bad.size} of ${dtos.length} leads are not valid; nothing was stored` : problems.map((e) => e.message).join('; '),
      );
    }
    // One lead: the lead holding the code is named in the 409.
    if (!bulk && holders.length > 0) throw duplicateCode('lead', dtos[0].lead_code!, holders[0].id);

    const inserted = await this.leads.insert(values);
    await this.applyChanges(inserted.map((lead) => ({ lead, sign: 1 as const })));
    const ordered: LeadWithRefs[] = inserted.map((lead, i) =>
      Object.assign(lead, { deletedAt: null, source: refs[i]!.source, subSource: refs[i]!.subSource, channel: refs[i]!.channel }),
    );
    const responses = await this.toResponses(ordered);
    await this.audit.recordMany(responses.map((r) => ({ action: 'create' as const, entityType: 'lead', entityKey: r.id, before: null, after: r })));
    if (this.events.enabled) {
      for (const r of responses) {
        this.events.publish(DOMAIN_EVENTS.leadCreated, {
          leadId: r.id,
          leadCode: r.lead_code,
          sourceCode: r.source_code,
          subSourceCode: r.sub_source_code,
          channelCode: r.channel_code,
          campaignCode: r.campaign_code,
          status: r.status,
        });
        if (r.status === 'converted') this.publishConverted(r);
      }
    }
    return { rows: ordered, responses };
  }

  /** For hosts (validate-input.ts): the body as PATCH /leads/:id takes it; `ifMatch` the version expected. */
  @Transactional()
  async update(id: number, body: UpdateLeadDto, ifMatch?: number): Promise<LeadWithRefs> {
    // As the route: the id is checked before the body.
    validateId(id, 'lead');
    const dto = validateInput(UpdateLeadDto, body);
    // Lock first: concurrent writers of one lead queue, and each reads what the previous one wrote.
    const current = await this.getForUpdate(id);
    assertVersion(current, ifMatch);
    const errors: FieldError[] = [];

    const ref = await this.resolveChangedRefs(current, dto, errors);

    const writtenAt = new Date();
    errors.push(...checkNotFuture(givenStamps(dto), writtenAt));
    const staged = stampStages(
      {
        status: dto.status ?? current.status,
        createdAt: current.createdAt,
        contactedAt: date(dto.contacted_at) ?? current.contactedAt,
        qualifiedAt: date(dto.qualified_at) ?? current.qualifiedAt,
        convertedAt: date(dto.converted_at) ?? current.convertedAt,
        lostAt: date(dto.lost_at) ?? current.lostAt,
        expectedValue: dto.expected_value ?? current.expectedValue,
        convertedValue: dto.converted_value ?? current.convertedValue,
      },
      writtenAt,
    );
    errors.push(...checkStageOrder(staged));
    if (errors.length > 0) throw validationFailed(errors, errors.map((e) => `${e.field}: ${e.message}`).join('; '));

    const leadCode = dto.lead_code !== undefined ? dto.lead_code : current.leadCode;
    if (leadCode && leadCode !== current.leadCode) {
      const [holder] = await this.leads.existingCodes([leadCode], current.id);
      if (holder) throw duplicateCode('lead', leadCode, holder.id);
    }

    const next: Partial<LeadEntity> = {
      leadCode,
      ...ref,
      acquisitionCost: dto.acquisition_cost ?? current.acquisitionCost,
      ...staged,
    };
    delete next.createdAt;
    const changed = await this.leads.update(current.id, next, current.version);
    if (changed === 0) throw new AppError('PRECONDITION_FAILED', 'The lead changed meanwhile; read it again');
    const after = await this.get(current.id);
    await this.applyChanges([
      { lead: current, sign: -1 },
      { lead: after, sign: 1 },
    ]);
    const [before, now] = await this.toResponses([current, after]);
    await this.audit.record('update', 'lead', current.id, before, now);
    if (before.status !== now.status) {
      this.events.publish(DOMAIN_EVENTS.leadStatusChanged, { leadId: now.id, leadCode: now.lead_code, statusBefore: before.status, statusAfter: now.status });
      if (now.status === 'converted') this.publishConverted(now);
    }
    return after;
  }

  private publishConverted(lead: LeadResponseDto): void {
    this.events.publish(DOMAIN_EVENTS.leadConverted, {
      leadId: lead.id,
      leadCode: lead.lead_code,
      convertedAt: lead.converted_at!,
      convertedValue: lead.converted_value,
    });
  }

  /** For hosts (validate-input.ts): soft-deletes a live lead; `ifMatch` the version expected. */
  @Transactional()
  async remove(id: number, ifMatch?: number): Promise<void> {
    const current = await this.getForUpdate(id);
    assertVersion(current, ifMatch);
    const deletedAt = new Date();
    if ((await this.leads.softDelete(current.id, current.version, deletedAt)) === 0) {
      throw new AppError('PRECONDITION_FAILED', 'The lead changed meanwhile; read it again');
    }
    await this.applyChanges([{ lead: current, sign: -1 }]);
    await this.lifecycle.leadDeleted(current, deletedAt);
    await this.audit.record('delete', 'lead', current.id, await this.toResponse(current), null);
    this.events.publish(DOMAIN_EVENTS.leadDeleted, { leadId: current.id, leadCode: current.leadCode });
  }

  /** Rollup rows and source/subsource counters follow the signed contributions. */
  private async applyChanges(changes: { lead: LeadFacts; sign: 1 | -1 }[]): Promise<void> {
    const deltas = netDeltas(changes);
    await this.stats.add(deltas);
    const bySource = new Map<number, { leads: number; converted: number }>();
    const bySub = new Map<number, { leads: number; converted: number; cost: bigint }>();
    for (const d of deltas) {
      const s = bySource.get(d.sourceId) ?? { leads: 0, converted: 0 };
      s.leads += d.measures.leads;
      s.converted += d.measures.converted;
      bySource.set(d.sourceId, s);
      if (d.subSourceId !== 0) {
        const sub = bySub.get(d.subSourceId) ?? { leads: 0, converted: 0, cost: 0n };
        sub.leads += d.measures.leads;
        sub.converted += d.measures.converted;
        sub.cost += d.measures.cost;
        bySub.set(d.subSourceId, sub);
      }
    }
    // last_activity_date: the latest creation day among the leads written to the subsource.
    const lastDay = new Map<number, string>();
    for (const { lead, sign } of changes) {
      if (sign !== 1 || !lead.subSourceId) continue;
      const day = toDay(lead.createdAt);
      if ((lastDay.get(lead.subSourceId) ?? '') < day) lastDay.set(lead.subSourceId, day);
    }
    for (const [id, s] of bySource) await this.sources.addLeadCounters(id, s.leads, s.converted);
    for (const id of new Set([...bySub.keys(), ...lastDay.keys()])) {
      const s = bySub.get(id) ?? { leads: 0, converted: 0, cost: 0n };
      await this.subsources.addLeadCounters(id, s.leads, s.converted, s.cost, lastDay.get(id));
    }
  }

  /**
   * Resolves the codes of each row inside the tenant, in one query per kind for the whole batch.
   * Unknown codes become field errors (400 naming the field); the row's Refs is then undefined.
   */
  private async resolveRefs(rows: RefCodes[], prefix: (i: number) => string, errors: FieldError[]): Promise<(Refs | undefined)[]> {
    const uniq = (xs: (string | null | undefined)[]) => [...new Set(xs.filter((x): x is string => Boolean(x)))];
    const sources = new Map((await this.sources.findByCodes(uniq(rows.map((r) => r.source_code)))).map((s) => [s.sourceCode, s]));
    const sourceIds = [...sources.values()].map((s) => s.id);
    const subs = await this.subsources.findBySourcesAndCodes(sourceIds, uniq(rows.map((r) => r.sub_source_code)));
    const subByKey = new Map(subs.map((s) => [`${s.sourceId}|${s.subSourceCode}`, s]));
    const channels = new Map((await this.channels.findByCodes(uniq(rows.map((r) => r.channel_code)))).map((c) => [c.channelCode, c]));
    const campaigns = await this.campaigns.idsByCodes(uniq(rows.map((r) => r.campaign_code)));

    return rows.map((row, i) => {
      const p = prefix(i);
      const before = errors.length;
      const sourceId: number | undefined = row.source_code ? sources.get(row.source_code)?.id : undefined;
      if (sourceId === undefined) errors.push({ field: `${p}source_code`, message: `source ${row.source_code} not found` });
      const sub = row.sub_source_code && sourceId !== undefined ? subByKey.get(`${sourceId}|${row.sub_source_code}`) : undefined;
      if (row.sub_source_code && !sub) {
        errors.push({ field: `${p}sub_source_code`, message: `subsource ${row.sub_source_code} not found under source ${row.source_code}` });
      }
      const channel = row.channel_code ? channels.get(row.channel_code) : undefined;
      if (row.channel_code && !channel) errors.push({ field: `${p}channel_code`, message: `lead channel ${row.channel_code} not found` });
      const campaignId = row.campaign_code ? campaigns.get(row.campaign_code) : undefined;
      if (row.campaign_code && campaignId === undefined) errors.push({ field: `${p}campaign_code`, message: `campaign ${row.campaign_code} not found` });
      if (errors.length > before) return undefined;
      return {
        source: sources.get(row.source_code!),
        subSource: sub ?? null,
        channel: channel ?? null,
        sourceId: sourceId!,
        subSourceId: sub?.id ?? null,
        channelId: channel?.id ?? null,
        campaignId: campaignId ?? null,
        subSourceCost: sub?.costPerLead ?? 0,
      };
    });
  }

  /**
   * The references of a PATCH (API.md §1: facts keep pointing at what they point at). Only the
   * references named in the body are looked up; the others keep their stored ids, even when those
   * rows were deleted since. A named code equal to the one the lead holds keeps it as well (deleted or
   * not); any other code must name a live row. A new source clears the subsource unless one is named.
   */
  private async resolveChangedRefs(
    current: LeadWithRefs,
    dto: UpdateLeadDto,
    errors: FieldError[],
  ): Promise<Pick<LeadEntity, 'sourceId' | 'subSourceId' | 'channelId' | 'campaignId'>> {
    const ref = { sourceId: current.sourceId, subSourceId: current.subSourceId, channelId: current.channelId, campaignId: current.campaignId };
    let sourceKnown = true;
    if (dto.source_code !== undefined && dto.source_code !== current.source?.sourceCode) {
      const source = await this.sources.findByCode(dto.source_code);
      if (source) ref.sourceId = source.id;
      else {
        sourceKnown = false;
        errors.push({ field: 'source_code', message: `source ${dto.source_code} not found` });
      }
      ref.subSourceId = null;
    }
    const sourceMoved = ref.sourceId !== current.sourceId;
    if (dto.sub_source_code === null) ref.subSourceId = null;
    else if (dto.sub_source_code !== undefined) {
      if (!sourceMoved && sourceKnown && dto.sub_source_code === current.subSource?.subSourceCode) ref.subSourceId = current.subSourceId;
      else if (sourceKnown) {
        const sub = await this.subsources.findByCode(dto.sub_source_code, ref.sourceId);
        if (sub) ref.subSourceId = sub.id;
        else errors.push({ field: 'sub_source_code', message: `subsource ${dto.sub_source_code} not found under source ${dto.source_code ?? current.source?.sourceCode}` });
      }
    }
    if (dto.channel_code === null) ref.channelId = null;
    else if (dto.channel_code !== undefined && dto.channel_code !== current.channel?.channelCode) {
      const channel = await this.channels.findByCode(dto.channel_code);
      if (channel) ref.channelId = channel.id;
      else errors.push({ field: 'channel_code', message: `lead channel ${dto.channel_code} not found` });
    }
    if (dto.campaign_code === null) ref.campaignId = null;
    else if (dto.campaign_code !== undefined) {
      const held = current.campaignId === null ? undefined : (await this.campaigns.codesByIds([current.campaignId])).get(current.campaignId);
      if (dto.campaign_code !== held) {
        const id = (await this.campaigns.idsByCodes([dto.campaign_code])).get(dto.campaign_code);
        if (id !== undefined) ref.campaignId = id;
        else errors.push({ field: 'campaign_code', message: `campaign ${dto.campaign_code} not found` });
      }
    }
    return ref;
  }
}
