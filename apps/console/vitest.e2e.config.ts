import { defineConfig } from "vitest/config";

// Browser tests: the real server (Hono + tRPC + the built console) on 127.0.0.1 and a temporary
// SQLite database, driven through Debian's chromium with playwright-core. One file at a time,
// each with its own server and database.
export default defineConfig({
  test: {
    include: ["e2e/**/*.e2e.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
