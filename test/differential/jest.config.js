/**
 * npm run test:differential: the differential test (test/differential/differential.diff-spec.ts), which
 * compares the service on SQLite with the service on MariaDB/MySQL (TEST_DATABASE_URL; skipped
 * without it). Not part of `npm test`: it takes minutes and one database server. Same transforms as the
 * e2e project; Jest's fake clock replaces Date only (timers, ticks and performance stay real), so that
 * both instances stamp every write with the same instant (the spec moves it forward).
 */
const root = require('../../jest.config.js');
const e2e = root.projects.find((p) => p.displayName === 'e2e');

module.exports = {
  ...e2e,
  displayName: 'differential',
  testMatch: ['<rootDir>/test/differential/**/*.diff-spec.ts'],
  maxWorkers: 1,
  fakeTimers: {
    enableGlobally: process.env.DIFF_REAL_CLOCK !== '1',
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'requestAnimationFrame',
      'cancelAnimationFrame',
      'requestIdleCallback',
      'cancelIdleCallback',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  },
};
