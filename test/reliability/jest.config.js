/**
 * npm run test:reliability: the reliability scenarios (RELIABILITY.md). Not part of `npm test`: they
 * start their own MariaDB and the built service as child processes, kill them, and run for minutes.
 * One file per scenario, run one at a time in file-name order; RELIABILITY_SECONDS scales their
 * durations (default 60; CI sets a short value).
 */
const swc = ['@swc/jest', { swcrc: true }];

module.exports = {
  rootDir: __dirname,
  displayName: 'reliability',
  testMatch: ['<rootDir>/*.rel-spec.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testEnvironment: 'node',
  setupFiles: ['<rootDir>/../support/setup-env.ts'],
  globalSetup: '<rootDir>/global-setup.ts',
  globalTeardown: '<rootDir>/global-teardown.ts',
  testSequencer: '<rootDir>/sequencer.js',
  testTimeout: 15 * 60_000,
  maxWorkers: 1,
  // A handle left open (a socket of a killed server, a timer) must not keep the run alive after the
  // last scenario: the children are killed at exit (lib/service.ts) and globalTeardown stops MariaDB.
  forceExit: true,
};
