import { WEBHOOK_DEFAULTS } from '../config/webhook-defaults';
import { CustomizationOptionsError, resolveCustomizationOptions } from './customization.options';

const KEY = Buffer.alloc(32, 1);

describe('CustomizationModule options: webhooks', () => {
  it('are off unless turned on, and take their defaults when on', () => {
    expect(resolveCustomizationOptions({ encryptionKey: KEY }, false).webhooks).toBeUndefined();
    // The contract's defaults, pinned in src/config/app-config.spec.ts.
    expect(resolveCustomizationOptions({ encryptionKey: KEY, webhooks: {} }, false, true).webhooks).toEqual(WEBHOOK_DEFAULTS);
    // forRootAsync({ webhooks: true }) whose factory returns no settings: the defaults.
    expect(resolveCustomizationOptions({ encryptionKey: KEY }, false, true).webhooks).toMatchObject({ deliver: true });
    expect(resolveCustomizationOptions({ encryptionKey: KEY, webhooks: { deliver: false, pollIntervalMs: 50 } }, false, true).webhooks).toMatchObject({
      deliver: false,
      pollIntervalMs: 50,
    });
  });

  it('lists every bad setting, and settings given while webhooks are off', () => {
    const problems = (run: () => unknown) => {
      try {
        run();
      } catch (e) {
        return (e as CustomizationOptionsError).problems;
      }
      return [];
    };
    expect(
      problems(() =>
        resolveCustomizationOptions(
          { encryptionKey: KEY, webhooks: { deliver: 'yes' as unknown as boolean, pollIntervalMs: 5, retryBaseMs: 0, retryForMs: -1, timeoutMs: 1.5 } },
          false,
          true,
        ),
      ),
    ).toEqual([
      'webhooks.deliver: must be true or false',
      'webhooks.pollIntervalMs: must be an integer of at least 10',
      'webhooks.retryBaseMs: must be an integer of at least 1',
      'webhooks.retryForMs: must be an integer of at least 0',
      'webhooks.timeoutMs: must be an integer of at least 100',
    ]);
    expect(problems(() => resolveCustomizationOptions({ encryptionKey: KEY, webhooks: {} }, false, false))).toEqual([
      'webhooks: settings were given but webhooks are not on: add webhooks: true to forRootAsync',
    ]);
  });
});
