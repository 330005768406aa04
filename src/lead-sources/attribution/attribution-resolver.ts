import { Injectable } from '@nestjs/common';
import { matchingRules, MatchableRule, TouchUtm, UNMAPPED_CODE, UtmCondition } from './attribution-matching';
import { AttributionRuleEntity, MatchMode } from './attribution-rule.entity';
import { AttributionRuleRepository } from './attribution-rule.repository';
import { AttributionTargets, TargetIds } from './attribution-targets';

export type { TouchUtm } from './attribution-matching';

/** What a touch resolves to: ids of live rows of the tenant. */
export interface TouchResolution extends TargetIds {
  /** The rule that matched; null when none did (UNMAPPED/UNMAPPED). */
  ruleId: number | null;
  /** The same rows as the codes a lead body names (a lead created from a touch takes them). */
  codes: {
    source_code: string;
    sub_source_code: string | null;
    channel_code: string | null;
    campaign_code: string | null;
    campaign_channel_code: string | null;
  };
}

/** A resolution with how it came about (the dry-run shows it). */
export interface TouchExplanation {
  /** The rule that matched, or null. */
  rule: AttributionRuleEntity | null;
  /** Undefined when no rule matched and UNMAPPED/UNMAPPED is not live. */
  resolution: TouchResolution | undefined;
  /** Rules that matched before the winner but name a code that is no longer live, in the order tried. */
  skipped: { id: number; reason: string }[];
}

const condition = (value: string | null, match: MatchMode | null): UtmCondition | null => (value !== null && match !== null ? { value, match } : null);

/** A stored rule as matching sees it. */
export const matchableOf = (e: AttributionRuleEntity): MatchableRule & { entity: AttributionRuleEntity } => ({
  id: e.id,
  priority: e.priority,
  isActive: e.isActive,
  conditions: {
    utm_source: condition(e.utmSourceValue, e.utmSourceMatch),
    utm_medium: condition(e.utmMediumValue, e.utmMediumMatch),
    utm_campaign: condition(e.utmCampaignValue, e.utmCampaignMatch),
  },
  entity: e,
});

const codesOf = (e: AttributionRuleEntity): TouchResolution['codes'] => ({
  source_code: e.sourceCode,
  sub_source_code: e.subSourceCode,
  channel_code: e.channelCode,
  campaign_code: e.campaignCode,
  campaign_channel_code: e.campaignChannelCode,
});
const UNMAPPED_CODES: TouchResolution['codes'] = {
  source_code: UNMAPPED_CODE,
  sub_source_code: UNMAPPED_CODE,
  channel_code: null,
  campaign_code: null,
  campaign_channel_code: null,
};

/**
 * Resolves touches with the tenant's attribution rules (docs/attribution.md, "Mapping rules"): for each
 * touch, the first active rule in (priority, id) order that matches it and whose codes all name live
 * rows; a matching rule naming a code that is no longer live is skipped. No such rule: the lead source
 * UNMAPPED with its subsource UNMAPPED, and no channel, campaign or campaign channel.
 */
@Injectable()
export class AttributionResolver {
  constructor(
    private readonly rules: AttributionRuleRepository,
    private readonly targets: AttributionTargets,
  ) {}

  /** One resolution per touch, rules read once per call; undefined where no rule matches and UNMAPPED/UNMAPPED is not live. */
  async resolveMany(touches: TouchUtm[]): Promise<(TouchResolution | undefined)[]> {
    return (await this.explainMany(touches)).map((e) => e.resolution);
  }

  /** resolveMany, with the rule that matched each touch and the rules skipped before it. */
  async explainMany(touches: TouchUtm[]): Promise<TouchExplanation[]> {
    const rules = (await this.rules.findActive()).map(matchableOf);
    const candidates = touches.map((touch) => matchingRules(rules, touch));
    const named = new Map(candidates.flat().map((r) => [r.id, r.entity]));
    const lookup = await this.targets.load([...named.values()]);
    return candidates.map((matches) => {
      const skipped: TouchExplanation['skipped'] = [];
      for (const { entity } of matches) {
        const { ids, problems } = lookup.check(entity);
        if (ids) return { rule: entity, resolution: { ruleId: entity.id, ...ids, codes: codesOf(entity) }, skipped };
        skipped.push({ id: entity.id, reason: problems.map((p) => `${p.field}: ${p.message}`).join('; ') });
      }
      const unmapped = lookup.unmapped();
      return { rule: null, resolution: unmapped && { ruleId: null, ...unmapped, codes: UNMAPPED_CODES }, skipped };
    });
  }
}
