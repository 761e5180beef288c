import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Runs only the harness self-test (tests/e2e/harness.test.ts), independently of the project's
 * vitest.config.ts: node environment, one file at a time (it starts real daemons and a browser on a
 * two-core machine), no retries so flakiness shows.
 *
 *   npx vitest run --config tests/e2e/harness/vitest.harness.config.ts
 */
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../../..', import.meta.url)),
    include: ['tests/e2e/harness.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    retry: 0,
  },
});
