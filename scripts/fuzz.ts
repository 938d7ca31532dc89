import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

/**
 * A long fuzz run of every operation of the OpenAPI documents:
 * `npm run fuzz -- --runs 2000 --seed 7` (per operation; PostgreSQL with TEST_DATABASE_URL).
 */
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '1000' },
    seed: { type: 'string', default: String(Date.now() % 2_147_483_647) },
  },
});
for (const [name, value] of Object.entries(values)) {
  if (!/^\d+$/.test(value)) {
    console.error(`--${name} must be a whole number, not ${value}`);
    process.exit(2);
  }
}
console.log(`fuzzing with --runs ${values.runs} --seed ${values.seed}`);
const result = spawnSync(
  'npx',
  ['jest', '-c', 'test/jest-e2e.config.js', '--testTimeout', '86400000', 'test/fuzz'],
  {
    stdio: 'inherit',
    env: {
      ...process.env,
      FUZZ_RUNS: values.runs,
      FUZZ_SEED: values.seed,
      NODE_OPTIONS: [process.env.NODE_OPTIONS, '--experimental-vm-modules']
        .filter(Boolean)
        .join(' '),
    },
  },
);
process.exit(result.status ?? 1);
