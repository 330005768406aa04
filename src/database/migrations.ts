import { CreateTenancy1764150000000 } from './migrations/1764150000000-create-tenancy';
import { CreateLeadSources1764150100000 } from './migrations/1764150100000-create-lead-sources';
import { CreateCampaigns1764150200000 } from './migrations/1764150200000-create-campaigns';
import { CreateLeads1764150300000 } from './migrations/1764150300000-create-leads';
import { CreateMilestones1764150400000 } from './migrations/1764150400000-create-milestones';
import { CreateMilestoneTransitionMonths1764150400001 } from './migrations/1764150400001-create-milestone-transition-months';
import { CaseSensitiveTenantIds1764150900000 } from './migrations/1764150900000-case-sensitive-tenant-ids';
import { CreateCampaignMetricDailyStats1764151000000 } from './migrations/1764151000000-create-campaign-metric-daily-stats';
import { CreateLeadMonthlyStats1764151000001 } from './migrations/1764151000001-create-lead-monthly-stats';
import { IndexTransitionLeadsByPreviousDate1764151100000 } from './migrations/1764151100000-index-transition-leads-by-previous-date';
import { CampaignTotalsAndKeyTimestamp1764151300000 } from './migrations/1764151300000-campaign-totals-and-key-timestamp';
import { MediumTextForLongValues1764151400000 } from './migrations/1764151400000-medium-text-for-long-values';
import { WidenIntegrationKeyLast41764151450000 } from './migrations/1764151450000-widen-integration-key-last4';
import { ExactMoneySums1764151500000 } from './migrations/1764151500000-exact-money-sums';
import { BinaryCodes1764151600000 } from './migrations/1764151600000-binary-codes';
import { NameKeys1764151600001 } from './migrations/1764151600001-name-keys';
import { CreateWebhooks1764151800000 } from './migrations/1764151800000-create-webhooks';
import { PerTenantIds1764151700000 } from './migrations/1764151700000-per-tenant-ids';
import { CreateSlaBreaches1764151900000 } from './migrations/1764151900000-create-sla-breaches';
import { TenantTimeZones1764152000000 } from './migrations/1764152000000-tenant-time-zones';
import { LeadTouches1764152100000 } from './migrations/1764152100000-lead-touches';
import { AttributionRules1764152200000 } from './migrations/1764152200000-attribution-rules';
import { SubsourceCostHistory1764152300000 } from './migrations/1764152300000-subsource-cost-history';

/**
 * Every migration of the module, oldest first, for a host that runs ours with its own
 * (`migrations: [...theirs, ...MIGRATIONS]`). A new migration goes at the end of this list
 * (test/architecture/entity-lists.spec.ts fails when a file in migrations/ is missing here).
 */
export const MIGRATIONS = [
  CreateTenancy1764150000000,
  CreateLeadSources1764150100000,
  CreateCampaigns1764150200000,
  CreateLeads1764150300000,
  CreateMilestones1764150400000,
  CreateMilestoneTransitionMonths1764150400001,
  CaseSensitiveTenantIds1764150900000,
  CreateCampaignMetricDailyStats1764151000000,
  CreateLeadMonthlyStats1764151000001,
  IndexTransitionLeadsByPreviousDate1764151100000,
  CampaignTotalsAndKeyTimestamp1764151300000,
  MediumTextForLongValues1764151400000,
  WidenIntegrationKeyLast41764151450000,
  ExactMoneySums1764151500000,
  BinaryCodes1764151600000,
  NameKeys1764151600001,
  PerTenantIds1764151700000,
  CreateWebhooks1764151800000,
  CreateSlaBreaches1764151900000,
  TenantTimeZones1764152000000,
  LeadTouches1764152100000,
  AttributionRules1764152200000,
  SubsourceCostHistory1764152300000,
];
