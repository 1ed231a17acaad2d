import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { DiffTarget, MigrationList } from "@prisma/schema-engine-wasm";
import Database from "better-sqlite3";
import { openSchemaEngine, type EngineTarget, type SchemaEngine } from "./engine.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, "../../../..");

/**
 * Where the schema and the two migration histories live. `schema` is the one file anyone
 * edits; `postgresSchema` is its PostgreSQL twin, written by `createMigration`.
 */
export interface SchemaPaths {
  schema: string;
  migrations: string;
  postgresSchema: string;
  postgresMigrations: string;
}

export function schemaPathsUnder(prismaDir: string): SchemaPaths {
  return {
    schema: path.join(prismaDir, "schema.prisma"),
    migrations: path.join(prismaDir, "migrations"),
    postgresSchema: path.join(prismaDir, "postgresql/schema.prisma"),
    postgresMigrations: path.join(prismaDir, "postgresql/migrations"),
  };
}

export const PATHS = schemaPathsUnder(path.join(REPO_ROOT, "prisma"));
export const SCHEMA_PATH = PATHS.schema;
export const MIGRATIONS_DIR = PATHS.migrations;
export const POSTGRES_SCHEMA_PATH = PATHS.postgresSchema;
export const POSTGRES_MIGRATIONS_DIR = PATHS.postgresMigrations;

const NO_FILTERS = { externalTables: [], externalEnums: [] };
const EMPTY_MIGRATION = "-- This is an empty migration.\n";

export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//.test(target);
}

const TWIN_HEADER = `// GENERATED from prisma/schema.prisma by \`npm run db:migration\`: do not edit.
// The PostgreSQL twin: the same models with provider "postgresql" and its own generated client;
// its migration history is prisma/postgresql/migrations (\`npm run db:check\` compares them).

`;

/** The PostgreSQL twin of the (portable) schema: only the provider and the client's folder differ. */
export function postgresSchemaOf(source: string): string {
  const provider = /(datasource\s+db\s*\{[^}]*?provider\s*=\s*)"sqlite"/;
  const output = /(output\s*=\s*)"\.\.\/packages\/db\/src\/generated\/prisma"/;
  if (!provider.test(source) || !output.test(source)) {
    throw new Error('prisma/schema.prisma: expected `provider = "sqlite"` in datasource db and the client output "../packages/db/src/generated/prisma"');
  }
  return TWIN_HEADER + source.replace(provider, '$1"postgresql"').replace(output, '$1"../../packages/db/src/generated/postgresql"');
}

