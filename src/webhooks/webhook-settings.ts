import type { WebhookConfig } from '../config/webhook-defaults';

/**
 * How this process runs webhooks: CustomizationModule's `webhooks` option, checked, with the defaults of
 * WEBHOOK_DEFAULTS (WEBHOOK_* and WEBHOOKS_ENABLED in the standalone server; docs/webhooks.md):
 * `deliver` (this process relays and delivers), `allowPrivateTargets`, `pollIntervalMs`, `retryBaseMs`
 * (attempt n waits a random time in [0, min(base × 2^(n-1), 1 h)]), `retryForMs` (after the first attempt
 * plus this long without success a delivery is dead), `timeoutMs` (one attempt).
 */
export type WebhookSettings = WebhookConfig;

export const WEBHOOK_SETTINGS = Symbol('WEBHOOK_SETTINGS');

/** How long delivered and dead deliveries are kept: a week, and never less than a retry window and a day. */
export const retentionMs = (s: WebhookSettings): number => Math.max(7 * 86_400_000, s.retryForMs + 86_400_000);
