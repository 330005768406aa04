/**
 * Parses a JSON text with every number kept as its source text (a string), so a test can compare
 * sums past what a double holds digit for digit: `{"total":9099999999990809.09}` gives
 * `{ total: '9099999999990809.09' }`. (JSON.parse would round it to 9099999999990810.)
 */
export function parseExact<T = any>(text: string): T {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i];
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      const token = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i))![0];
      out += `"${token}"`;
      i += token.length - 1;
    } else out += c;
  }
  return JSON.parse(out) as T;
}
