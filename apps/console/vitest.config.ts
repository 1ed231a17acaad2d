import { defineConfig } from "vitest/config";

// Unit tests of the console's own logic; the browser tests (e2e/) run with `npm run test:e2e`.
export default defineConfig({ test: { include: ["src/**/*.test.ts"] } });
