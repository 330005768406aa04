import fc from 'fast-check';

/**
 * Time zones for tests that recompute analytics from raw facts. Every local day here comes from the
 * runtime's time zone database through Intl.DateTimeFormat, never from the service's own zone code,
 * so a test that compares the two checks one against the other.
 */

/** Zones every property run may take: both DST transitions, odd offsets, both ends of the date line. */
export const NAMED_ZONES = [
  'UTC',
  'America/New_York',
  'Europe/Berlin',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Pacific/Chatham',
  'Pacific/Kiritimati',
  'Etc/GMT+12',
] as const;

export const WEEK_STARTS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type WeekStart = (typeof WEEK_STARTS)[number];

/** A tenant's zone: one of NAMED_ZONES three times in four, else any zone the runtime lists. */
export const zoneArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NAMED_ZONES) },
  { weight: 1, arbitrary: fc.constantFrom(...Intl.supportedValuesOf('timeZone')) },
);
export const weekStartArb: fc.Arbitrary<WeekStart> = fc.constantFrom(...WEEK_STARTS);

/** A tenant's calendar settings as PATCH /settings takes them. */
export interface ZoneSettings {
  time_zone: string;
  week_start: WeekStart;
}
export const zoneSettingsArb: fc.Arbitrary<ZoneSettings> = fc.record({ time_zone: zoneArb, week_start: weekStartArb });

/** The settings of a tenant that never sets any. */
export const DEFAULT_ZONE_SETTINGS: ZoneSettings = { time_zone: 'UTC', week_start: 'monday' };

/**
 * A tenant's settings over a run: set at the start (or never: UTC, Monday), then changed midway (two
 * runs in three) after a `split` of the facts, either waiting for the change to apply or writing on
 * while it is applied (`during`).
 */
export const zoneChangeArb = fc.record({
  first: fc.option(zoneSettingsArb, { freq: 5, nil: null }),
  then: fc.option(zoneSettingsArb, { freq: 3, nil: null }),
  split: fc.nat(),
  during: fc.boolean(),
});
export type ZoneChange = typeof zoneChangeArb extends fc.Arbitrary<infer T> ? T : never;

/** The settings a run's answers end in, and every zone the run had. */
export function settingsOf(change: ZoneChange): { last: ZoneSettings; all: ZoneSettings[] } {
  const all = [change.first ?? DEFAULT_ZONE_SETTINGS, ...(change.then ? [change.then] : [])];
  return { last: all[all.length - 1], all };
}

/** How many of `n` facts come before the change of zone: all of them when there is none. */
export const beforeChange = (change: ZoneChange, n: number) => (change.then ? change.split % (n + 1) : n);

const DAY = 86_400_000;
const HOUR = 3_600_000;

const dayFormats = new Map<string, Intl.DateTimeFormat>();
const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day (`YYYY-MM-DD`) of an instant in `zone`, as the runtime's time zone database says. */
export function localDay(zone: string, instant: string | number | Date): string {
  let format = dayFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(zone, format);
  }
  const parts = format.formatToParts(new Date(instant));
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** Today in `zone`. */
export const todayIn = (zone: string, at: number = Date.now()) => localDay(zone, at);

/** The zone's UTC offset at an instant, as Intl names it (`GMT+05:30`). */
function offsetName(zone: string, ms: number): string {
  let format = offsetFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    offsetFormats.set(zone, format);
  }
  return format.formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')!.value;
}

/** `day` plus `n` calendar days. */
export const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);

/** Whole calendar days from a to b. */
export const daysFrom = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY);

/** The first day of the week holding `day`, weeks starting on `weekStart`. */
export function weekOf(day: string, weekStart: WeekStart): string {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay(); // Sunday 0 … Saturday 6
  const first = (WEEK_STARTS.indexOf(weekStart) + 1) % 7;
  return addDays(day, -((weekday - first + 7) % 7));
}

/** The first day of the day, week or month holding `day`. */
export function periodOf(day: string, interval: string, weekStart: WeekStart): string {
  if (interval === 'day') return day;
  if (interval === 'month') return `${day.slice(0, 7)}-01`;
  return weekOf(day, weekStart);
}

/** Every period's first day, from the one holding `start` to the one holding `end`. */
export function periodsOf(start: string, end: string, interval: string, weekStart: WeekStart): string[] {
  const out: string[] = [];
  for (let d = start; d <= end; d = addDays(d, 1)) {
    const p = periodOf(d, interval, weekStart);
    if (out[out.length - 1] !== p) out.push(p);
  }
  return out;
}

