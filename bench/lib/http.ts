import { performance } from 'node:perf_hooks';
import { summarize, Summary } from './stats';

export interface Target {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

async function once(t: Target): Promise<number> {
  const started = performance.now();
  const res = await fetch(t.url, { method: t.method ?? 'GET', headers: t.headers, body: t.body });
  await res.arrayBuffer();
  if (res.status >= 400) throw new Error(`${t.method ?? 'GET'} ${t.url} answered ${res.status}`);
  return performance.now() - started;
}

/** Sequential requests (concurrency 1) after a short warm-up: latency percentiles. */
export async function latency(t: Target, n: number, warmup = 5): Promise<Summary> {
  for (let i = 0; i < warmup; i++) await once(t);
  const samples: number[] = [];
  for (let i = 0; i < n; i++) samples.push(await once(t));
  return summarize(samples);
}

/**
 * Two targets measured alternately (a, b, a, b, …) after a warm-up of each: both see the same load
 * on the machine, so their ratio means something even when other work comes and goes.
 */
export async function pairedLatency(a: Target, b: Target, n: number, warmup = 5): Promise<[Summary, Summary]> {
  for (let i = 0; i < warmup; i++) {
    await once(a);
    await once(b);
  }
  const sa: number[] = [];
  const sb: number[] = [];
  for (let i = 0; i < n; i++) {
    sa.push(await once(a));
    sb.push(await once(b));
  }
  return [summarize(sa), summarize(sb)];
}

/** `concurrency` loops for `seconds` (bounded): requests per second and latency under load. */
export async function throughput(t: Target, concurrency: number, seconds: number): Promise<{ rps: number; latency: Summary; requests: number }> {
  const until = performance.now() + seconds * 1000;
  const samples: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) samples.push(await once(t));
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return { rps: samples.length / elapsed, latency: summarize(samples), requests: samples.length };
}

export async function waitFor(url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > until) throw new Error(`${url} did not come up within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
