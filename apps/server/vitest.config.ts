import { defineConfig } from "vitest/config";

// --expose-gc: the body-limit test collects garbage before reading RSS, so what it measures is
// memory the server still holds, not garbage a busy machine has not collected yet.
export default defineConfig({ test: { testTimeout: 30_000, hookTimeout: 60_000, execArgv: ["--expose-gc"] } });
