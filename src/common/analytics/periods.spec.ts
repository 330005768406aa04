import { addDays, daysBetween, isValidDate, weekday } from './dates';
import { enumeratePeriods, periodStart } from './periods';
import { resolveDateRange } from '../http/date-range.dto';

describe('calendar days', () => {
  it('validates real dates only', () => {
    expect(isValidDate('2024-02-29')).toBe(true);
    expect(isValidDate('2023-02-29')).toBe(false);
    expect(isValidDate('2024-13-01')).toBe(false);
    expect(isValidDate('2024-1-01')).toBe(false);
  });
  it('takes days from 1900-01-01 to 9998-12-31 only, so derived days keep four-digit years', () => {
    expect(isValidDate('1900-01-01')).toBe(true);
    expect(isValidDate('9998-12-31')).toBe(true);
    expect(isValidDate('1899-12-31')).toBe(false);
    expect(isValidDate('9999-12-31')).toBe(false);
    expect(isValidDate('0000-01-01')).toBe(false);
  });
  it('adds days across months and years', () => {
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(daysBetween('2024-01-01', '2024-03-01')).toBe(60);
  });
  it('numbers weekdays from Monday', () => {
    expect(weekday('2026-11-23')).toBe(0); // a Monday
    expect(weekday('2026-11-29')).toBe(6); // a Sunday
  });
});

describe('periods', () => {
  it('starts weeks on Monday and months on the 1st', () => {
    expect(periodStart('2026-11-26', 'week')).toBe('2026-11-23');
    expect(periodStart('2026-11-23', 'week')).toBe('2026-11-23');
    expect(periodStart('2026-11-26', 'month')).toBe('2026-11-01');
  });
  it('enumerates every period touching the range', () => {
    expect(enumeratePeriods('2026-11-26', '2026-11-28', 'day')).toEqual(['2026-11-26', '2026-11-27', '2026-11-28']);
    expect(enumeratePeriods('2026-11-26', '2026-12-08', 'week')).toEqual(['2026-11-23', '2026-11-30', '2026-12-07']);
    expect(enumeratePeriods('2026-11-30', '2027-01-01', 'month')).toEqual(['2026-11-01', '2026-12-01', '2027-01-01']);
  });
  it('fails instead of looping when a caller passes days beyond the accepted calendar', () => {
    // 9999-12-31 + 1 day is "+010000-01-01", which sorts before "9999-12-31": the loop would never end.
    expect(() => enumeratePeriods('9999-12-30', '9999-12-31', 'day')).toThrow('out of bounds');
    expect(() => enumeratePeriods('1900-01-01', '2026-01-01', 'day')).toThrow('out of bounds');
  });
});

describe('resolveDateRange', () => {
  const today = '2026-11-26';
  it('defaults to the last 30 days including today', () => {
    expect(resolveDateRange({}, today)).toEqual({ startDate: '2026-10-28', endDate: today });
  });
  it('takes days as the last N days including today', () => {
    expect(resolveDateRange({ days: 1 }, today)).toEqual({ startDate: today, endDate: today });
    expect(resolveDateRange({ days: 7 }, today)).toEqual({ startDate: '2026-11-20', endDate: today });
  });
  it('takes explicit inclusive bounds', () => {
    expect(resolveDateRange({ start_date: '2026-01-01', end_date: '2026-01-31' }, today)).toEqual({
      startDate: '2026-01-01',
      endDate: '2026-01-31',
    });
  });
  it('refuses end before start, days with bounds, and over-long ranges', () => {
    expect(() => resolveDateRange({ start_date: '2026-02-01', end_date: '2026-01-31' }, today)).toThrow('end_date');
    expect(() => resolveDateRange({ days: 3, start_date: '2026-01-01' }, today)).toThrow('days');
    expect(() => resolveDateRange({ start_date: '2000-01-01', end_date: '2026-01-01' }, today)).toThrow('at most');
  });
});
