import fc from 'fast-check';
import { compareCodePoints, TEXT_KEY_GROWTH, textKey } from './text-key';

describe('textKey', () => {
  it('ignores case, accents and compatibility forms', () => {
    expect(textKey('Café')).toBe('cafe');
    expect(textKey('CAFÉ')).toBe('cafe');
    expect(textKey('cafe\u0301')).toBe('cafe');
    expect(textKey('ＡＢＣ')).toBe('abc');
    expect(textKey('Éclair')).toBe('eclair');
    expect(textKey('ﬁle')).toBe('file');
    expect(textKey('İstanbul')).toBe('istanbul');
    expect(textKey('Straße')).toBe('straße');
    expect(textKey('한국')).toBe('한국'); // Hangul decomposes and recomposes
  });

  it('turns runs of whitespace and control characters into one space, none at the ends', () => {
    expect(textKey('  Trade \t\n fair\u3000')).toBe('trade fair');
    expect(textKey('a\u0000b')).toBe('a b');
    expect(textKey('\u00A0')).toBe('');
  });

  it('never holds a control character nor ends in a space (PAD SPACE then agrees with bytes)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
        const key = textKey(s);
        expect(/[\u0000-\u001F\u007F-\u009F]/.test(key)).toBe(false);
        expect(key).toBe(key.trim());
        expect(textKey(key)).toBe(key); // a key is its own key: a search needle normalizes the same way
      }),
    );
  });

  it(`makes at most ${TEXT_KEY_GROWTH} code points of any one code point`, () => {
    let most = 0;
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const length = [...textKey(String.fromCodePoint(cp))].length;
      if (length > most) most = length;
    }
    expect(most).toBe(TEXT_KEY_GROWTH);
  });
});

describe('compareCodePoints', () => {
  it('orders codes by bytes: digits, then upper-case letters, then _', () => {
    expect(['A_1', 'A10', 'A1', 'B', 'A'].sort(compareCodePoints)).toEqual(['A', 'A1', 'A10', 'A_1', 'B']);
  });

  it('orders characters above U+FFFF after U+E000..U+FFFF, as UTF-8 bytes do', () => {
    expect(['\u{1F600}', '\uFFFD', 'z'].sort(compareCodePoints)).toEqual(['z', '\uFFFD', '\u{1F600}']);
  });

  it('agrees with comparing UTF-8 bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 8 }), fc.string({ unit: 'grapheme', maxLength: 8 }), (a, b) => {
        expect(Math.sign(compareCodePoints(a, b))).toBe(Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b))));
      }),
    );
  });
});
