const base = require('../jest.config');

/** e2e: the real app over HTTP with real tokens, on PGlite or (TEST_DATABASE_URL) PostgreSQL. */
module.exports = {
  rootDir: '..',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
  transform: base.transform,
  transformIgnorePatterns: base.transformIgnorePatterns,
  testTimeout: 60_000,
  maxWorkers: 1,
};
