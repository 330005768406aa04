/** How this process runs webhooks (CustomizationModule's `webhooks` option; WEBHOOK_* in the standalone server). */
export interface WebhookSettings {
  /** Whether this process relays the outbox and delivers (WEBHOOKS_ENABLED). Routes and the outbox work either way. */
  deliver: boolean;
  /** Lets subscriptions target loopback and private addresses, over http too (WEBHOOK_ALLOW_PRIVATE_TARGETS). */
  allowPrivateTargets: boolean;
  /** WEBHOOK_POLL_INTERVAL_MS */
  pollIntervalMs: number;
  /** WEBHOOK_RETRY_BASE_MS: attempt n waits a random time in [0, min(base × 2^(n-1), 1 h)]. */
  retryBaseMs: number;
  /** WEBHOOK_RETRY_FOR_MS: after the first attempt plus this long without success a delivery is dead. */
  retryForMs: number;
  /** WEBHOOK_TIMEOUT_MS: one attempt, connection to answer. */
  timeoutMs: number;
}

export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = {
  deliver: true,
  allowPrivateTargets: false,
  pollIntervalMs: 1000,
  retryBaseMs: 5000,
  retryForMs: 86_400_000,
  timeoutMs: 10_000,
};

export const WEBHOOK_SETTINGS = Symbol('WEBHOOK_SETTINGS');

/** How long delivered and dead deliveries are kept: a week, and never less than a retry window and a day. */
export const retentionMs = (s: WebhookSettings): number => Math.max(7 * 86_400_000, s.retryForMs + 86_400_000);
