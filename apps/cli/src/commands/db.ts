import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { applyMigrations, pendingSchemaChange } from "@duban/db/migrate/migrations";
import { type CliIo, databaseFile, UsageError } from "../io.ts";

export async function dbCommand(args: string[], io: CliIo): Promise<number> {
  const [sub] = args;
  if (sub === "migrate") {
    const applied = await applyMigrations(databaseFile(io));
    io.out(applied.length ? `applied: ${applied.join(", ")}` : "database is up to date");
    return 0;
  }
  if (sub === "check") {
    const dir = mkdtempSync(path.join(os.tmpdir(), "duban-check-"));
    try {
      const sql = await pendingSchemaChange(path.join(dir, "scratch.db"));
      if (sql.trim()) {
        io.err("prisma/schema.prisma differs from prisma/migrations; create one with: npm run db:migration -- <name>");
        io.err(sql);
        return 1;
      }
      io.out("schema and migrations agree");
      return 0;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  throw new UsageError("usage: db migrate | db check");
}
