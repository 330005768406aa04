/** One runner for everything: unit specs beside the code, e2e and architecture specs under test/. */
const swc = ['@swc/jest', { swcrc: true }];
// Nest 12 ships ES modules; Jest on Node 20 cannot require them, so they are compiled to CommonJS
// like our own sources (Node itself loads them natively in `npm start`). content-disposition 3 comes
// with @fastify/static 10 (the Swagger UI's files).
const esmPackages = ['@nestjs/(common|core|event-emitter|mapped-types|platform-fastify|swagger|terminus|testing|typeorm)', 'cookie', 'content-disposition'];
const swcJs = ['@swc/jest', { swcrc: false, jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } }];
const common = {
  transform: { '^.+\\.ts$': swc, '^.+\\.m?js$': swcJs },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'json'],
  testEnvironment: 'node',
  setupFiles: ['<rootDir>/test/support/setup-env.ts'],
  // Hooks get 300 s (test/support/hook-timeout.ts); tests get testTimeout below.
  setupFilesAfterEnv: ['<rootDir>/test/support/hook-timeout.ts'],
};

module.exports = {
  // 30 s for a test: an ordinary e2e test takes well under 10 s on MariaDB on two shared cores. A file
  // whose tests need more says so at its top (jest.setTimeout, with the reason); hooks (app boots) get
  // 300 s (test/support/hook-timeout.ts). The figures are in the README ("Test timeouts"). The
  // reliability and differential suites have their own configs and timeouts.
  testTimeout: 30_000,
  maxWorkers: process.env.JEST_MAX_WORKERS ?? 2,
  projects: [
    { ...common, displayName: 'unit', rootDir: __dirname, testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      rootDir: __dirname,
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts', '<rootDir>/test/architecture/**/*.spec.ts'],
      // No secret in any log line or response of the file (test/support/secrets.ts).
      setupFilesAfterEnv: ['<rootDir>/test/support/hook-timeout.ts', '<rootDir>/test/support/secrets-check.ts'],
    },
  ],
};
