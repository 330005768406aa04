/**
 * What the leads need from campaigns: a lead may name a campaign of its tenant. Provided by the
 * campaigns module's service (CampaignsModule exports it under this token).
 */
export interface CampaignLookup {
  /** Live campaigns of the tenant among `codes`: code → id. */
  idsByCodes(codes: string[]): Promise<Map<string, number>>;
  /** Codes of campaigns by id, deleted ones included (facts keep their references). */
  codesByIds(ids: number[]): Promise<Map<number, string>>;
}

export const CAMPAIGN_LOOKUP = Symbol('CAMPAIGN_LOOKUP');
