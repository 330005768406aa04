import { Injectable } from '@nestjs/common';
import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { DateRange } from '../common/http/date-range.dto';
import { ReadOptions, TenantScopedRepository } from '../tenancy/tenant-scoped.repository';
import { CampaignAllocationEntity } from './campaign-allocation.entity';
import { CampaignBudgetTypeEntity } from './campaign-budget-type.entity';
import { CampaignChannelEntity } from './campaign-channel.entity';
import { CampaignStatusEntity } from './campaign-status.entity';
import { CampaignTypeEntity } from './campaign-type.entity';
import { CampaignEntity } from './campaign.entity';
import { moneySumSql } from '../database/sql-dialect';
import { moneyOf, num } from './analytics/campaign-metrics';

export interface CampaignListFilter {
  includeDeleted: boolean;
  campaignTypeCode?: string;
  statusCode?: string;
  channelCode?: string;
}

export interface CampaignTotals {
  spent: number;
  leads: number;
  conversions: number;
  revenue: number;
}

/** Campaign-level facts of one campaign type code, over the campaigns that ran during a range. */
export interface TypeCampaignFacts {
  typeCode: string;
  campaigns: number;
  active: number;
  completed: number;
  /** Cents. */
  budget: bigint;
}

export interface LaunchFacts {
  day: string;
  launched: number;
  /** Cents. */
  budget: bigint;
}

/** "Ran during the range": started on or before its end, and not ended before its start. */
export const RAN_DURING = 'c.startDate <= :rangeEnd AND (c.endDate IS NULL OR c.endDate >= :rangeStart)';
export const rangeParams = (r: DateRange) => ({ rangeStart: r.startDate, rangeEnd: r.endDate });

@Injectable()
export class CampaignRepository extends TenantScopedRepository<CampaignEntity> {
  protected readonly target = CampaignEntity;
  protected readonly alias = 'c';

  /**
   * Reads carry the type, status and budget type, deleted or not (their codes stay visible); the
   * soft-delete filter is switched off for the query and restated for the campaign itself.
   */
  protected override select(opts: ReadOptions = {}, alias = this.alias): SelectQueryBuilder<CampaignEntity> {
    let qb = super.select({ includeDeleted: true }, alias);
    qb = this.joinScoped(qb, CampaignTypeEntity, 'c_type', `c_type.id = ${alias}.campaignTypeId`, { mapTo: 'campaignType' });
    qb = this.joinScoped(qb, CampaignStatusEntity, 'c_status', `c_status.id = ${alias}.statusId`, { mapTo: 'status' });
    qb = this.joinScoped(qb, CampaignBudgetTypeEntity, 'c_budget', `c_budget.id = ${alias}.budgetTypeId`, { mapTo: 'budgetType' });
    return opts.includeDeleted ? qb : qb.andWhere(`${alias}.deletedAt IS NULL`);
  }

  /** The bare table, for aggregates (no joins, deleted rows included: callers say what counts). */
  private facts(): SelectQueryBuilder<CampaignEntity> {
    return super.select({ includeDeleted: true }, 'c');
  }

  /** The type of every live campaign, by campaign id (what attributed leads count under). */
  async liveTypes(): Promise<Map<number, number>> {
    const rows = await this.facts()
      .select('c.id', 'id')
      .addSelect('c.campaignTypeId', 'typeId')
      .andWhere('c.deletedAt IS NULL')
      .getRawMany<Record<string, unknown>>();
    return new Map(rows.map((r) => [Number(r.id), Number(r.typeId)]));
  }

  findByCode(code: string): Promise<CampaignEntity | null> {
    return this.select().andWhere('c.campaignCode = :code', { code }).getOne();
  }

  findById(id: number, opts: ReadOptions = {}): Promise<CampaignEntity | null> {
    return this.select(opts).andWhere('c.id = :id', { id }).getOne();
  }

