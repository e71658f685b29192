import { defineConfig } from 'vitest/config';

// The fault tests (`npm run test:faults`): real processes that the tests kill,
// stop and restart, one file at a time so they do not starve each other of CPU.
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    globalSetup: ['packages/testkit/src/global-setup.ts'],
    testTimeout: 240_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
