import fc from 'fast-check';
import { Rng } from './rng';

/**
 * Field values of a differential run: mostly valid, with the text the two engines are most likely to
 * treat differently (case, accents, composed and decomposed forms, ligatures, emoji, characters
 * LIKE treats specially, control characters) and the values at the documented limits (API.md §1,
 * docs/conventions.md): names of 100 code points, texts of 2,000, money up to 999,999,999,999,
 * counts up to 2^31 − 1, days up to 3,660, calendar days 1900-01-01..9998-12-31, JSON objects of 16 KiB.
 */

export const MONEY_MAX = 999_999_999_999;
export const COUNT_MAX = 2_147_483_647;
export const MIN_DAY = '1900-01-01';
export const MAX_DAY = '9998-12-31';

/** Names in pairs and families that differ only in case, accents, normalization or width. */
export const NAME_POOL = [
  'Café',
  'CAFÉ',
  'café',
  'Cafe',
  'cafe\u0301',
  'Straße',
  'STRASSE',
  'strasse',
  'İstanbul',
  'istanbul',
  'ISTANBUL',
  'ﬀ ligature',
  'ff ligature',
  'Ａｃｍｅ',
  'Acme',
  'acme',
  'ACME',
  'Ωmega',
  'ωmega',
  'Ærø',
  'aero',
  'Zürich',
  'Zurich',
  'zürich',
  'Łódź',
  'Lodz',
  '東京',
  'Ünïcödé',
  'unicode',
  '100% organic',
  '100_organic',
  'under_score',
  'under score',
  'a',
  'A',
  'b',
  'B',
  '_lead',
  '-dash',
  '0 zero',
  '9 nine',
  ' padded ',
  'Ŝpeçial ©',
  '😀 smile',
  '👨‍👩‍👧‍👦 family',
  'e\u0301',
  'é',
  'Z',
  'z',
  'ǅ titlecase',
  'Ǆ',
  'ǆ',
  'K kelvin',
  'k',
  'ÅNGSTRÖM',
  'Ångström',
];

/** Names at or beyond 100 code points: 100 is valid, 101 is a 400 on both. */
export const LIMIT_NAMES = ['x'.repeat(100), '😀'.repeat(100), 'é'.repeat(100), 'ß'.repeat(100), 'Ω'.repeat(99) + 'ω'];
/** Texts the refusal of control characters concerns (a 400 on both once it lands; stored as is before). */
export const CONTROL_TEXTS = ['bell\u0007', 'tab\there', 'line\nbreak', 'nul\u0000byte', 'esc\u001b[31m', 'del\u007f'];

export function name(rng: Rng): string {
  return rng.weighted<() => string>([
    [10, () => rng.pick(NAME_POOL)],
    [4, () => clip(rng.sample(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 24 })), 100) || 'g'],
    [3, () => clip(rng.sample(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 40 })), 100) || 'a'],
    [1, () => rng.pick(LIMIT_NAMES)],
    [1, () => `${rng.pick(NAME_POOL)} ${rng.pick(NAME_POOL)}`],
  ])();
}

/** The first `max` code points. */
export const clip = (s: string, max: number) => [...s].slice(0, max).join('');

export function optionalText(rng: Rng, max: number): string | null {
  return rng.weighted<() => string | null>([
    [4, () => null],
    [4, () => name(rng)],
    [2, () => clip(rng.sample(fc.string({ unit: 'grapheme', maxLength: 60 })), max)],
    [1, () => rng.pick(['x', '😀', 'é', 'ß']).repeat(max)],
    [1, () => ''],
  ])();
}

export const color = (rng: Rng) => rng.pick(['#1E88E5', '#ff0000', '#A1b2C3', '#000000', '#FFFFFF', null]);
export const displayOrder = (rng: Rng) => rng.pick([0, 0, 0, 1, 1, 2, 3, 5, 10, 1_000_000]);

/** Money with at most 2 decimals, mostly ordinary, sometimes at the edges. */
export function money(rng: Rng): number {
  return rng.weighted<() => number>([
    [6, () => rng.int(0, 100_000) / 100],
    [3, () => rng.int(0, 5_000)],
    [1, () => rng.pick([0, 0.01, 0.1, 0.05, 1.15, 2.675, 1_000_000.01, 999_999_999.99])],
    [1, () => rng.pick([MONEY_MAX, MONEY_MAX - 0.01, 123_456_789_012.34])],
  ])();
}

/** A small money figure that sums of hundreds stay far from any limit. */
export const smallMoney = (rng: Rng) => rng.int(0, 200_000) / 100;

