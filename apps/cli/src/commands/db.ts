import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { schemaProblems } from "@duban/db/migrate/migrations";
import { type CliIo, migrateDatabase, UsageError } from "../io.ts";

export async function dbCommand(args: string[], io: CliIo): Promise<number> {
  const [sub] = args;
  if (sub === "migrate") {
    const applied = await migrateDatabase(io);
    io.out(applied.length ? `applied: ${applied.join(", ")}` : "database is up to date");
    return 0;
  }
  if (sub === "check") {
    const dir = mkdtempSync(path.join(os.tmpdir(), "duban-check-"));
    try {
      // Both histories; the PostgreSQL one is replayed only given a server (DUBAN_TEST_DATABASE).
      const problems = await schemaProblems(path.join(dir, "scratch.db"), io.env.DUBAN_TEST_DATABASE || null);
      if (problems.length) {
        io.err("prisma/schema.prisma and the migrations differ; create a migration with: npm run db:migration -- <name>");
        for (const problem of problems) io.err(`- ${problem}`);
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
