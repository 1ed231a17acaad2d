import { mkdirSync } from "node:fs";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import Database from "better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as PostgresPrismaClient } from "./generated/postgresql/client.ts";
import { PrismaClient } from "./generated/prisma/client.ts";
import { countingAdapter, type StatementListener } from "./statement-counter.ts";
import { registerClient, trackAdapter } from "./driver-sql.ts";

export type Db = InstanceType<typeof PrismaClient>;
export type { Prisma } from "./generated/prisma/client.ts";

export const DEFAULT_DATABASE_URL = "file:./data/duban.db";

export type DatabaseProvider = "sqlite" | "postgresql";

/** Which database a DATABASE_URL names: `file:` SQLite, `postgresql://` (or `postgres://`) PostgreSQL. */
export function databaseProvider(databaseUrl: string): DatabaseProvider {
  if (databaseUrl.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return "postgresql";
  throw new Error(`DATABASE_URL must be a SQLite "file:" URL or a "postgresql://" URL, got "${databaseUrl.replace(/\/\/[^@/]*@/, "//…@")}"`);
}

/** The SQLite file a `file:` URL points at, resolved against `cwd`. */
export function sqliteFilePath(databaseUrl: string, cwd = process.cwd()): string {
  if (!databaseUrl.startsWith("file:")) {
    throw new Error(`not a SQLite "file:" URL: "${databaseUrl.replace(/\/\/[^@/]*@/, "//…@")}"`);
  }
  const file = databaseUrl.slice("file:".length).split("?")[0] ?? "";
  return path.isAbsolute(file) ? file : path.resolve(cwd, file);
}

/** DATABASE_URL with a relative SQLite path made absolute against `cwd`; PostgreSQL URLs as given. */
export function resolveDatabaseUrl(databaseUrl: string, cwd = process.cwd()): string {
  return databaseProvider(databaseUrl) === "sqlite" ? `file:${sqliteFilePath(databaseUrl, cwd)}` : databaseUrl;
}

/** What `applyMigrations` takes for DATABASE_URL: the SQLite file, or the PostgreSQL URL. */
export function migrationTarget(databaseUrl: string, cwd = process.cwd()): string {
  return databaseProvider(databaseUrl) === "sqlite" ? sqliteFilePath(databaseUrl, cwd) : databaseUrl;
}

/**
 * Errors carry Prisma's message and code but no code frame: the other formats capture a stack
 * trace on every query, in case it fails (a tenth of a reply's time in the client).
 */
const ERROR_FORMAT = "minimal";

/**
 * Creates a Prisma client for DATABASE_URL: SQLite through better-sqlite3 (creating the folder),
 * or PostgreSQL through node-postgres.
 */
export function createDb(databaseUrl: string = DEFAULT_DATABASE_URL, options: { onStatement?: StatementListener } = {}): Db {
  const db = openDb(databaseUrl, options);
  providers.set(db, databaseProvider(databaseUrl));
  return db;
}

/** Which database each client of `createDb` talks to (bulk statements differ in their SQL). */
const providers = new WeakMap<Db, DatabaseProvider>();

/** The provider of a client made by `createDb` (SQLite for any other). */
export function providerOf(db: Db): DatabaseProvider {
  return providers.get(db) ?? "sqlite";
}

function openDb(databaseUrl: string, options: { onStatement?: StatementListener }): Db {
  const counted = <F extends Parameters<typeof countingAdapter>[0]>(factory: F): F => (options.onStatement ? countingAdapter(factory, options.onStatement) : factory);
  if (databaseProvider(databaseUrl) === "postgresql") {
    // Prisma 7 generates a client per provider, and the SQLite one refuses a pg adapter. Both are
    // generated from the same models (prisma/postgresql/schema.prisma is the twin of
    // prisma/schema.prisma), so their APIs are the same but for the transaction isolation levels
    // PostgreSQL adds: the SQLite type, `Db`, is the common ground every caller is written against.
    let register: ReturnType<typeof registerClient> = () => undefined;
    const client = new PostgresPrismaClient({ adapter: trackAdapter(counted(new PrismaPg({ connectionString: databaseUrl })), (a) => register(a)), errorFormat: ERROR_FORMAT }) as Db;
    register = registerClient(client);
    return client;
  }
  const file = sqliteFilePath(databaseUrl);
  mkdirSync(path.dirname(file), { recursive: true });
  // busy timeout: two schedulers on one file wait for each other's write lock instead of failing.
  const adapter = new PrismaBetterSqlite3({ url: `file:${file}`, timeout: 5000 });
  let register: ReturnType<typeof registerClient> = () => undefined;
  const client = new PrismaClient({ adapter: trackAdapter(counted(withSqlitePragmas(adapter)), (a) => register(a)), errorFormat: ERROR_FORMAT });
  register = registerClient(client);
  return client;
}


/**
 * Per-connection SQLite settings. The file is in WAL mode (set by the migrations, persistent);
 * with WAL, synchronous=NORMAL syncs at checkpoints instead of every commit: a commit survives
 * the process being killed, and only an OS crash or power loss can take the last moments back.
 * Prepared statements are kept (see cachePreparedStatements).
 */
function withSqlitePragmas(factory: PrismaBetterSqlite3): PrismaBetterSqlite3 {
  return new Proxy(factory, {
    get(object, property, receiver) {
      if (property !== "connect") {
        const value = Reflect.get(object, property, receiver);
        return typeof value === "function" ? value.bind(object) : value;
      }
      return async () => {
        const connection = await object.connect();
        await connection.executeScript("PRAGMA synchronous = NORMAL;");
        const holder = connection as unknown as { client?: unknown };
        if (holder.client instanceof Database) holder.client = cachePreparedStatements(holder.client);
        return connection;
      };
    },
  });
}

/** How many distinct SQL texts keep their prepared statement (least recently used dropped first). */
const PREPARED_STATEMENT_CACHE = 500;

/**
 * The better-sqlite3 adapter prepares every statement anew (`prepare(sql).bind(args)`), and on
 * the reply path preparing (parsing and planning) costs more than running. This hands it the
 * same SQLite statement again for the same SQL text, bound per call instead of once; SQLite
 * re-prepares a kept statement by itself when the schema changes. Only the calls the adapter
 * makes (`prepare(sql).run()`, `prepare(sql).bind(args)` then `reader`, `run`, `columns`, `raw().all()`)
 * are served.
 */
function cachePreparedStatements(database: Database.Database): Database.Database {
  const cache = new Map<string, KeptStatement>();
  const prepare = (sql: string) => {
    let kept = cache.get(sql);
    if (kept) {
      cache.delete(sql);
    } else {
      kept = keep(database.prepare<unknown[]>(sql));
      if (cache.size >= PREPARED_STATEMENT_CACHE) cache.delete(cache.keys().next().value!);
    }
    cache.set(sql, kept);
    return kept.prepared;
  };
  return new Proxy(database, {
    get(object, property) {
      if (property === "prepare") return prepare;
      const value = Reflect.get(object, property, object);
      return typeof value === "function" ? value.bind(object) : value;
    },
  });
}

interface KeptStatement {
  prepared: { reader: boolean; run(): Database.RunResult; bind(args: unknown[]): unknown };
}

/**
 * The objects the adapter is handed for one kept statement, made once: the adapter binds, then
 * reads or runs, all synchronously, so the arguments and rows of the current call are fields.
 */
function keep(statement: Database.Statement<unknown[]>): KeptStatement {
  let args: unknown[] = [];
  // The adapter asks for the columns before the rows. A kept statement is re-prepared by SQLite
  // when it runs after a schema change (`SELECT *` then has other columns), so the rows are read
  // first and the columns taken from the statement as it ran.
  let rows: unknown[] | null = null;
  const all = () => {
    const read = rows ?? statement.raw(true).all(args);
    rows = null;
    return read;
  };
  const bound = {
    reader: statement.reader,
    run: () => statement.run(args),
    columns: () => {
      rows = statement.raw(true).all(args);
      return statement.columns();
    },
    raw: () => raw,
  };
  const raw = { all };
  return {
    prepared: {
      reader: statement.reader,
      run: () => statement.run(),
      bind: (next: unknown[]) => {
        args = next;
        rows = null;
        return bound;
      },
    },
  };
}
