const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * The last `count` characters of `text` as a person counts them (grapheme clusters: an emoji with a
 * skin tone, a flag, a letter with combining accents are one each), never splitting one. The result
 * holds at most `maxCodePoints` code points (what its column stores): leading clusters that do not fit
 * are left out, and a single cluster longer than that keeps only its first `maxCodePoints`.
 */
export function lastGraphemes(text: string, count: number, maxCodePoints: number): string {
  const clusters = Array.from(segmenter.segment(text), (s) => s.segment).slice(-count);
  let result = '';
  for (let i = clusters.length - 1; i >= 0; i -= 1) {
    const candidate = clusters[i] + result;
    if ([...candidate].length > maxCodePoints) {
      if (result === '') result = [...clusters[i]].slice(0, maxCodePoints).join('');
      break;
    }
    result = candidate;
  }
  return result;
}
