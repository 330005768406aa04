import { lastGraphemes } from './graphemes';

describe('lastGraphemes', () => {
  it('takes the last characters of plain text', () => {
    expect(lastGraphemes('sk-live-0123456789', 4, 64)).toBe('6789');
    expect(lastGraphemes('abc', 4, 64)).toBe('abc');
  });

  it('never splits an emoji, a flag or a letter with a combining accent', () => {
    const family = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}'; // one person-visible character, 7 code points
    expect(lastGraphemes(`abcdefgh${family}`, 4, 64)).toBe(`fgh${family}`);
    expect(lastGraphemes('key-\u{1F1E9}\u{1F1EA}\u{1F1EB}\u{1F1F7}', 4, 64)).toBe('y-\u{1F1E9}\u{1F1EA}\u{1F1EB}\u{1F1F7}');
    expect(lastGraphemes('passwo\u0301rd!', 4, 64)).toBe('o\u0301rd!');
    // The emoji-plus-skin-tone the UTF-16 slice used to cut in half:
    expect(lastGraphemes('token\u{1F44D}\u{1F3FD}', 4, 64)).toBe('ken\u{1F44D}\u{1F3FD}');
  });

  it('keeps within the column: leading clusters that do not fit are left out', () => {
    const long = `a${'e\u0301'.repeat(1)}${'x' + '\u0301'.repeat(40)}${'y' + '\u0301'.repeat(30)}`;
    const result = lastGraphemes(long, 4, 64);
    expect([...result].length).toBeLessThanOrEqual(64);
    expect(result).toBe('y' + '\u0301'.repeat(30));
    expect(lastGraphemes('z' + '\u0301'.repeat(100), 4, 64)).toBe('z' + '\u0301'.repeat(63));
  });
});