/** Reads a migrations folder the way the Prisma CLI does. */
export function readMigrationList(dir = MIGRATIONS_DIR): MigrationList {
  const lockPath = path.join(dir, "migration_lock.toml");
  return {
    baseDir: dir,
    lockfile: { path: "migration_lock.toml", content: existsSync(lockPath) ? readFileSync(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: migrationNames(dir).map((name) => {
      const file = path.join(dir, name, "migration.sql");
      return {
        path: name,
        migrationFile: {
          path: "migration.sql",
          content: existsSync(file)
            ? { tag: "ok" as const, value: readFileSync(file, "utf8") }
            : { tag: "error" as const, value: `missing ${file}` },
        },
      };
    }),
  };
}

export function migrationNames(dir: string): string[] {
  return existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort()
    : [];
}

async function withEngine<T>(target: EngineTarget, schemaPath: string, run: (engine: SchemaEngine) => Promise<T>, schema?: string): Promise<T> {
  if (target.provider === "sqlite") mkdirSync(path.dirname(target.file), { recursive: true });
  const open = await openSchemaEngine(target, schemaPath, schema);
  try {
    return await run(open.engine);
  } finally {
    await open.close();
  }
}

/**
 * Applies pending migrations; returns the names applied (empty when up to date). `target` is a
 * SQLite file path, or a postgresql:// URL (then the PostgreSQL history applies).
 */
export async function applyMigrations(target: string, dir?: string): Promise<string[]> {
  if (isPostgresUrl(target)) {
    return withEngine({ provider: "postgresql", url: target }, POSTGRES_SCHEMA_PATH, async (engine) => {
      const result = await engine.applyMigrations({ migrationsList: readMigrationList(dir ?? POSTGRES_MIGRATIONS_DIR), filters: NO_FILTERS });
      return result.appliedMigrationNames;
    });
  }
  // The engine locks the SQLite file exclusively, which it cannot do while a server has it open:
  // a database already up to date (the usual case for the CLI and a second instance) is left alone.
  if (sqliteIsUpToDate(target, dir ?? MIGRATIONS_DIR)) return [];
  let names: string[];
  try {
    names = await withEngine({ provider: "sqlite", file: target }, SCHEMA_PATH, async (engine) => {
      const result = await engine.applyMigrations({ migrationsList: readMigrationList(dir ?? MIGRATIONS_DIR), filters: NO_FILTERS });
      return result.appliedMigrationNames;
    });
  } catch (error) {
    if (/SocketTimeout|database is locked|SQLITE_BUSY/i.test(String(error))) {
      throw new Error(`${target}: the database is in use by another process (a running server?) and has migrations to apply; stop it and try again. 数据库正被其他进程使用（如正在运行的服务器），需先停止再迁移。`, { cause: error });
    }
    throw error;
  }
  useWriteAheadLog(target);
  return names;
}

/**
 * True when every migration of the folder is recorded as applied in the file, with the same
 * checksum Prisma records (sha256 of migration.sql) — read without taking any lock.
 */
export function sqliteIsUpToDate(sqliteFile: string, dir = MIGRATIONS_DIR): boolean {
  if (!existsSync(sqliteFile)) return false;
  const sqlite = new Database(sqliteFile, { readonly: true, fileMustExist: true, timeout: 5000 });
  try {
    const table = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'").get();
    if (!table) return false;
    const rows = sqlite.prepare("SELECT migration_name AS name, checksum FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL").all() as Array<{ name: string; checksum: string }>;
    const applied = new Map(rows.map((r) => [r.name, r.checksum]));
    return readMigrationList(dir).migrationDirectories.every((m) => {
      const content = m.migrationFile.content;
      return content.tag === "ok" && applied.get(m.path) === createHash("sha256").update(content.value).digest("hex");
    });
  } finally {
    sqlite.close();
  }
}

/**
 * WAL lets the console read while the scheduler writes, and lets a second instance wait for
 * the write lock instead of failing. The mode is stored in the file, so setting it once is enough.
 */
function useWriteAheadLog(sqliteFile: string): void {
  const sqlite = new Database(sqliteFile);
  try {
    sqlite.pragma("journal_mode = WAL");
  } finally {
    sqlite.close();
  }
}

async function diffScript(engine: SchemaEngine, from: DiffTarget, to: DiffTarget): Promise<string> {
  const result = await engine.diff({ from, to, script: true, exitCode: true, filters: NO_FILTERS });
  return result.exitCode === 2 ? (result.stdout ?? "") : "";
}

function historyTarget(dir: string): DiffTarget {
  const list = readMigrationList(dir);
  return list.migrationDirectories.length > 0 ? { tag: "migrations", ...list } : { tag: "empty" };
}

/** SQL that would bring the SQLite history up to the schema (replayed in a scratch file); "" when they agree. */
export async function pendingSchemaChange(scratchFile: string, dir = MIGRATIONS_DIR, schemaPath = SCHEMA_PATH): Promise<string> {
  const schema = readFileSync(schemaPath, "utf8");
  return withEngine({ provider: "sqlite", file: scratchFile }, schemaPath, (engine) =>
    diffScript(engine, historyTarget(dir), { tag: "schemaDatamodel", files: [{ path: schemaPath, content: schema }] }),
  );
}

/**
 * SQL that would bring the PostgreSQL history up to the schema's twin, replayed in a shadow
 * database that is created and dropped on the server of `serverUrl` (needs CREATEDB); "" when they agree.
 */
export async function pendingPostgresChange(serverUrl: string, paths: SchemaPaths = PATHS): Promise<string> {
  const twin = postgresSchemaOf(readFileSync(paths.schema, "utf8"));
  return withEngine(
    { provider: "postgresql", url: serverUrl },
    paths.postgresSchema,
    (engine) => diffScript(engine, historyTarget(paths.postgresMigrations), { tag: "schemaDatamodel", files: [{ path: paths.postgresSchema, content: twin }] }),
    twin,
  );
}

/**
 * PostgreSQL SQL from one twin to the next, computed from the two schemas alone (no database):
 * the committed twin is the schema as of the last PostgreSQL migration.
 */
async function postgresChange(fromTwin: string | null, toTwin: string, twinPath: string): Promise<string> {
  return withEngine(
    { provider: "postgresql", url: null },
    twinPath,
    (engine) =>
      diffScript(
        engine,
        fromTwin === null ? { tag: "empty" } : { tag: "schemaDatamodel", files: [{ path: twinPath, content: fromTwin }] },
        { tag: "schemaDatamodel", files: [{ path: twinPath, content: toTwin }] },
      ),
    toTwin,
  );
}

function writeLock(dir: string, provider: "sqlite" | "postgresql"): void {
  const lock = path.join(dir, "migration_lock.toml");
  if (!existsSync(lock)) {
    writeFileSync(lock, `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${provider}"\n`);
  }
}

export interface CreatedMigration {
  sqlite: string;
  postgresql: string;
}

/**
 * One schema change, two migrations: writes prisma/migrations/<stamp>_<name>/migration.sql
 * (replayed SQLite history → schema) and prisma/postgresql/migrations/<stamp>_<name>/migration.sql
 * (committed twin → new twin), then the new twin. Null when the schema did not change.
 */
export async function createMigration(name: string, scratchFile: string, now = new Date(), paths: SchemaPaths = PATHS): Promise<CreatedMigration | null> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`migration name must be snake_case (a-z, 0-9, _), got "${name}"`);
  const twin = postgresSchemaOf(readFileSync(paths.schema, "utf8"));
  const committedTwin = existsSync(paths.postgresSchema) ? readFileSync(paths.postgresSchema, "utf8") : null;
  const sqliteSql = await pendingSchemaChange(scratchFile, paths.migrations, paths.schema);
  const postgresSql = await postgresChange(committedTwin, twin, paths.postgresSchema);
  mkdirSync(path.dirname(paths.postgresSchema), { recursive: true });
  // A change without SQL (a comment, the client's options) still updates the twin.
  writeFileSync(paths.postgresSchema, twin);
  if (!sqliteSql.trim() && !postgresSql.trim()) return null;

  const stamp = now.toISOString().replace(/[-:T]/g, "").slice(0, 14);
  const write = (dir: string, provider: "sqlite" | "postgresql", sql: string) => {
    const folder = path.join(dir, `${stamp}_${name}`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, "migration.sql"), sql.trim() ? sql : EMPTY_MIGRATION);
    writeLock(dir, provider);
    return folder;
  };
  return { sqlite: write(paths.migrations, "sqlite", sqliteSql), postgresql: write(paths.postgresMigrations, "postgresql", postgresSql) };
}

