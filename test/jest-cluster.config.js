const base = require('../jest.config');

/**
 * Fault drills on the local cluster (PostgreSQL primary and replica, PgBouncer, Redis, three
 * instances, HAProxy). Run through `npm run test:cluster` (test/cluster/run.sh), which brings the
 * cluster up and down; neither `npm test` nor the e2e configuration picks these files up.
 */
module.exports = {
  rootDir: '..',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/cluster/**/*.cluster-spec.ts'],
  transform: base.transform,
  transformIgnorePatterns: base.transformIgnorePatterns,
  maxWorkers: 1,
  testTimeout: 180_000,
};
