// Runs `prisma generate` offline, once per provider: the SQLite client from prisma/schema.prisma
// and the PostgreSQL client from its twin, prisma/postgresql/schema.prisma (Prisma 7's generated
// client is provider-specific). Prisma's CLI insists on a schema-engine binary it would
// download; generation does not use it, so any existing file satisfies the check.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
for (const schema of ["prisma/schema.prisma", "prisma/postgresql/schema.prisma"]) {
  const result = spawnSync("npx", ["--no-install", "prisma", "generate", "--schema", schema], {
    cwd: root,
    stdio: "inherit",
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
      CHECKPOINT_DISABLE: "1",
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
    },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
