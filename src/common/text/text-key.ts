/**
 * One meaning for comparing text on every engine (docs/conventions.md, "Text, codes and order").
 *
 * MySQL/MariaDB's default collation ignores case and accents and has its own order (`_` before
 * digits); SQLite compares bytes. Rather than trust either, the service stores what it compares:
 * codes and identifiers compare as written (binary collation on MySQL, SQLite's own `=`), and names
 * get a normalized key computed here, stored beside them and compared as bytes on both engines.
 */

/** Runs of whitespace and control characters (legacy rows may hold some): one space in a key. */
const SPACING = /[\p{White_Space}\p{Cc}]+/gu;
const MARKS = /\p{M}/gu;

/**
 * The key a name is searched and ordered by: compatibility decomposition (NFKD), combining marks
 * dropped (accents: `é` → `e`), lower case, recomposed (NFKC: full-width `Ａ` → `a`, `ﬁ` → `fi`),
 * runs of whitespace or control characters turned into one space, none at either end.
 *
 * `Café`, `CAFE` and `cafe` share the key `cafe`; `ＡＢＣ` has `abc`. The key never holds a character
 * below U+0020 nor ends in a space, which makes MySQL's PAD SPACE comparison (`utf8mb4_bin` ignores
 * trailing spaces) agree with SQLite's plain byte comparison.
 */
export function textKey(text: string): string {
  return text.normalize('NFKD').replace(MARKS, '').toLowerCase().normalize('NFKC').replace(SPACING, ' ').trim();
}

/**
 * The most code points `textKey` can make of one code point (U+FDFA, an Arabic ligature, becomes 18):
 * a name of n code points has a key of at most n × 18 (textKey.spec.ts checks every code point).
 */
export const TEXT_KEY_GROWTH = 18;

/**
 * Orders strings by code point, which is the order of their UTF-8 bytes: what SQLite's BINARY
 * collation and MySQL's `utf8mb4_bin` do. JavaScript's `<` compares UTF-16 units, which puts
 * characters above U+FFFF (emoji) before U+E000..U+FFFF; `localeCompare` follows a language's rules
 * (`A_1` before `A1`). Codes are ASCII, where all three agree except `localeCompare`.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // The first differing unit decides, once surrogates (code points above U+FFFF) rank above U+E000..U+FFFF.
    const rank = (u: number) => (u >= 0xd800 && u <= 0xdfff ? u + 0x10000 : u);
    return rank(x) < rank(y) ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}