  async idsByCodes(codes: string[]): Promise<Map<string, number>> {
    if (codes.length === 0) return new Map();
    const rows = await this.facts()
      .select(['c.id', 'c.campaignCode'])
      .andWhere('c.deletedAt IS NULL')
      .andWhere('c.campaignCode IN (:...codes)', { codes: [...new Set(codes)] })
      .getMany();
    return new Map(rows.map((r) => [r.campaignCode, r.id]));
  }

  /** Ids of every campaign that has had this code, deleted ones included. */
  async idsOfCode(code: string): Promise<number[]> {
    const rows = await this.facts().select(['c.id']).andWhere('c.campaignCode = :code', { code }).getMany();
    return rows.map((r) => r.id);
  }

  async codesByIds(ids: number[]): Promise<Map<number, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.facts()
      .select(['c.id', 'c.campaignCode'])
      .andWhere('c.id IN (:...ids)', { ids: [...new Set(ids)] })
      .getMany();
    return new Map(rows.map((r) => [r.id, r.campaignCode]));
  }

  /** The most recently deleted campaign with this code (what `restore` brings back). */
  findDeletedByCode(code: string): Promise<CampaignEntity | null> {
    return this.select({ includeDeleted: true })
      .andWhere('c.campaignCode = :code', { code })
      .andWhere('c.deletedAt IS NOT NULL')
      .orderBy('c.deletedAt', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .getOne();
  }

  /** Newest first: start_date desc, then campaign_code and id for a stable page. */
  list(filter: CampaignListFilter, page: { limit: number; offset: number }): Promise<[CampaignEntity[], number]> {
    const qb = this.select({ includeDeleted: filter.includeDeleted });
    if (filter.campaignTypeCode) qb.andWhere('c_type.typeCode = :typeCode', { typeCode: filter.campaignTypeCode });
    if (filter.statusCode) qb.andWhere('c_status.statusCode = :statusCode', { statusCode: filter.statusCode });
    if (filter.channelCode) {
      // A live allocation of the campaign to a channel with that code (the channel itself may be deleted).
      const channelCode = filter.channelCode;
      this.whereExists(qb, CampaignAllocationEntity, 'a', (a) =>
        this.joinScoped(a, CampaignChannelEntity, 'ch', 'ch.id = a.channelId', { inner: true })
          .andWhere('a.campaignId = c.id AND a.deletedAt IS NULL')
          .andWhere('ch.channelCode = :channelCode', { channelCode }),
      );
    }
    return qb
      .orderBy('c.startDate', 'DESC')
      .addOrderBy('c.campaignCode', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .offset(page.offset)
      .limit(page.limit)
      .getManyAndCount();
  }

  insert(values: Partial<CampaignEntity>): Promise<CampaignEntity> {
    return this.insertOne(values);
  }

  update(id: number, changes: Partial<CampaignEntity>, ifVersion?: number): Promise<number> {
    return this.updateLive(id, changes as QueryDeepPartialEntity<CampaignEntity>, ifVersion);
  }

  softDelete(id: number, deletedAt: Date, ifVersion?: number): Promise<number> {
    return this.softDeleteWhere('id = :id', { id }, deletedAt, ifVersion);
  }

  restore(id: number, deletedAt: Date): Promise<number> {
    return this.restoreWhere('id = :id', { id }, deletedAt);
  }

  /**
   * Takes the live campaign's row lock for the rest of the transaction: a no-op UPDATE, which locks on
   * MySQL and SQLite alike. Writes call it as their transaction's first statement, so that concurrent
   * writes to one campaign queue and every read after it (MySQL takes its REPEATABLE READ snapshot at
   * the first plain read) sees what the previous writer committed: a PATCH without If-Match does not
   * answer 412, metric totals include each other's rows, a concurrent transition is seen. The search
   * names the whole unique key (tenant, code, live = 1), so MySQL locks that index record only, with
   * no gap lock that could deadlock with a concurrent delete re-inserting the key with live NULL.
   */
  async lockByCode(code: string): Promise<void> {
    await this.lockRows({ campaignCode: code, live: 1 }, { includeDeleted: true });
  }

  /**
   * Stores the read-only totals. Not a versioned edit: `version` counts changes of the campaign
   * itself, so a client's If-Match does not go stale because metrics arrived.
   */
  async setTotals(id: number, t: CampaignTotals): Promise<void> {
    await this.setDerived(id, { totalSpent: t.spent, totalLeads: t.leads, totalConversions: t.conversions, totalRevenue: t.revenue });
  }

  /** Live campaigns that ran during the range, per type code (deleted types included). */
  async factsByType(range: DateRange, typeCode?: string): Promise<TypeCampaignFacts[]> {
    const qb = this.joinScoped(this.facts(), CampaignTypeEntity, 't', 't.id = c.campaignTypeId', { inner: true });
    this.joinScoped(qb, CampaignStatusEntity, 's', 's.id = c.statusId', { inner: true })
      .select('t.typeCode', 'typeCode')
      .addSelect('COUNT(*)', 'campaigns')
      .addSelect('SUM(CASE WHEN s.isFinal = 0 AND s.isInitial = 0 THEN 1 ELSE 0 END)', 'active')
      .addSelect('SUM(CASE WHEN s.isFinal = 1 THEN 1 ELSE 0 END)', 'completed')
      .addSelect(moneySumSql(this.dialect, 'c.budget'), 'budget')
      .andWhere('c.deletedAt IS NULL')
      .andWhere(RAN_DURING, rangeParams(range))
      .groupBy('t.typeCode');
    if (typeCode !== undefined) qb.andWhere('t.typeCode = :typeCode', { typeCode });
    const rows = await qb.getRawMany<Record<string, unknown>>();
    return rows.map((r) => ({
      typeCode: String(r.typeCode),
      campaigns: num(r.campaigns),
      active: num(r.active),
      completed: num(r.completed),
      budget: moneyOf(r.budget),
    }));
  }

  /** Live campaigns launched (start_date) in the range, per day: count and Σ budget. */
  async launchesByDay(range: DateRange, typeCode?: string): Promise<LaunchFacts[]> {
    const qb = this.facts()
      .select('c.startDate', 'day')
      .addSelect('COUNT(*)', 'launched')
      .addSelect(moneySumSql(this.dialect, 'c.budget'), 'budget')
      .andWhere('c.deletedAt IS NULL')
      .andWhere('c.startDate >= :rangeStart AND c.startDate <= :rangeEnd', rangeParams(range))
      .groupBy('c.startDate');
    return readLaunches(qb, this.joinScoped, typeCode);
  }
}

/** The base's joinScoped, as the launch reads below use it. */
type JoinScoped = <T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  entity: typeof CampaignTypeEntity,
  alias: string,
  on: string,
  opts: { inner: true },
) => SelectQueryBuilder<T>;

/**
 * Reads launches per day from a query selecting `day`, `launched` and `budget` over campaigns (alias
 * `c`), narrowed to one campaign type when `typeCode` is given (joined with its tenant predicate).
 */
export async function readLaunches<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, joinScoped: JoinScoped, typeCode?: string): Promise<LaunchFacts[]> {
  if (typeCode !== undefined) {
    joinScoped(qb, CampaignTypeEntity, 't', 't.id = c.campaignTypeId', { inner: true }).andWhere('t.typeCode = :typeCode', { typeCode });
  }
  const rows = await qb.getRawMany<Record<string, unknown>>();
  return rows.map((r) => ({ day: toDayString(r.day), launched: num(r.launched), budget: moneyOf(r.budget) }));
}

/** A DATE read through getRawMany: text on SQLite, text on MySQL (dateStrings), a Date if a driver insists. */
export const toDayString = (v: unknown): string => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10));
