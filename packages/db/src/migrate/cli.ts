// Root scripts: `npm run db:migrate`, `npm run db:migration -- <name>`, `npm run db:check`.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { DEFAULT_DATABASE_URL, sqliteFilePath } from "../client.ts";
import { applyMigrations, createMigration, pendingSchemaChange, REPO_ROOT } from "./migrations.ts";

function scratch(): { file: string; done: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "duban-migrate-"));
  return { file: path.join(dir, "scratch.db"), done: () => rmSync(dir, { recursive: true, force: true }) };
}

async function main(): Promise<number> {
  const [command, name] = process.argv.slice(2);
  if (command === "apply") {
    const file = sqliteFilePath(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL, REPO_ROOT);
    const applied = await applyMigrations(file);
    console.log(applied.length ? `applied: ${applied.join(", ")}` : "database is up to date");
    return 0;
  }
  if (command === "create") {
    if (!name) {
      console.error("usage: npm run db:migration -- <snake_case_name>");
      return 2;
    }
    const s = scratch();
    try {
      const folder = await createMigration(name, s.file);
      console.log(folder ? `created ${path.relative(REPO_ROOT, folder)}/migration.sql` : "schema and migrations agree: nothing to create");
      return 0;
    } finally {
      s.done();
    }
  }
  if (command === "check") {
    const s = scratch();
    try {
      const sql = await pendingSchemaChange(s.file);
      if (sql.trim()) {
        console.error("prisma/schema.prisma differs from prisma/migrations. Create a migration: npm run db:migration -- <name>\n");
        console.error(sql);
        return 1;
      }
      console.log("schema and migrations agree");
      return 0;
    } finally {
      s.done();
    }
  }
  console.error("usage: db-migrate apply | create <name> | check");
  return 2;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
