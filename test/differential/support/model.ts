/**
 * What a differential run believes each tenant has: enough to aim most operations at rows that exist
 * (so that the state grows and the answers are interesting), never an oracle. It follows the SQLite
 * instance's answers (the two must agree anyway), and each read sweep refreshes the configuration
 * rows from the lists it read. A wrong belief only makes an operation a 404 or a 409, compared like
 * any other answer.
 */

export type CodedKindName = 'leadSource' | 'leadChannel' | 'milestoneType' | 'campaignType' | 'campaignChannel' | 'campaignStatus' | 'budgetType';

export interface CodedRow {
  code: string;
  live: boolean;
  active: boolean;
  version: number;
  /** A few fields the generator needs: a status's flags, a type's budget bounds, a milestone type's permissions. */
  fields: Record<string, unknown>;
}

export interface LeadRow {
  id: number;
  live: boolean;
  version: number;
  createdMs: number;
  sourceCode: string;
  status: string;
  leadCode: string | null;
}

export interface MilestoneRow {
  id: number;
  leadId: number;
  live: boolean;
  version: number;
}

export interface CampaignRow {
  code: string;
  live: boolean;
  version: number;
  statusCode: string;
  channels: string[];
  startDate: string;
}

export interface TemplateRow {
  id: number;
  live: boolean;
  active: boolean;
  version: number;
}

export class TenantModel {
  readonly coded: Record<CodedKindName, Map<string, CodedRow>> = {
    leadSource: new Map(),
    leadChannel: new Map(),
    milestoneType: new Map(),
    campaignType: new Map(),
    campaignChannel: new Map(),
    campaignStatus: new Map(),
    budgetType: new Map(),
  };
  /** source code → subsource code → row. */
  readonly subsources = new Map<string, Map<string, CodedRow>>();
  readonly leads = new Map<number, LeadRow>();
  readonly milestones = new Map<number, MilestoneRow>();
  readonly campaigns = new Map<string, CampaignRow>();
  readonly milestoneTemplates = new Map<number, TemplateRow>();
  readonly campaignTemplates = new Map<number, TemplateRow>();
  readonly webhookSubscriptions = new Map<number, TemplateRow>();
  readonly attributionRules = new Map<number, TemplateRow>();
  /** Names and lead codes written, for searches and filters. */
  readonly names = new Set<string>();
  readonly leadCodes = new Set<string>();
  /** Ids and codes touched since the last read sweep (each gets its single GET then). */
  readonly touched = { leads: new Set<number>(), campaigns: new Set<string>() };

  constructor(readonly tenant: string) {}

  codes(kind: CodedKindName, filter: (r: CodedRow) => boolean = (r) => r.live): string[] {
    return [...this.coded[kind].values()].filter(filter).map((r) => r.code);
  }

  liveActive(kind: CodedKindName): string[] {
    return this.codes(kind, (r) => r.live && r.active);
  }

  subsourceCodes(source: string, filter: (r: CodedRow) => boolean = (r) => r.live): string[] {
    return [...(this.subsources.get(source)?.values() ?? [])].filter(filter).map((r) => r.code);
  }

  liveLeads(): LeadRow[] {
    return [...this.leads.values()].filter((l) => l.live);
  }

  liveMilestones(): MilestoneRow[] {
    return [...this.milestones.values()].filter((m) => m.live && this.leads.get(m.leadId)?.live !== false);
  }

  liveCampaigns(): CampaignRow[] {
    return [...this.campaigns.values()].filter((c) => c.live);
  }

  /** A configuration row as a list or a write answered it. */
  setCoded(kind: CodedKindName, body: Record<string, unknown>, codeField: string, live = true): void {
    const code = String(body[codeField]);
    this.coded[kind].set(code, { code, live: live && body.deleted_at == null, active: body.is_active !== false, version: Number(body.version), fields: body });
  }

  setSubsource(source: string, body: Record<string, unknown>, live = true): void {
    if (!this.subsources.has(source)) this.subsources.set(source, new Map());
    const code = String(body.sub_source_code);
    this.subsources
      .get(source)!
      .set(code, { code, live: live && body.deleted_at == null, active: body.is_active !== false, version: Number(body.version), fields: body });
  }

  setLead(body: Record<string, unknown>): void {
    const id = Number(body.id);
    this.leads.set(id, {
      id,
      live: true,
      version: Number(body.version),
      createdMs: Date.parse(String(body.created_at)),
      sourceCode: String(body.source_code),
      status: String(body.status),
      leadCode: (body.lead_code as string | null) ?? null,
    });
    if (typeof body.lead_code === 'string') this.leadCodes.add(body.lead_code);
    this.touched.leads.add(id);
  }

  setCampaign(body: Record<string, unknown>): void {
    const code = String(body.campaign_code);
    this.campaigns.set(code, {
      code,
      live: body.deleted_at == null,
      version: Number(body.version),
      statusCode: String(body.status_code),
      channels: ((body.channels as { channel_code: string }[] | undefined) ?? []).map((c) => c.channel_code),
      startDate: String(body.start_date),
    });
    this.touched.campaigns.add(code);
  }

  noteName(value: unknown): void {
    if (typeof value === 'string' && value.length > 0 && value.length <= 200) this.names.add(value);
  }
}