/**
 * What `db:check` reports: the SQLite history against the schema, the twin against the schema,
 * the two histories name by name, and — given a PostgreSQL server to make a shadow database
 * on — the PostgreSQL history against the twin. Empty when all agree.
 */
export async function schemaProblems(scratchFile: string, postgresServer: string | null, paths: SchemaPaths = PATHS): Promise<string[]> {
  const problems: string[] = [];
  const rel = (p: string) => path.relative(REPO_ROOT, p);
  const sqliteSql = await pendingSchemaChange(scratchFile, paths.migrations, paths.schema);
  if (sqliteSql.trim()) problems.push(`${rel(paths.schema)} differs from ${rel(paths.migrations)}:\n${sqliteSql}`);
  const twin = postgresSchemaOf(readFileSync(paths.schema, "utf8"));
  if (!existsSync(paths.postgresSchema) || readFileSync(paths.postgresSchema, "utf8") !== twin) {
    problems.push(`${rel(paths.postgresSchema)} is not the twin of ${rel(paths.schema)}`);
  }
  const sqliteNames = migrationNames(paths.migrations);
  const postgresNames = migrationNames(paths.postgresMigrations);
  const onlySqlite = sqliteNames.filter((n) => !postgresNames.includes(n));
  const onlyPostgres = postgresNames.filter((n) => !sqliteNames.includes(n));
  if (onlySqlite.length) problems.push(`migrations without a PostgreSQL twin in ${rel(paths.postgresMigrations)}: ${onlySqlite.join(", ")}`);
  if (onlyPostgres.length) problems.push(`migrations without a SQLite twin in ${rel(paths.migrations)}: ${onlyPostgres.join(", ")}`);
  const lock = readMigrationList(paths.postgresMigrations).lockfile.content ?? "";
  if (!lock.includes('provider = "postgresql"')) problems.push(`${rel(paths.postgresMigrations)}/migration_lock.toml must say provider = "postgresql"`);
  if (postgresServer) {
    const postgresSql = await pendingPostgresChange(postgresServer, paths);
    if (postgresSql.trim()) problems.push(`the twin differs from ${rel(paths.postgresMigrations)} (replayed on PostgreSQL):\n${postgresSql}`);
  }
  return problems;
}
