import { cpSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { SCHEMA_PATH, schemaPathsUnder, type SchemaPaths } from "../src/migrate/migrations.ts";

/** A scratch copy of prisma/ (schema, twin, both histories) that a test may change. */
export function prismaCopy(): { paths: SchemaPaths; scratch: string; done: () => void } {
  const root = mkdtempSync(path.join(os.tmpdir(), "duban-prisma-copy-"));
  cpSync(path.dirname(SCHEMA_PATH), path.join(root, "prisma"), { recursive: true });
  return { paths: schemaPathsUnder(path.join(root, "prisma")), scratch: path.join(root, "scratch.db"), done: () => rmSync(root, { recursive: true, force: true }) };
}
