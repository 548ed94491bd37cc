import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    globalSetup: ['test/setup/global-setup.ts'],
    exclude: ['node_modules/**', '.run/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: files that start Chromium or services must not all run at once.
    maxWorkers: 2,
    fileParallelism: true,
  },
});
