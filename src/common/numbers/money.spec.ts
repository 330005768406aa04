import { splitCents, joinCents, toBigInt } from '../../database/columns';
import { ExactNumber, exactNumber, stringifyExact } from './exact-json';
import { centsOf, compareJsonNumbers, countJson, divRound, hundredths, moneyJson, percentOf, perUnit } from './money';

describe('centsOf', () => {
  it.each([
    [0, 0n],
    [12.5, 1250n],
    [0.1 + 0.2, 30n],
    [999_999_999_999.99, 99_999_999_999_999n],
    [999_999_999_998.99, 99_999_999_999_899n],
    ['12.30', 1230n],
    ['-0.01', -1n],
    ['9099999999990809.0000', 909_999_999_999_080_900n],
    ['1.005', 101n],
    [null, 0n],
  ])('reads %p as %p cents', (value, cents) => {
    expect(centsOf(value as number | string | null)).toBe(cents);
  });

  it('refuses what is not an amount', () => {
    expect(() => centsOf(Number.NaN)).toThrow('not a finite number');
    expect(() => centsOf('1e5')).toThrow('not a decimal');
  });
});

describe('JSON numbers of exact values', () => {
  it('answers a plain number when a double holds the value, its digits otherwise', () => {
    expect(moneyJson(1250n)).toBe(12.5);
    expect(moneyJson(-1n)).toBe(-0.01);
    expect(moneyJson(0n)).toBe(0);
    expect(moneyJson(703_687_441_776_6399n)).toBe(70_368_744_177_663.99); // below 2^46: still a number
    expect(moneyJson(909_999_999_999_080_900n)).toEqual(new ExactNumber('9099999999990809'));
    expect(moneyJson(909_999_999_999_080_909n)).toEqual(new ExactNumber('9099999999990809.09'));
    expect(countJson(2n ** 53n - 1n)).toBe(Number.MAX_SAFE_INTEGER);
    expect(countJson(2n ** 53n + 1n)).toEqual(new ExactNumber('9007199254740993'));
    expect(exactNumber('1000000000000000000000')).toEqual(new ExactNumber('1000000000000000000000')); // a double writes 1e+21
  });

  it('writes exact digits in a reply and the nearest number anywhere else', () => {
    const body = { total: new ExactNumber('9099999999990809.09'), list: [new ExactNumber('-12345678901234567890')], name: 'x', n: 1.5 };
    expect(stringifyExact(body)).toBe('{"total":9099999999990809.09,"list":[-12345678901234567890],"name":"x","n":1.5}');
    expect(JSON.stringify(body)).toBe('{"total":9099999999990810,"list":[-12345678901234567000],"name":"x","n":1.5}');
    expect(Number(body.total)).toBe(9099999999990810);
  });

  it('leaves text that looks like its marker alone', () => {
    const body = { a: '\u0000exact-00000000-0000-0000-0000-000000000000:5', b: 'exact-1' };
    expect(stringifyExact(body)).toBe(JSON.stringify(body));
  });

  it('orders exact and plain numbers by value', () => {
    const values = [new ExactNumber('9099999999990809.09'), 5, new ExactNumber('9099999999990809.1'), -1];
    expect(values.sort(compareJsonNumbers).map(String)).toEqual(['-1', '5', '9099999999990809.09', '9099999999990809.1']);
  });
});

describe('rates on integers', () => {
  it('rounds half away from zero', () => {
    expect(divRound(5n, 2n)).toBe(3n);
    expect(divRound(-5n, 2n)).toBe(-3n);
    expect(divRound(4n, 3n)).toBe(1n);
    expect(divRound(5n, -3n)).toBe(-2n);
    expect(hundredths(101n, 2n)).toBe(0.51);
    expect(hundredths(1n, 0n)).toBeNull();
  });

  it('divides money by counts and takes percentages, exactly at any size', () => {
    expect(perUnit(12_000n, 8)).toBe(15);
    expect(perUnit(12_000n, 0)).toBeNull();
    expect(percentOf(1, 3)).toBe(33.33);
    expect(percentOf(2, 3)).toBe(66.67);
    expect(percentOf(-5000n, 20000n)).toBe(-25);
    // A gain of 10^21 − 0.01 on a cost of 0.01: (10^23 − 1) × 100 %
    expect(percentOf(100_000_000_000_000_000_000_000n - 1n, 1n)).toEqual(new ExactNumber('9999999999999999999999900'));
  });
});

describe('money sums in two parts (columns.ts)', () => {
  it('splits cents so that each part stays below 10^7 per amount, and joins them back', () => {
    expect(splitCents(99_999_999_999_999n)).toEqual([9_999_999n, 9_999_999n]);
    expect(splitCents(-12_345_678n)).toEqual([-1n, -2_345_678n]);
    expect(joinCents(...splitCents(909_999_999_999_080_909n))).toBe(909_999_999_999_080_909n);
    expect(joinCents('5', -3)).toBe(49_999_997n);
  });

  it('reads integers from either driver', () => {
    expect(toBigInt('9223372036854775807')).toBe(9_223_372_036_854_775_807n);
    expect(toBigInt('42.0000')).toBe(42n);
    expect(toBigInt(null)).toBe(0n);
    expect(() => toBigInt('1.5')).toThrow('not an integer');
  });
});
