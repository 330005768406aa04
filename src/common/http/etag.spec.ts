import { AppError } from '../errors/app-error';
import { parseIfMatch } from './etag';

describe('parseIfMatch', () => {
  it('means "no precondition" when absent, empty or *', () => {
    expect(parseIfMatch(undefined)).toBeUndefined();
    expect(parseIfMatch('')).toBeUndefined();
    expect(parseIfMatch('*')).toBeUndefined();
    expect(parseIfMatch(' * ')).toBeUndefined();
  });

  it.each([
    ['"3"', 3],
    ['3', 3],
    ['W/"12"', 12],
    ['  "7"  ', 7],
    ['"999999999"', 999999999],
  ])('reads the version from %p', (header, version) => {
    expect(parseIfMatch(header)).toBe(version);
  });

  it('takes the first of repeated headers', () => {
    expect(parseIfMatch(['"4"', '"5"'])).toBe(4);
  });

  it.each(['"abc"', '"1", "2"', '-1', '"1.5"', '"1234567890"', 'W/', '""'])('answers PRECONDITION_FAILED for %p, which names no version', (header) => {
    let thrown: unknown;
    try {
      parseIfMatch(header);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect((thrown as AppError).code).toBe('PRECONDITION_FAILED');
    expect((thrown as AppError).getStatus()).toBe(412);
  });
});
