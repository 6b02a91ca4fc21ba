import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'packages/*/{src,test}/**/*.test.ts',
      'services/*/{src,test}/**/*.test.ts',
      'tools/**/*.test.ts',
      'e2e/**/*.test.ts',
    ],
    globalSetup: ['./tools/test/embeddedPostgres.globalSetup.ts'],
    reporters: ['default', './tools/test/summaryReporter.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration tests share one embedded PostgreSQL and real NATS: two workers fit a 2-core machine.
    maxWorkers: 2,
  },
});
