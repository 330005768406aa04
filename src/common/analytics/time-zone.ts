import { addDays } from './dates';

/**
 * A tenant's time zone: which calendar day an instant falls on there, and when a day starts there.
 * The zone rules come from the runtime's time zone database (ICU, through Intl); no SQL engine is
 * asked, so MySQL, MariaDB and SQLite answer the same days without time zone tables of their own.
 *
 * Offsets are read from Intl once per zone and UTC day and remembered (a few thousand entries per zone
 * and decade). On a day that holds a transition, per quarter of an hour: every transition in use today
 * falls on a quarter hour (Asia/Kathmandu +05:45, Pacific/Chatham +12:45), and a quarter whose two ends
 * disagree (a transition inside it: old local mean times) is never remembered, so each instant still
 * gets its exact offset.
 */
export class TimeZone {
  private static readonly zones = new Map<string, TimeZone>();

  static readonly UTC_NAME = 'UTC';

  /** The zone of `name` (a name isTimeZoneName accepts), shared per name. */
  static of(name: string): TimeZone {
    let zone = TimeZone.zones.get(name);
    if (!zone) {
      zone = new TimeZone(name);
      TimeZone.zones.set(name, zone);
    }
    return zone;
  }

  private readonly format: Intl.DateTimeFormat | null;
  /** Per UTC day (days since 1970): its one offset, or null when it holds a transition. */
  private readonly days = new Map<number, number | null>();
  /** Per quarter hour of the days that hold a transition. */
  private readonly offsets = new Map<number, number>();

  private constructor(readonly name: string) {
    this.format =
      name === TimeZone.UTC_NAME
        ? null
        : new Intl.DateTimeFormat('en-US', {
            timeZone: name,
            hourCycle: 'h23',
            year: 'numeric',
            month: 'numeric',
            day: 'numeric',
            hour: 'numeric',
            minute: 'numeric',
            second: 'numeric',
            era: 'short',
          });
  }

  get isUtc(): boolean {
    return this.format === null;
  }

  /** Milliseconds to add to the UTC instant `ms` to get the local wall clock (Kolkata: +19,800,000). */
  offsetAt(ms: number): number {
    if (this.format === null) return 0;
    // Most UTC days have one offset all day: one entry per day (a decade is 3,653). A day whose two ends
    // disagree holds a transition: its quarters are remembered one by one instead.
    const day = Math.floor(ms / DAY);
    let whole = this.days.get(day);
    if (whole === undefined) {
      const start = this.exactOffset(day * DAY);
      whole = start === this.exactOffset((day + 1) * DAY - 1) ? start : null;
      if (this.days.size >= MAX_REMEMBERED_DAYS) this.days.clear();
      this.days.set(day, whole);
    }
    if (whole !== null) return whole;
    const quarter = Math.floor(ms / QUARTER_HOUR);
    const known = this.offsets.get(quarter);
    if (known !== undefined) return known;
    const start = this.exactOffset(quarter * QUARTER_HOUR);
    const end = this.exactOffset((quarter + 1) * QUARTER_HOUR - 1);
    if (start !== end) return this.exactOffset(ms);
    if (this.offsets.size >= MAX_REMEMBERED_QUARTERS) this.offsets.clear();
    this.offsets.set(quarter, start);
    return start;
  }

  /** The local calendar day (`YYYY-MM-DD`) of an instant. */
  dayOf(instant: Date | number): string {
    const ms = typeof instant === 'number' ? instant : instant.getTime();
    return new Date(ms + this.offsetAt(ms)).toISOString().slice(0, 10);
  }

  /** Today, here. */
  today(now: Date = new Date()): string {
    return this.dayOf(now);
  }

  /**
   * The first instant of local `day`: its midnight, or, where the clocks jump over midnight, the
   * instant they jump. [startOf(d), startOf(d + 1)) holds exactly the instants dayOf answers d for.
   */
  startOf(day: string): Date {
    const midnightUtc = Date.parse(`${day}T00:00:00Z`);
    if (this.format === null) return new Date(midnightUtc);
    // Local midnight lies within ±15 h of UTC midnight (offsets span −12:00..+14:00). The first instant
    // whose local day is not before `day`, by bisection in whole milliseconds.
    let lo = midnightUtc - 15 * HOUR;
    let hi = midnightUtc + 15 * HOUR;
    while (hi - lo > 1) {
      const mid = lo + Math.floor((hi - lo) / 2);
      if (this.dayOf(mid) >= day) hi = mid;
      else lo = mid;
    }
    return new Date(hi);
  }

  /** Instants of the local days [startDay, endDay]: from the first instant of startDay to the first after endDay. */
  bounds(startDay: string, endDay: string): { from: Date; to: Date } {
    return { from: this.startOf(startDay), to: this.startOf(addDays(endDay, 1)) };
  }

  private exactOffset(ms: number): number {
    const parts = this.format!.formatToParts(new Date(ms));
    const field = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)!.value);
    const bc = parts.find((p) => p.type === 'era')?.value === 'BC';
    const year = bc ? 1 - field('year') : field('year');
    const wall = Date.UTC(year, field('month') - 1, field('day'), field('hour'), field('minute'), field('second'));
    // `wall` has whole seconds; the instant may not: the offset is whole seconds either way.
    return wall - (ms - (((ms % 1000) + 1000) % 1000));
  }
}

const HOUR = 3_600_000;
const DAY = 86_400_000;
const QUARTER_HOUR = 900_000;
/** Days remembered per zone (four decades): the map is cleared beyond it. */
const MAX_REMEMBERED_DAYS = 15_000;
/** Quarters of transition days remembered per zone (about 100 transition days). */
const MAX_REMEMBERED_QUARTERS = 10_000;

/** Longest zone name stored (IANA's longest is 30 characters). */
export const MAX_TIME_ZONE_LENGTH = 64;

/** An IANA name: `UTC`, or Area/Location[/More] (America/Argentina/Buenos_Aires, Etc/GMT+5). */
const IANA_SHAPE = /^(UTC|[A-Z][A-Za-z]+(\/[A-Za-z0-9_+-]+)+)$/;

let supported: Set<string> | undefined;

/**
 * Whether `name` is a zone of the runtime's time zone database: one it lists
 * (Intl.supportedValuesOf), or an IANA name it resolves (its list gives one name per zone, and
 * which one depends on the ICU version: Node 20 lists Asia/Calcutta, and resolves Asia/Kolkata).
 * Abbreviations (EST) and offsets (+05:30) are not zones: they have no daylight saving rules.
 */
export function isTimeZoneName(name: unknown): name is string {
  if (typeof name !== 'string' || name.length > MAX_TIME_ZONE_LENGTH) return false;
  supported ??= new Set(Intl.supportedValuesOf('timeZone'));
  if (supported.has(name)) return true;
  if (!IANA_SHAPE.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
