import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OUT_DIR } from './env';

/** Nearest-rank percentile of unsorted samples (milliseconds). */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1];
}

export const round = (x: number, digits = 1) => (Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : null);

const FILE = () => join(OUT_DIR, 'figures.json');

export type Figures = Record<string, string | number | boolean | null>;

/** Keeps one scenario's figures in OUT_DIR/figures.json (printed at the end of the run; dated runs are kept in docs/reliability-log.md). */
export function record(scenario: string, figures: Figures): void {
  mkdirSync(OUT_DIR, { recursive: true });
  const all = existsSync(FILE()) ? JSON.parse(readFileSync(FILE(), 'utf8')) : {};
  all[scenario] = { ...all[scenario], ...figures };
  writeFileSync(FILE(), JSON.stringify(all, null, 2));
  process.stdout.write(`\n[${scenario}] ${JSON.stringify(figures)}\n`);
}

export function readAll(): Record<string, Figures> {
  return existsSync(FILE()) ? JSON.parse(readFileSync(FILE(), 'utf8')) : {};
}

export function resetFigures(): void {
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(FILE(), '{}');
}
