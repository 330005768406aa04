import { ATTRIBUTION_MODELS, creditsOf, CREDIT_UNITS, MODEL_NUMBER, shareOf } from '../../common/analytics/attribution';
import { TimeZone } from '../../common/analytics/time-zone';
import { contributionOf, COUNTS, LeadFacts, MONEY, Measures, zeroMeasures } from '../lead-contribution';

const compareIds = (a: number[], b: number[]) => a[0] - b[0] || a[1] - b[1];

/** A lead as attribution reads it: its facts and its own campaign (its origin's). */
export interface AttributedLead extends LeadFacts {
  campaignId: number | null;
}

/** What a touch adds to its lead's path: when it happened and where it was attributed. */
export interface TouchFacts {
  id: number;
  isOrigin: boolean;
  occurredAt: Date;
  sourceId: number | null;
  subSourceId: number | null;
  campaignId: number | null;
  campaignChannelId: number | null;
}

/** One point of a lead's path; 0 for "none" in the id fields (the rollups' keys). */
export interface PathPoint {
  at: number;
  sourceId: number;
  subSourceId: number;
  campaignId: number;
  campaignChannelId: number;
}

/**
 * A lead's path (docs/attribution.md): its origin first, then its later touches by (occurred_at, id).
 * The origin is the lead's own source, subsource and campaign, at its origin touch's time (else its
 * created_at), with the origin touch's campaign channel. A later touch is where it was attributed
 * when recorded; one that was never resolved to a source (cannot happen through the API) adds nothing.
 */
export function pathOf(lead: AttributedLead, touches: TouchFacts[]): PathPoint[] {
  const origin = touches.find((t) => t.isOrigin);
  const points: PathPoint[] = [
    {
      at: (origin?.occurredAt ?? lead.createdAt).getTime(),
      sourceId: lead.sourceId,
      subSourceId: lead.subSourceId ?? 0,
      campaignId: lead.campaignId ?? 0,
      campaignChannelId: origin?.campaignChannelId ?? 0,
    },
  ];
  const later = touches.filter((t) => !t.isOrigin && t.sourceId !== null).sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || a.id - b.id);
  for (const t of later) {
    points.push({
      at: t.occurredAt.getTime(),
      sourceId: t.sourceId!,
      subSourceId: t.subSourceId ?? 0,
      campaignId: t.campaignId ?? 0,
      campaignChannelId: t.campaignChannelId ?? 0,
    });
  }
  return points;
}

export interface SourceCredit {
  model: number;
  day: string;
  sourceId: number;
  subSourceId: number;
  /** Counts in credit units; seconds and cents shared over them. */
  measures: Measures;
}

export interface CampaignCredit {
  model: number;
  day: string;
  campaignId: number;
  campaignChannelId: number;
  leads: number;
  converted: number;
}

/** Each model's credit units per point of `path` (one point: the whole lead, whatever the model). */
function creditsByModel(path: PathPoint[], convertedAt: number | null) {
  return ATTRIBUTION_MODELS.map((model) => ({
    model,
    units:
      path.length === 1
        ? [CREDIT_UNITS]
        : creditsOf(
            model,
            path.map((p) => p.at),
            convertedAt,
          ),
  }));
}

/**
 * The signed credits of `changes` on the attribution rollups (days in `zone`), netted per key: a lead's
 * contribution (lead-contribution.ts) shared over its path by every model, its counts in credit units
 * and its seconds and cents by shareOf, so each lead adds up to exactly its own figures.
 */
export function attributionDeltas(
  changes: { lead: AttributedLead; touches: TouchFacts[]; sign: 1 | -1 }[],
  zone: TimeZone,
): { sources: SourceCredit[]; campaigns: CampaignCredit[] } {
  const sources = new Map<string, SourceCredit>();
  const campaigns = new Map<string, CampaignCredit>();
  for (const { lead, touches, sign } of changes) {
    const { day, measures: m } = contributionOf(lead, zone);
    const path = pathOf(lead, touches);
    const converted = lead.status === 'converted' && lead.convertedAt ? lead.convertedAt.getTime() : null;
    const credits = creditsByModel(path, converted);
    for (const { model, units } of credits) {
      const number = MODEL_NUMBER[model];
      path.forEach((p, i) => {
        const u = units[i];
        // Campaign credits: every model (first included); a point with neither campaign nor channel has none.
        if (u === 0 || (p.campaignId === 0 && p.campaignChannelId === 0)) return;
        const key = `${number}|${day}|${p.campaignId}|${p.campaignChannelId}`;
        const acc = campaigns.get(key) ?? { model: number, day, campaignId: p.campaignId, campaignChannelId: p.campaignChannelId, leads: 0, converted: 0 };
        acc.leads += sign * u;
        acc.converted += sign * m.converted * u;
        campaigns.set(key, acc);
      });
    }
    for (const { model, units } of credits.filter((c) => c.model !== 'first')) {
      const number = MODEL_NUMBER[model];
      const shares = {
        closeSeconds: shareOf(BigInt(m.closeSeconds), units),
        ...Object.fromEntries(MONEY.map((k) => [k, shareOf(m[k], units)])),
      } as Record<'closeSeconds' | (typeof MONEY)[number], bigint[]>;
      path.forEach((p, i) => {
        // Source figures of the touch models (first's are lead_daily_stats).
        const u = units[i];
        if (u === 0) return;
        const key = `${number}|${day}|${p.sourceId}|${p.subSourceId}`;
        const acc = sources.get(key) ?? { model: number, day, sourceId: p.sourceId, subSourceId: p.subSourceId, measures: zeroMeasures() };
        for (const k of COUNTS) acc.measures[k] += sign * (k === 'closeSeconds' ? Number(shares.closeSeconds[i]) : m[k] * u);
        for (const k of MONEY) acc.measures[k] += BigInt(sign) * shares[k][i];
        sources.set(key, acc);
      });
    }
  }
  // In key order: concurrent writers of one tenant then lock the rollup rows they share in one order.
  const inKeyOrder = <T extends { model: number; day: string }>(rows: T[], ids: (r: T) => number[]) =>
    rows.sort((a, b) => a.model - b.model || (a.day < b.day ? -1 : a.day > b.day ? 1 : 0) || compareIds(ids(a), ids(b)));
  return {
    sources: inKeyOrder(
      [...sources.values()].filter((c) => COUNTS.some((k) => c.measures[k] !== 0) || MONEY.some((k) => c.measures[k] !== 0n)),
      (c) => [c.sourceId, c.subSourceId],
    ),
    campaigns: inKeyOrder(
      [...campaigns.values()].filter((c) => c.leads !== 0 || c.converted !== 0),
      (c) => [c.campaignId, c.campaignChannelId],
    ),
  };
}
