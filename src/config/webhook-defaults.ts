/**
 * The webhook settings and their defaults, apart from the rest of the configuration: the module a host
 * imports reads them (customization.options.ts), and nothing here may pull in what only the standalone
 * server ships (app-config.ts reads dev-secrets, which the package leaves out).
 */

/** Webhooks of the standalone server (WEBHOOK_*, WEBHOOKS_ENABLED; docs/webhooks.md). */
export interface WebhookConfig {
  /** WEBHOOKS_ENABLED: this process relays the outbox and delivers. */
  readonly deliver: boolean;
  readonly allowPrivateTargets: boolean;
  readonly pollIntervalMs: number;
  readonly retryBaseMs: number;
  readonly retryForMs: number;
  readonly timeoutMs: number;
}

/** The webhook defaults (the shared contract): of the standalone server and of a host's `webhooks` option. */
export const WEBHOOK_DEFAULTS: WebhookConfig = Object.freeze({
  deliver: true,
  allowPrivateTargets: false,
  pollIntervalMs: 1000,
  retryBaseMs: 5000,
  retryForMs: 86_400_000,
  timeoutMs: 10_000,
});
