/** The longest wait between two attempts. */
export const MAX_RETRY_WAIT_MS = 3_600_000;

/**
 * Exponential backoff with full jitter: after the n-th failed attempt (n ≥ 1) the next one waits a random
 * time in [0, min(base × 2^(n-1), 1 h)]. `random` is in [0, 1) (Math.random; fixed in tests).
 */
export function retryDelayMs(attempt: number, baseMs: number, random: () => number = Math.random): number {
  const cap = Math.min(baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 40)), MAX_RETRY_WAIT_MS);
  return Math.floor(random() * cap);
}

/**
 * What follows a failed attempt: `dead` once the first attempt is `retryForMs` or more in the past,
 * otherwise the time of the next attempt.
 */
export function afterFailure(
  o: { attempt: number; firstAttemptAt: Date; now: Date; baseMs: number; retryForMs: number },
  random: () => number = Math.random,
): { dead: true } | { dead: false; nextAttemptAt: Date } {
  if (o.now.getTime() - o.firstAttemptAt.getTime() >= o.retryForMs) return { dead: true };
  return { dead: false, nextAttemptAt: new Date(o.now.getTime() + retryDelayMs(o.attempt, o.baseMs, random)) };
}
