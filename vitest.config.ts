import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'services/*/src/**/*.test.ts',
      'services/*/test/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    // The fault tests kill and restart real processes, the cluster test starts its own servers; each runs on its own (`npm run test:faults`, `npm run test:cluster`).
    exclude: [...configDefaults.exclude, 'test/faults/**', 'test/cluster/**'],
    globalSetup: ['packages/testkit/src/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
