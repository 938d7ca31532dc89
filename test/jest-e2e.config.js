const base = require('../jest.config');

/**
 * e2e: the real app over HTTP with real tokens; integration: repositories and services on the
 * database module alone. Both on PGlite or (TEST_DATABASE_URL) PostgreSQL.
 */
module.exports = {
  rootDir: '..',
  testEnvironment: 'node',
  testMatch: [
    '<rootDir>/test/e2e/**/*.e2e-spec.ts',
    '<rootDir>/test/fuzz/**/*.e2e-spec.ts',
    '<rootDir>/test/integration/**/*.int-spec.ts',
  ],
  transform: base.transform,
  transformIgnorePatterns: base.transformIgnorePatterns,
  // Starting an app (a fresh PGlite and every migration) takes over a minute on a loaded machine.
  testTimeout: 120_000,
  // On PGlite every app has a database of its own, so files run side by side; on PostgreSQL the
  // suites share one database (and the expiry job deletes across it), so they run one at a time.
  maxWorkers: process.env.TEST_DATABASE_URL ? 1 : Number(process.env.E2E_WORKERS ?? 2),
};
