import { assertNoSecretLeaks } from './secrets';

/**
 * Loaded after the test framework in every e2e file (jest.config.js): a file in which any log line
 * or response carried a secret (test/support/secrets.ts) fails, with each offending text redacted.
 * TestApi.close() checks again, for what the app logs while it shuts down.
 */
afterAll(() => assertNoSecretLeaks());
