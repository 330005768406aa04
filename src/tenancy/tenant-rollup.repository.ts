import { Injectable } from '@nestjs/common';
import { EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { TenantTables, TenantTablesBase } from './tenant-tables';
import { splitByMonths } from '../common/analytics/month-split';

/**
 * Base of rollup tables (daily counts and sums keyed by `tenant_id` + dimensions). Reads carry the
 * tenant predicate; writes add deltas to the keyed rows (creating them on first use) and always
 * set `tenant_id` from the context. Called inside the fact write's transaction, so a rollup can
 * never drift from its facts.
 */
@Injectable()
export abstract class TenantRollupRepository<E extends ObjectLiteral & { tenantId: string }> extends TenantTablesBase {
  protected abstract readonly target: EntityTarget<E>;
  protected abstract readonly alias: string;
  /** Table and columns (snake_case) of the upsert. */
  protected abstract readonly table: string;
  protected abstract readonly keyColumns: string[];
  protected abstract readonly measureColumns: string[];
  /**
   * Optionally, a coarser copy of the rollup per calendar month, kept by the same writes: the same
   * columns with `month` (the month's first day) in place of `day`. Long
   * ranges read their whole months there and only the days of their partial months here.
   */
  protected readonly months?: { table: string; target: EntityTarget<ObjectLiteral> };

  /**
   * A rollup whose day is taken from an instant in the tenant's zone (a lead's creation day): its key
   * has `generation` after `tenant_id` (not listed in keyColumns), and every read and write names the
   * generation (TenantCalendar; docs/time-zones.md), so a change of zone builds its days beside the
   * old ones and reads switch from one to the other at once.
   */
  protected readonly zoned: boolean = false;

  /** Reads with the tenant predicate; a zoned rollup's also name the generation, which they must be given. */
  protected select(generation?: number): SelectQueryBuilder<E> {
    return this.ofGeneration(this.tables.select(this.target, this.alias), generation);
  }

  /** Reads of the monthly copy (same alias), with the tenant predicate (and the generation, zoned). */
  protected selectMonths(generation?: number): SelectQueryBuilder<ObjectLiteral> {
    if (!this.months) throw new Error(`${this.table} keeps no monthly copy`);
    return this.ofGeneration(this.tables.select(this.months.target, this.alias), generation);
  }

  private ofGeneration<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, generation: number | undefined): SelectQueryBuilder<T> {
    if (!this.zoned) return qb;
    if (generation === undefined) throw new Error(`${this.table} is zoned: a read names its generation`);
    return qb.andWhere(`${this.alias}.generation = :generation`, { generation });
  }

  /**
   * Sums over the days in [startDay, endDay] of a rollup with a monthly copy: the whole months inside
   * the range from the copy, the days of the partial months at its ends from the daily rows (at most
   * two grouped queries). `read` selects and groups one of them: it is given the read with the tenant
   * (and generation) predicate and the range predicate on its day column with its parameters. Rows of
   * both with the same `keyOf` are merged by `merge` (into the first).
   */
  protected async overRange<R>(
    generation: number | undefined,
    startDay: string,
    endDay: string,
    read: (qb: SelectQueryBuilder<ObjectLiteral>, within: string, params: Record<string, string>) => Promise<R[]>,
    keyOf: (row: R) => string,
    merge: (into: R, row: R) => void,
  ): Promise<R[]> {
    const parts = splitByMonths(startDay, endDay);
    const grouped = (qb: SelectQueryBuilder<ObjectLiteral>, column: string, ranges: [string, string][]) => {
      const params: Record<string, string> = {};
      const within = ranges.map(([from, to], i) => {
        params[`from${i}`] = from;
        params[`to${i}`] = to;
        return `(${column} >= :from${i} AND ${column} <= :to${i})`;
      });
      return read(qb, `(${within.join(' OR ')})`, params);
    };
    const rows = parts.days.length > 0 ? await grouped(this.select(generation) as SelectQueryBuilder<ObjectLiteral>, `${this.alias}.day`, parts.days) : [];
    if (!parts.months) return rows;
    const totals = new Map(rows.map((r) => [keyOf(r), r]));
    for (const r of await grouped(this.selectMonths(generation), `${this.alias}.month`, [parts.months])) {
      const acc = totals.get(keyOf(r));
      if (!acc) totals.set(keyOf(r), r);
      else merge(acc, r);
    }
    return [...totals.values()];
  }

  /**
   * Joins a tenant-owned entity (the dimension a rollup row counts under) on a condition, repeating
   * the tenant predicate on it (TenantTables.join).
   */
  protected readonly joinScoped: TenantTables['join'] = (...args) => this.tables.join(...args);

  /**
   * Adds each row's measures to its key. `rows` hold the key columns except tenant_id, then the
   * measures, in the declared order. Rows whose measures are all zero are skipped.
   */
  protected async addDeltas(rows: (string | number | bigint)[][], generation?: number): Promise<void> {
    if (this.zoned !== (generation !== undefined)) throw new Error(`${this.table}: a write names a generation exactly when the rollup is zoned`);
    const keys = this.keyColumns.length - 1; // tenant_id comes from the context
    // Measures are integers (counts, seconds, days, the parts of money sums in cents): as bigints,
    // which both drivers bind as 64-bit integers (better-sqlite3 binds a JS number as a REAL, and an
    // addition with a REAL is done in doubles).
    const live = rows.map((r) => [...r.slice(0, keys), ...r.slice(keys).map((v) => BigInt(v))]).filter((r) => r.slice(keys).some((v) => v !== 0n));
    if (live.length === 0) return;
    await this.upsert(this.table, this.keyColumns, live, generation);
    if (this.months) {
      // The same deltas summed per (month, other keys), in key order like the daily rows: numeric
      // keys compare as numbers (the index order), so concurrent writers lock the rows in one order.
      // `day` is the first key column after tenant_id, or comes after others (a model number).
      const at = this.keyColumns.indexOf('day') - 1;
      const byMonth = new Map<string, (string | number | bigint)[]>();
      for (const r of live) {
        const row = [...r];
        row[at] = `${String(r[at]).slice(0, 7)}-01`;
        const key = row
          .slice(0, keys)
          .map((v) => (typeof v === 'string' ? v : String(v).padStart(20, '0')))
          .join('|');
        const acc = byMonth.get(key);
        if (!acc) byMonth.set(key, row);
        else for (let j = keys; j < acc.length; j++) acc[j] = (acc[j] as bigint) + (r[j] as bigint);
      }
      const monthRows = [...byMonth.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([, r]) => r)
        .filter((r) => r.slice(keys).some((v) => v !== 0n));
      await this.upsert(
        this.months.table,
        this.keyColumns.map((c) => (c === 'day' ? 'month' : c)),
        monthRows,
        generation,
      );
    }
  }

  private upsert(table: string, keyColumns: string[], rows: (string | number | bigint)[][], generation: number | undefined): Promise<void> {
    if (generation === undefined) return this.tables.upsertAdd(table, keyColumns, this.measureColumns, rows);
    return this.tables.upsertAdd(
      table,
      [keyColumns[0], 'generation', ...keyColumns.slice(1)],
      this.measureColumns,
      rows.map((r) => [generation, ...r]),
    );
  }

  /**
   * Deletes up to `limit` rows of this zoned rollup (then of its monthly copy) whose generation is not
   * one of `keep`: generations replaced by a switch or given up. Answers the rows deleted.
   */
  protected async deleteOtherGenerations(keep: number[], limit: number): Promise<number> {
    const where = 'generation NOT IN (:...keep)';
    let deleted = await this.tables.deleteSome(this.table, where, { keep }, limit);
    if (this.months && deleted < limit) deleted += await this.tables.deleteSome(this.months.table, where, { keep }, limit - deleted);
    return deleted;
  }
}
