/**
 * npm run test:scale: the multi-instance proof. Not part of `npm test`: it starts one MariaDB, one
 * Redis and three instances of the built service as child processes, spreads traffic across them, and
 * kills one. Ports and folders come from SCALE_* variables (test/scale/lib/env.ts). Otherwise set up
 * like the reliability scenarios (their config: children killed at exit, forceExit, one worker).
 */
const { testSequencer: _byName, ...reliability } = require('../reliability/jest.config.js');

module.exports = {
  ...reliability,
  rootDir: __dirname,
  displayName: 'scale',
  testMatch: ['<rootDir>/*.scale-spec.ts'],
  testTimeout: 120_000,
};
