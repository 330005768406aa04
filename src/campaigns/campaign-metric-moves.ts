import { Injectable } from '@nestjs/common';
import { CampaignMetricDailyStatRepository, netMetricDeltas } from './campaign-metric-daily-stat.repository';
import { CampaignMetricRepository } from './campaign-metric.repository';

/** A move of a campaign's metric rows in the rollup: out of a type (-1) or into one (+1). */
export interface MetricMove {
  typeId: number;
  sign: 1 | -1;
}

/**
 * The campaign metric rollup follows the campaign: its rows leave it on delete, come back on restore,
 * and move from the old type to the new one on a type change. Runs in the caller's transaction, after
 * its campaign lock (rollup rows are added in key order: netMetricDeltas).
 */
@Injectable()
export class CampaignMetricMoves {
  constructor(
    private readonly metrics: CampaignMetricRepository,
    private readonly metricStats: CampaignMetricDailyStatRepository,
  ) {}

  async move(campaignId: number, moves: MetricMove[]): Promise<void> {
    const rows = await this.metrics.figuresOfCampaign(campaignId);
    if (rows.length === 0) return;
    await this.metricStats.add(netMetricDeltas(moves.flatMap((m) => rows.map((r) => ({ ...r, campaignTypeId: m.typeId, sign: m.sign })))));
  }
}
