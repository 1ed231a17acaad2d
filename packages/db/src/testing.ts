/**
 * Temporary databases for tests that need a real one. SQLite by default: a migrated template
 * file is built once per test process through the real migration path, then copied per test.
 * With DUBAN_TEST_DATABASE=postgresql://… (a role that may CREATE DATABASE), PostgreSQL: a
 * migrated template database, named after the history it holds, is built once on that server
 * and each test gets `CREATE DATABASE … TEMPLATE` of it, dropped at cleanup.
 */
import { createHash, randomUUID } from "node:crypto";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createDb, type DatabaseProvider, type Db } from "./client.ts";
import { applyMigrations, migrationNames, POSTGRES_MIGRATIONS_DIR } from "./migrate/migrations.ts";
import { dropDatabaseWhenFree } from "./drop-database.ts";

/** The PostgreSQL server tests may create databases on, or null (SQLite only). */
export function testDatabaseServer(): string | null {
  return process.env.DUBAN_TEST_DATABASE || null;
}

/** The providers a test parametrized over databases runs on here: SQLite, and PostgreSQL when given. */
export function testProviders(): DatabaseProvider[] {
  return testDatabaseServer() ? ["sqlite", "postgresql"] : ["sqlite"];
}

export interface TestDb {
  db: Db;
  provider: DatabaseProvider;
  url: string;
  /** The SQLite file; null on PostgreSQL. */
  file: string | null;
  /** A second, independent client on the same database (a "second process"). */
  connect(): Db;
  cleanup(): Promise<void>;
}

/**
 * A fresh migrated database. The provider defaults to PostgreSQL when DUBAN_TEST_DATABASE is set
 * (so `npm run test:pg` runs every use-case test on PostgreSQL), SQLite otherwise.
 */
export async function createTestDb(options: { provider?: DatabaseProvider } = {}): Promise<TestDb> {
  const provider = options.provider ?? (testDatabaseServer() ? "postgresql" : "sqlite");
  return provider === "postgresql" ? createPostgresTestDb() : createSqliteTestDb();
}

function clientsOf(url: string) {
  const clients: Db[] = [];
  const connect = () => {
    const client = createDb(url);
    clients.push(client);
    return client;
  };
  return { connect, disconnect: () => Promise.all(clients.map((client) => client.$disconnect())) };
}

let sqliteTemplate: Promise<string> | null = null;

function migratedSqliteTemplate(): Promise<string> {
  sqliteTemplate ??= (async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "duban-template-"));
    const file = path.join(dir, "template.db");
    await applyMigrations(file);
    return file;
  })();
  return sqliteTemplate;
}

async function createSqliteTestDb(): Promise<TestDb> {
  const source = await migratedSqliteTemplate();
  const dir = mkdtempSync(path.join(os.tmpdir(), "duban-test-"));
  const file = path.join(dir, "test.db");
  copyFileSync(source, file);
  const url = `file:${file}`;
  const clients = clientsOf(url);
  return {
    db: clients.connect(),
    provider: "sqlite",
    url,
    file,
    connect: clients.connect,
    async cleanup() {
      await clients.disconnect();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function requireServer(): string {
  const server = testDatabaseServer();
  if (!server) throw new Error("PostgreSQL tests need DUBAN_TEST_DATABASE=postgresql://user:password@host:5432/db (a role that may CREATE DATABASE)");
  return server;
}

function databaseUrl(server: string, database: string): string {
  const url = new URL(server);
  url.pathname = `/${database}`;
  return url.toString();
}

let admin: pg.Pool | null = null;
function adminPool(server: string): pg.Pool {
  admin ??= new pg.Pool({ connectionString: server, max: 2, idleTimeoutMillis: 1000, allowExitOnIdle: true });
  return admin;
}

let postgresTemplate: Promise<string> | null = null;

/**
 * The template database for the current PostgreSQL history, built once per server and role
 * (only its owner may copy it): test processes running at the same time take turns with an
 * advisory lock, and the template is renamed into place only when fully migrated. A changed
 * history gets a new name.
 */
function migratedPostgresTemplate(server: string): Promise<string> {
  postgresTemplate ??= (async () => {
    const hash = createHash("sha256").update(decodeURIComponent(new URL(server).username));
    for (const name of migrationNames(POSTGRES_MIGRATIONS_DIR)) hash.update(name).update(readFileSync(path.join(POSTGRES_MIGRATIONS_DIR, name, "migration.sql")));
    const name = `duban_template_${hash.digest("hex").slice(0, 16)}`;
    const client = await adminPool(server).connect();
    try {
      await client.query("SELECT pg_advisory_lock(hashtext('duban test template'))");
      const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
      if (exists.rowCount === 0) {
        const building = `${name}_building`;
        await client.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
        await client.query(`CREATE DATABASE "${building}"`);
        await applyMigrations(databaseUrl(server, building));
        await client.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
      }
    } finally {
      await client.query("SELECT pg_advisory_unlock(hashtext('duban test template'))").catch(() => undefined);
      client.release();
    }
    return name;
  })();
  postgresTemplate.catch(() => (postgresTemplate = null));
  return postgresTemplate;
}

async function createPostgresTestDb(): Promise<TestDb> {
  const server = requireServer();
  const template = await migratedPostgresTemplate(server);
  const database = `duban_test_${randomUUID().replaceAll("-", "").slice(0, 20)}`;
  await adminPool(server).query(`CREATE DATABASE "${database}" TEMPLATE "${template}"`);
  const url = databaseUrl(server, database);
  const clients = clientsOf(url);
  return {
    db: clients.connect(),
    provider: "postgresql",
    url,
    file: null,
    connect: clients.connect,
    async cleanup() {
      await clients.disconnect();
      await dropDatabase(server, database);
    },
  };
}

/** Drops a test database (see dropDatabaseWhenFree: an autovacuum worker may hold it a moment). */
function dropDatabase(server: string, database: string): Promise<void> {
  return dropDatabaseWhenFree((sql) => adminPool(server).query(sql), database);
}