export function count(rng: Rng): number {
  return rng.weighted<() => number>([
    [8, () => rng.int(0, 5_000)],
    [1, () => rng.int(0, 10)],
    [1, () => rng.pick([0, 1, COUNT_MAX, COUNT_MAX - 1, 1_000_000_000])],
  ])();
}

/** A JSON object for metadata, integration_data or target_audience: mostly small, sometimes near 16 KiB. */
export function jsonObject(rng: Rng): Record<string, unknown> {
  return rng.weighted<() => Record<string, unknown>>([
    [4, () => ({})],
    [4, () => ({ owner: name(rng), tier: rng.int(0, 5), tags: rng.some(NAME_POOL, 3), nested: { on: rng.chance(0.5), ratio: rng.int(0, 1000) / 8 } })],
    [
      2,
      () => rng.sample(fc.dictionary(fc.string({ unit: 'grapheme', maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 })) as Record<string, unknown>,
    ],
    // 16 KiB serialized at most: {"blob":"…"} with 16,372 ASCII characters is exactly 16,384 bytes.
    [1, () => ({ blob: 'x'.repeat(16_372) })],
    [1, () => ({ blob: 'é'.repeat(8_186) })],
    [1, () => ({ ключ: 'значение', '😀': ['😀'], Café: 1, cafe: 2, CAFE: 3, 'a.b': { c: null }, big: 9007199254740991, tiny: 1e-7, neg: -0.5 })],
  ])();
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
export const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const DAY_MS = 86_400_000;
export const addDays = (day: string, n: number) => dayOf(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS);

/** A time of day, HH:MM or HH:MM:SS. */
export const timeOfDay = (rng: Rng) =>
  rng.chance(0.5) ? `${pad(rng.int(0, 23))}:${pad(rng.int(0, 59))}` : `${pad(rng.int(0, 23))}:${pad(rng.int(0, 59))}:${pad(rng.int(0, 59))}`;

/** An ISO timestamp in one of the shapes the API takes (Z, an offset, milliseconds). */
export function timestamp(rng: Rng, ms: number): string {
  const iso = new Date(ms).toISOString();
  return rng.weighted<() => string>([
    [5, () => iso],
    [2, () => `${iso.slice(0, 19)}Z`],
    [
      1,
      () => {
        const d = new Date(ms + 2 * 3_600_000).toISOString();
        return `${d.slice(0, 19)}+02:00`;
      },
    ],
    [
      1,
      () => {
        const d = new Date(ms - 5.5 * 3_600_000).toISOString();
        return `${d.slice(0, 23)}-05:30`;
      },
    ],
    // Nine digits of fraction (the most the API takes; both keep milliseconds).
    [1, () => `${iso.slice(0, 23)}${String(rng.int(0, 999_999)).padStart(6, '0')}Z`],
  ])();
}

/** Printable-ASCII lead codes, in families that differ only in case, plus the 100-character limit. */
export const LEAD_CODE_POOL = [
  'CRM-1',
  'crm-1',
  'Crm-1',
  'CRM-2',
  'crm-2',
  'ABC',
  'abc',
  'x',
  'X',
  'lead 7',
  'LEAD 7',
  '%',
  '_',
  'a_b',
  'a%b',
  'Z'.repeat(100),
  'z'.repeat(100),
  '~!@#$^&*()',
  'K-1',
  'k-1',
];

export function leadCode(rng: Rng): string {
  return rng.weighted<() => string>([
    [3, () => rng.pick(LEAD_CODE_POOL)],
    [6, () => `L-${rng.int(1, 100_000)}`],
    [1, () => rng.sample(fc.stringMatching(/^[\x21-\x7E][\x20-\x7E]{0,20}[\x21-\x7E]$/))],
  ])();
}

/** Codes of a kind: a small pool, so that creates collide, deleted codes are reused and restores conflict. */
export function newCode(rng: Rng, prefix: string): string {
  return rng.weighted<() => string>([
    [8, () => `${prefix}_${rng.int(1, 14)}`],
    [1, () => `${prefix}${'_X'.repeat(23)}${rng.int(10, 99)}`.slice(0, 50)],
    [1, () => `${rng.pick(['A', 'B', 'Z'])}${rng.int(0, 9)}`],
  ])();
}

/** An integration key: 8..2,048 characters; most of the recognizable shape, some at the limits. */
export function integrationKey(rng: Rng): string {
  const hex = () => Array.from({ length: 24 }, () => '0123456789abcdef'[rng.int(0, 15)]).join('');
  return rng.weighted<() => string>([
    [6, () => `ik_live_${hex()}`],
    [1, () => `k${'y'.repeat(2046)}z`],
    [1, () => `ik_live_${hex()}👍🏽`],
    [1, () => `ik_live_${hex()}e\u0301`],
  ])();
}