/** The first instant in (lo, hi] where `changed` holds, given it does not at lo and does at hi. */
function firstWhere(lo: number, hi: number, changed: (ms: number) => boolean): number {
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (changed(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * Where days are hardest to get right in `zone` between two days (UTC midnights, inclusive): the
 * instants where the local day changes (local midnights, or where the clocks jump over one) and
 * where the UTC offset changes (DST transitions), to the millisecond. Sampled hourly, refined by bisection.
 */
export interface ZoneEdges {
  midnights: number[];
  transitions: number[];
}
const edgesKept = new Map<string, ZoneEdges>();

export function edgesOf(zone: string, fromDay: string, toDay: string): ZoneEdges {
  const key = `${zone}|${fromDay}|${toDay}`;
  const kept = edgesKept.get(key);
  if (kept) return kept;
  const edges: ZoneEdges = { midnights: [], transitions: [] };
  const end = Date.parse(`${toDay}T00:00:00Z`) + DAY;
  let t = Date.parse(`${fromDay}T00:00:00Z`);
  let day = localDay(zone, t);
  let offset = offsetName(zone, t);
  for (; t < end; t += HOUR) {
    const nextDay = localDay(zone, t + HOUR);
    const nextOffset = offsetName(zone, t + HOUR);
    if (nextDay !== day) edges.midnights.push(firstWhere(t, t + HOUR, (ms) => localDay(zone, ms) !== day));
    if (nextOffset !== offset) edges.transitions.push(firstWhere(t, t + HOUR, (ms) => offsetName(zone, ms) !== offset));
    day = nextDay;
    offset = nextOffset;
  }
  edgesKept.set(key, edges);
  return edges;
}

/** The zone's DST transitions (changes of UTC offset) between two days, sampled every 12 hours: cheap over a year. */
export function transitionsIn(zone: string, fromDay: string, toDay: string): number[] {
  const out: number[] = [];
  const end = Date.parse(`${toDay}T00:00:00Z`) + DAY;
  for (let t = Date.parse(`${fromDay}T00:00:00Z`); t < end; t += 12 * HOUR) {
    const offset = offsetName(zone, t);
    if (offsetName(zone, t + 12 * HOUR) !== offset) out.push(firstWhere(t, t + 12 * HOUR, (ms) => offsetName(zone, ms) !== offset));
  }
  return out;
}

/** The first instant of local `day` in `zone` (its midnight, or where the clocks jump over it), from the zone's edges. */
export function midnightOf(zone: string, day: string): number {
  const found = edgesOf(zone, addDays(day, -1), addDays(day, 1)).midnights.find((m) => localDay(zone, m) === day);
  if (found === undefined) throw new Error(`${zone} has no ${day}`);
  return found;
}

/**
 * An instant near an edge: a local midnight (most often) or a DST transition (when the zone has one
 * there), shifted by a millisecond to a few hours either way.
 */
export const nearEdgeArb = fc.record({
  transition: fc.boolean(),
  pick: fc.nat(),
  shiftMs: fc.oneof(
    fc.constantFrom(0, -1, 1, -1000, 1000),
    fc.integer({ min: -120_000, max: 120_000 }),
    fc.integer({ min: -3 * HOUR, max: 3 * HOUR }),
    // An offset's worth, for the instant that is the UTC midnight next to the local one.
    fc.integer({ min: -14, max: 14 }).map((h) => h * HOUR),
  ),
});
export type NearEdge = typeof nearEdgeArb extends fc.Arbitrary<infer T> ? T : never;

/** The instant `near` picks among the edges of one or more zones. */
export function instantNear(edges: ZoneEdges[], near: NearEdge): number {
  const transitions = edges.flatMap((e) => e.transitions);
  const pool = near.transition && transitions.length > 0 ? transitions : edges.flatMap((e) => e.midnights);
  return pool[near.pick % pool.length] + near.shiftMs;
}

/** The zones of a run, for failure messages: a failure names them (with fast-check's seed and path, it replays). */
export function describeZones({ first, then, during }: ZoneChange): string {
  const name = (s: ZoneSettings | null) => (s ? `${s.time_zone} (weeks from ${s.week_start})` : 'never set (UTC, Monday)');
  const change = then ? `, changed to ${name(then)}${during ? ' (writes going on while it was applied)' : ''}` : '';
  return `tenant zone: ${name(first)}${change}; runtime ${process.version}, run at ${new Date().toISOString()}`;
}

/** Runs `body`, naming the run's zones in any failure's message. */
export async function naming<T>(what: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof Error) e.message = `[${what}]\n${e.message}`;
    throw e;
  }
}
