// Needs a PostgreSQL server: `npm run test:pg` (DUBAN_TEST_DATABASE) runs the *.pg.test.ts files;
// `npm test` leaves them out rather than skipping them.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import pg from "pg";
import { testDatabaseServer } from "../testing.ts";
import { applyMigrations, migrationNames, POSTGRES_MIGRATIONS_DIR, schemaProblems } from "./migrations.ts";
import { prismaCopy } from "../../test/prisma-copy.ts";
import { dropDatabaseWhenFree } from "../drop-database.ts";

const dir = mkdtempSync(path.join(os.tmpdir(), "duban-pg-migrations-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("PostgreSQL migrations (real PostgreSQL)", () => {
  const server = testDatabaseServer()!;
  const database = (name: string) => {
    const url = new URL(server);
    url.pathname = `/${name}`;
    return url.toString();
  };

  it("applies the PostgreSQL history once and records it like the Prisma CLI", async () => {
    const name = `duban_migrate_${Date.now()}`;
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${name}"`);
      const names = migrationNames(POSTGRES_MIGRATIONS_DIR);
      expect(await applyMigrations(database(name))).toEqual(names);
      expect(await applyMigrations(database(name))).toEqual([]);
      const client = new pg.Client({ connectionString: database(name) });
      await client.connect();
      const rows = await client.query("select migration_name, finished_at from _prisma_migrations order by migration_name");
      await client.end();
      expect(rows.rows.map((r: { migration_name: string }) => r.migration_name)).toEqual(names);
    } finally {
      await dropDatabaseWhenFree((sql) => admin.query(sql), name);
      await admin.end();
    }
  });

  it("db:check replays the PostgreSQL history in a shadow database and catches a hand-edited migration", async () => {
    expect(await schemaProblems(path.join(dir, "pg-check.db"), server)).toEqual([]);
    const copy = prismaCopy();
    try {
      const last = migrationNames(copy.paths.postgresMigrations).at(-1)!;
      writeFileSync(path.join(copy.paths.postgresMigrations, last, "migration.sql"), "-- emptied by hand\n");
      const problems = await schemaProblems(copy.scratch, server, copy.paths);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain("replayed on PostgreSQL");
    } finally {
      copy.done();
    }
  });
});
