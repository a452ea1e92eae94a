import { defineConfig } from 'vitest/config';

// End-to-end tests: the real C++ server (started by e2e/global-setup.ts on a
// fresh SQLite database) driven through Debian's Chromium by playwright-core.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['e2e/**/*.e2e.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 90_000,
    reporters: ['default'],
  },
});
