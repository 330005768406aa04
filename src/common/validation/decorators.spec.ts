import fc from 'fast-check';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { HasNoSurroundingSpace, IsLabel, IsName, IsText, TEXT_PATTERNS } from './decorators';

class Named {
  @IsName()
  name: string;
}
class Labelled {
  @IsLabel(100)
  label?: string | null;
}
class Described {
  @IsText(2000)
  text?: string | null;
}
class Filtered {
  @HasNoSurroundingSpace()
  key: string;
}

const problems = (cls: new () => object, value: Record<string, unknown>) =>
  validateSync(plainToInstance(cls, value)).flatMap((e) => Object.values(e.constraints ?? {}));

/** Short strings over the characters that matter: controls (C0, DEL, C1), whitespace of several kinds, letters. */
const textArb = fc.string({
  unit: fc.constantFrom(
    'a',
    'É',
    '😀',
    ' ',
    '\t',
    '\n',
    '\r',
    '\u000B',
    '\u0000',
    '\u001F',
    '\u007F',
    '\u0085',
    '\u009F',
    '\u00A0',
    '\u3000',
    '\u2028',
    '\uFEFF',
  ),
  minLength: 1,
  maxLength: 6,
});

describe('text rules', () => {
  it('refuses control characters in names and labels, and blank names, naming the rule', () => {
    expect(problems(Named, { name: 'Trade fair' })).toEqual([]);
    expect(problems(Named, { name: 'a\u0000b' })).toEqual(['name must not contain control characters']);
    expect(problems(Named, { name: 'Trade\nfair' })).toEqual(['name must not contain control characters']);
    expect(problems(Named, { name: ' \u3000\u00A0' })).toEqual(['name must not be blank']);
    expect(problems(Labelled, { label: 'mdi-star\u0085' })).toEqual(['label must not contain control characters']);
    expect(problems(Labelled, { label: '  ' })).toEqual([]);
  });

  it('lets free text keep tab, line feed and carriage return, and nothing else below U+0020', () => {
    expect(problems(Described, { text: 'Line one\r\n\tLine two\n' })).toEqual([]);
    expect(problems(Described, { text: 'bell\u0007' })).toEqual(['text must not contain control characters other than tab, line feed and carriage return']);
    expect(problems(Described, { text: 'nul\u0000' })).toHaveLength(1);
  });

  it('refuses a filter value with whitespace at either end', () => {
    expect(problems(Filtered, { key: 'WEBSITE' })).toEqual([]);
    expect(problems(Filtered, { key: 'WEBSITE ' })).toEqual(['key must not start or end with whitespace']);
  });

  it('accepts exactly what the documented patterns accept', () => {
    const cases: [new () => object, string, string][] = [
      [Named, 'name', TEXT_PATTERNS.name],
      [Labelled, 'label', TEXT_PATTERNS.label],
      [Described, 'text', TEXT_PATTERNS.freeText],
    ];
    for (const [cls, field, pattern] of cases) {
      const documented = new RegExp(pattern, 'u');
      fc.assert(
        fc.property(textArb, (s) => {
          expect({ s, accepted: problems(cls, { [field]: s }).length === 0 }).toEqual({ s, accepted: documented.test(s) });
        }),
        { numRuns: 300 },
      );
    }
  });
});
