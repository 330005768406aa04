import fc from 'fast-check';

/**
 * The one source of randomness of a differential run: fast-check's seeded generator, drawn as an
 * infinite stream of integers (`int`, `pick`…), and fast-check's arbitraries sampled with seeds taken
 * from that stream (`sample`). The same seed gives the same sequence of operations, byte for byte.
 */
export class Rng {
  private readonly stream: IterableIterator<number>;

  constructor(readonly seed: number) {
    const [stream] = fc.sample(fc.infiniteStream(fc.noBias(fc.integer({ min: 0, max: 0x7fffffff }))), { seed, numRuns: 1 });
    this.stream = stream;
  }

  private next(): number {
    return this.stream.next().value as number;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    if (max <= min) return min;
    const span = max - min + 1;
    if (span <= 0x80000000) return min + (this.next() % span);
    // Wider than 31 bits (money in cents): two draws.
    return min + ((this.next() * 0x80000000 + this.next()) % span);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() / 0x80000000 < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(0, items.length - 1)];
  }

  /** One of the items, by weight: `[[3, 'a'], [1, 'b']]`. */
  weighted<T>(items: readonly (readonly [number, T])[]): T {
    const total = items.reduce((s, [w]) => s + w, 0);
    let r = this.int(0, total - 1);
    for (const [w, item] of items) {
      if (r < w) return item;
      r -= w;
    }
    return items[items.length - 1][1];
  }

  /** A few distinct items, in a random order. */
  some<T>(items: readonly T[], max: number, min = 0): T[] {
    const pool = [...items];
    const n = Math.min(pool.length, this.int(min, max));
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(pool.splice(this.int(0, pool.length - 1), 1)[0]);
    return out;
  }

  /** A value of a fast-check arbitrary, seeded from this stream (biased towards edge cases, as fast-check does). */
  sample<T>(arb: fc.Arbitrary<T>): T {
    return fc.sample(arb, { seed: this.next(), numRuns: 1 })[0];
  }
}
