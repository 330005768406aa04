import { percent, ratio, round2 } from './rounding';

describe('round2', () => {
  it.each([
    [1.005, 1.01],
    [1.015, 1.02],
    [2.675, 2.68],
    [0.125, 0.13],
    [1.004999, 1],
    [10, 10],
    [0, 0],
    [1234567.891, 1234567.89],
  ])('rounds %p half away from zero to %p, without binary drift', (value, expected) => {
    expect(round2(value)).toBe(expected);
  });

  it('rounds negatives away from zero too', () => {
    expect(round2(-1.005)).toBe(-1.01);
    expect(round2(-0.004)).toBe(-0);
    expect(round2(-2.5)).toBe(-2.5);
  });

  it('refuses NaN and infinities instead of answering them', () => {
    expect(() => round2(Number.NaN)).toThrow('not a finite number');
    expect(() => round2(Number.POSITIVE_INFINITY)).toThrow('not a finite number');
  });
});

describe('ratio and percent', () => {
  it('divides and rounds', () => {
    expect(ratio(10, 4)).toBe(2.5);
    expect(ratio(1, 3)).toBe(0.33);
    expect(ratio(0, 7)).toBe(0);
    expect(percent(1, 3)).toBe(33.33);
    expect(percent(2, 3)).toBe(66.67);
    expect(percent(3, 3)).toBe(100);
    expect(percent(0, 5)).toBe(0);
  });

  it('answers null, never 0, NaN or Infinity, when the denominator is 0', () => {
    expect(ratio(5, 0)).toBeNull();
    expect(ratio(0, 0)).toBeNull();
    expect(percent(5, 0)).toBeNull();
    expect(percent(0, 0)).toBeNull();
  });

  it('keeps the sign of a loss (ROI below zero)', () => {
    expect(percent(-50, 200)).toBe(-25);
  });
});
