/**
 * Temporary SQLite databases for tests that need a real database. The migrated template is
 * built once per test process through the real migration path, then copied per test.
 */
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createDb, type Db } from "./client.ts";
import { applyMigrations } from "./migrate/migrations.ts";

let template: Promise<string> | null = null;

function migratedTemplate(): Promise<string> {
  template ??= (async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "duban-template-"));
    const file = path.join(dir, "template.db");
    await applyMigrations(file);
    return file;
  })();
  return template;
}

export interface TestDb {
  db: Db;
  url: string;
  file: string;
  /** A second, independent client on the same file (a "second process"). */
  connect(): Db;
  cleanup(): Promise<void>;
}

export async function createTestDb(): Promise<TestDb> {
  const source = await migratedTemplate();
  const dir = mkdtempSync(path.join(os.tmpdir(), "duban-test-"));
  const file = path.join(dir, "test.db");
  copyFileSync(source, file);
  const url = `file:${file}`;
  const clients: Db[] = [];
  const connect = () => {
    const client = createDb(url);
    clients.push(client);
    return client;
  };
  const db = connect();
  return {
    db,
    url,
    file,
    connect,
    async cleanup() {
      await Promise.all(clients.map((client) => client.$disconnect()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
