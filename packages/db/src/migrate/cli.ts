// Root scripts: `npm run db:migrate`, `npm run db:migration -- <name>`, `npm run db:check`.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { DEFAULT_DATABASE_URL, migrationTarget } from "../client.ts";
import { defaultBackupDir } from "../backup/backup.ts";
import { migrateWithBackup } from "../backup/safe-migrate.ts";
import { createMigration, REPO_ROOT, schemaProblems } from "./migrations.ts";

function scratch(): { file: string; done: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "duban-migrate-"));
  return { file: path.join(dir, "scratch.db"), done: () => rmSync(dir, { recursive: true, force: true }) };
}

async function main(): Promise<number> {
  const [command, name] = process.argv.slice(2);
  if (command === "apply") {
    const target = migrationTarget(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL, REPO_ROOT);
    const backupDir = process.env.BACKUP_DIR ? path.resolve(REPO_ROOT, process.env.BACKUP_DIR) : defaultBackupDir(target);
    const { applied } = await migrateWithBackup(target, { backupDir, now: new Date(), warn: (m) => console.error(m) });
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
      const created = await createMigration(name, s.file);
      if (!created) {
        console.log("schema and migrations agree: nothing to create");
        return 0;
      }
      for (const folder of [created.sqlite, created.postgresql]) console.log(`created ${path.relative(REPO_ROOT, folder)}/migration.sql`);
      console.log("updated prisma/postgresql/schema.prisma; run `npm run db:generate` for the clients");
      return 0;
    } finally {
      s.done();
    }
  }
  if (command === "check") {
    // Replaying the PostgreSQL history needs a server to make a shadow database on.
    const server = process.env.DUBAN_TEST_DATABASE || null;
    const s = scratch();
    try {
      const problems = await schemaProblems(s.file, server);
      if (problems.length) {
        console.error("prisma/schema.prisma and the migrations differ. Create a migration: npm run db:migration -- <name>\n");
        for (const problem of problems) console.error(`- ${problem}`);
        return 1;
      }
      console.log(
        server
          ? "schema and migrations agree (SQLite and PostgreSQL histories replayed)"
          : "schema and migrations agree (SQLite history replayed; PostgreSQL history checked by name — set DUBAN_TEST_DATABASE=postgresql://… to replay it)",
      );
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
