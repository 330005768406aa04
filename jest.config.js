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
};

module.exports = {
  // Generous: the suite runs on two cores, twice in CI (SQLite, MariaDB).
  testTimeout: 180_000,
  maxWorkers: process.env.JEST_MAX_WORKERS ?? 2,
  projects: [
    { ...common, displayName: 'unit', rootDir: __dirname, testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      rootDir: __dirname,
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts', '<rootDir>/test/architecture/**/*.spec.ts'],
      // No secret in any log line or response of the file (test/support/secrets.ts).
      setupFilesAfterEnv: ['<rootDir>/test/support/secrets-check.ts'],
    },
  ],
};
