import { defineConfig } from 'vitest/config';

// The scale-out test (`npm run test:cluster`): it starts its own Redis Cluster
// (3 masters) and Postgres primary + streaming replica, then 7 service
// processes; one file, nothing in parallel, no shared servers needed.
export default defineConfig({
  test: {
    include: ['test/cluster/**/*.test.ts'],
    testTimeout: 400_000,
    hookTimeout: 400_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
