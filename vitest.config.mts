import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Native addons belong in child processes, not worker threads (vitest's own advice).
    pool: 'forks',
    testTimeout: 30_000,
  },
});
