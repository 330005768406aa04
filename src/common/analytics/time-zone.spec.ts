import { isTimeZoneName, TimeZone } from './time-zone';

const at = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString();

describe('TimeZone', () => {
  it('UTC is the UTC day, and a day starts at UTC midnight', () => {
    const utc = TimeZone.of('UTC');
    expect(utc.dayOf(at('2026-03-01T23:59:59.999Z'))).toBe('2026-03-01');
    expect(utc.dayOf(at('2026-03-02T00:00:00Z'))).toBe('2026-03-02');
    expect(iso(utc.startOf('2026-03-02'))).toBe('2026-03-02T00:00:00.000Z');
  });

  it('Asia/Kolkata (+05:30): 2026-03-01T20:00Z is 2 March there, 1 March in UTC', () => {
    const kolkata = TimeZone.of('Asia/Kolkata');
    expect(kolkata.dayOf(at('2026-03-01T20:00:00Z'))).toBe('2026-03-02');
    expect(TimeZone.of('UTC').dayOf(at('2026-03-01T20:00:00Z'))).toBe('2026-03-01');
    // 2 March starts at 00:00 IST = 1 March 18:30 UTC.
    expect(iso(kolkata.startOf('2026-03-02'))).toBe('2026-03-01T18:30:00.000Z');
    expect(kolkata.dayOf(at('2026-03-01T18:29:59.999Z'))).toBe('2026-03-01');
    expect(kolkata.dayOf(at('2026-03-01T18:30:00Z'))).toBe('2026-03-02');
  });

  it('Asia/Kathmandu (+05:45)', () => {
    const kathmandu = TimeZone.of('Asia/Kathmandu');
    expect(iso(kathmandu.startOf('2026-07-01'))).toBe('2026-06-30T18:15:00.000Z');
    expect(kathmandu.dayOf(at('2026-06-30T18:14:59Z'))).toBe('2026-06-30');
    expect(kathmandu.dayOf(at('2026-06-30T18:15:00Z'))).toBe('2026-07-01');
  });

  it('America/New_York across both transitions of 2026 (8 March, 1 November)', () => {
    const ny = TimeZone.of('America/New_York');
    // Before spring forward: EST −05:00; after: EDT −04:00.
    expect(iso(ny.startOf('2026-03-08'))).toBe('2026-03-08T05:00:00.000Z');
    expect(iso(ny.startOf('2026-03-09'))).toBe('2026-03-09T04:00:00.000Z');
    // 8 March has 23 hours: 02:00 EST (07:00Z) jumps to 03:00 EDT.
    expect(ny.startOf('2026-03-09').getTime() - ny.startOf('2026-03-08').getTime()).toBe(23 * 3_600_000);
    expect(ny.dayOf(at('2026-03-09T03:59:59Z'))).toBe('2026-03-08');
    // Fall back: 1 November has 25 hours; 01:30 happens twice and both are 1 November.
    expect(iso(ny.startOf('2026-11-01'))).toBe('2026-11-01T04:00:00.000Z');
    expect(iso(ny.startOf('2026-11-02'))).toBe('2026-11-02T05:00:00.000Z');
    expect(ny.dayOf(at('2026-11-01T05:30:00Z'))).toBe('2026-11-01'); // 01:30 EDT
    expect(ny.dayOf(at('2026-11-01T06:30:00Z'))).toBe('2026-11-01'); // 01:30 EST
    expect(ny.dayOf(at('2026-11-02T04:59:59Z'))).toBe('2026-11-01'); // 23:59:59 EST
  });

  it('Europe/Berlin across both transitions of 2026 (29 March, 25 October)', () => {
    const berlin = TimeZone.of('Europe/Berlin');
    expect(iso(berlin.startOf('2026-03-29'))).toBe('2026-03-28T23:00:00.000Z');
    expect(iso(berlin.startOf('2026-03-30'))).toBe('2026-03-29T22:00:00.000Z');
    expect(berlin.dayOf(at('2026-03-29T21:59:59Z'))).toBe('2026-03-29'); // 23:59:59 CEST
    expect(berlin.dayOf(at('2026-03-29T22:00:00Z'))).toBe('2026-03-30');
    expect(iso(berlin.startOf('2026-10-25'))).toBe('2026-10-24T22:00:00.000Z');
    expect(iso(berlin.startOf('2026-10-26'))).toBe('2026-10-25T23:00:00.000Z');
    expect(berlin.dayOf(at('2026-10-25T23:30:00Z'))).toBe('2026-10-26');
  });

  it('Pacific/Chatham (+12:45 standard, +13:45 summer), whose clocks change at 02:45/03:45', () => {
    const chatham = TimeZone.of('Pacific/Chatham');
    // Summer time ends 5 April 2026 at 03:45 (14:00Z the day before); 5 April starts at 00:00 +13:45.
    expect(iso(chatham.startOf('2026-04-05'))).toBe('2026-04-04T10:15:00.000Z');
    expect(iso(chatham.startOf('2026-04-06'))).toBe('2026-04-05T11:15:00.000Z');
    // Summer time starts 27 September 2026 at 02:45 (14:00Z the day before).
    expect(iso(chatham.startOf('2026-09-27'))).toBe('2026-09-26T11:15:00.000Z');
    expect(iso(chatham.startOf('2026-09-28'))).toBe('2026-09-27T10:15:00.000Z');
    expect(chatham.dayOf(at('2026-09-27T10:14:59Z'))).toBe('2026-09-27');
    expect(chatham.dayOf(at('2026-09-27T10:15:00Z'))).toBe('2026-09-28');
  });

  it('answers the exact offset inside a quarter hour that holds a transition (a local mean time)', () => {
    // Kolkata kept Madras time (+05:21:10) until 1906 (ICU): a day then starts 21 minutes 10 seconds off the quarter.
    const kolkata = TimeZone.of('Asia/Kolkata');
    const start = kolkata.startOf('1900-06-01');
    expect(kolkata.dayOf(start)).toBe('1900-06-01');
    expect(kolkata.dayOf(new Date(start.getTime() - 1))).toBe('1900-05-31');
    expect(start.getUTCSeconds()).not.toBe(0);
  });

  it('keeps dayOf and startOf consistent over a year in each fixture zone (an instant every 5 h 1 min)', () => {
    for (const name of ['America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'Asia/Kathmandu', 'Pacific/Chatham']) {
      const zone = TimeZone.of(name);
      for (let ms = Date.parse('2026-01-01T00:07:00Z'); ms < Date.parse('2027-01-01T00:00:00Z'); ms += 5 * 3_600_000 + 60_000) {
        const day = zone.dayOf(ms);
        const { from, to } = zone.bounds(day, day);
        expect(from.getTime() <= ms && ms < to.getTime()).toBe(true);
      }
    }
  });
});

describe('TimeZone against Intl', () => {
  it('answers the day Intl formats for 20,000 instants over 1900–2100 in every zone of the runtime (a fixed pseudo-random walk)', () => {
    const zones = Intl.supportedValuesOf('timeZone');
    let seed = 19;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    const from = Date.parse('1900-01-02T00:00:00Z');
    const to = Date.parse('2100-01-01T00:00:00Z');
    for (let i = 0; i < 20_000; i++) {
      const name = zones[Math.floor(next() * zones.length)];
      // Half near a transition-prone hour of a recent year, half anywhere in two centuries.
      const ms =
        next() < 0.5
          ? Date.UTC(2026, Math.floor(next() * 12), 1 + Math.floor(next() * 28), Math.floor(next() * 24), Math.floor(next() * 60))
          : from + Math.floor(next() * (to - from));
      const expected = new Intl.DateTimeFormat('en-CA', { timeZone: name, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(ms));
      expect([name, new Date(ms).toISOString(), TimeZone.of(name).dayOf(ms)]).toEqual([name, new Date(ms).toISOString(), expected]);
    }
  });
});

describe('isTimeZoneName', () => {
  it('takes the names of the runtime time zone database and IANA names it resolves', () => {
    for (const name of ['UTC', 'Asia/Kolkata', 'Asia/Calcutta', 'Asia/Kathmandu', 'Pacific/Chatham', 'Etc/GMT+5', 'America/Argentina/Buenos_Aires']) {
      expect([name, isTimeZoneName(name)]).toEqual([name, true]);
    }
  });
  it('refuses offsets, abbreviations, unknown places and other types', () => {
    for (const name of ['+05:30', 'asia/kolkata', 'Mars/Olympus', 'Europe/', '', 'x'.repeat(65), 5, null]) {
      expect([name, isTimeZoneName(name)]).toEqual([name, false]);
    }
  });
});
