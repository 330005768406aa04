import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A fixed piece of CPU work (100 ms of arithmetic) in a fresh process, which reports its wall time
 * over the CPU time it got. On a quiet machine that is about 1; when neighbours keep the cores busy it
 * grows with them (about 4 at a load average of 8 on 2 cores), whatever the service does.
 */
const TASK = `
const t0 = performance.now(); const c0 = process.cpuUsage(); let x = 0;
for (;;) { for (let i = 0; i < 2e5; i++) x = (x + i * i) % 1000003; const u = process.cpuUsage(c0); if (u.user + u.system >= 100000) break; }
const u = process.cpuUsage(c0); process.stdout.write(String((performance.now() - t0) / ((u.user + u.system) / 1000)));
`;

/** The median of three samples of the task's wall/CPU ratio, now. */
export async function cpuSlowness(): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 3; i += 1) {
    const { stdout } = await run(process.execPath, ['-e', TASK], { timeout: 60_000 });
    samples.push(Number(stdout));
  }
  return samples.sort((a, b) => a - b)[1];
}

/**
 * The scenarios' time bounds are stated for a quiet machine (two cores, nothing else running). The
 * same run measures how much slower the machine is right before and right after the scenario (its
 * own load stopped), and the bounds stretch by the mean of the two, at least 1: a busy neighbour then
 * makes the bounds larger instead of failing the service. The factor is in each scenario's figures.
 */
export class Slowness {
  private after: number;
  private constructor(readonly before: number) {
    this.after = before;
  }

  static async measure(): Promise<Slowness> {
    return new Slowness(await cpuSlowness());
  }

  async measureAgain(): Promise<void> {
    this.after = await cpuSlowness();
  }

  get factor(): number {
    return Math.max(1, (this.before + this.after) / 2);
  }

  /** A quiet-machine bound in ms, stretched by the measured slowness. */
  bound(quietMs: number): number {
    return Math.round(quietMs * this.factor);
  }

  describe(): string {
    return `${this.before.toFixed(2)} before, ${this.after.toFixed(2)} after: bounds x${this.factor.toFixed(2)}`;
  }
}
