/**
 * Hooks without a timeout of their own get 300 s; tests get jest.config.js's 30 s (or their file's
 * jest.setTimeout). Hooks are where apps boot (beforeAll) and shut down (afterAll): a boot on MariaDB
 * took up to 30 s, and the isolation matrix's setup 146 s, while the two cores ran other suites
 * (README, "Tests and CI", test timeouts). A hung test still fails within its 30 s; a slow boot on a busy machine
 * does not fail at all.
 */
const HOOK_TIMEOUT = 300_000;

type Hook = (fn: jest.ProvidesHookCallback, timeout?: number) => void;
const hooks = globalThis as unknown as Record<'beforeAll' | 'afterAll' | 'beforeEach' | 'afterEach', Hook>;
for (const name of ['beforeAll', 'afterAll', 'beforeEach', 'afterEach'] as const) {
  const register = hooks[name];
  hooks[name] = (fn, timeout = HOOK_TIMEOUT) => register(fn, timeout);
}
