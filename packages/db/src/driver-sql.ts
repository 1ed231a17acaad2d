import type { ArgType, SqlDriverAdapter, SqlQuery, SqlQueryable, SqlResultSet } from "@prisma/driver-adapter-utils";
import { ColumnTypeEnum } from "@prisma/driver-adapter-utils";
import type { Db } from "./client.ts";
import { Prisma } from "./generated/prisma/client.ts";

/**
 * Raw statements for the hottest paths (a liaison's reply), sent through the Prisma client's own
 * driver adapter: the same connection, the same SQL and parameters as `$queryRaw`, the same
 * transaction lock on SQLite, statements counted the same (statement-counter.ts). What it skips
 * is the client's per-query machinery (parameters serialized to JSON and back, the query
 * interpreter, transaction bookkeeping): measured, a `$queryRaw` costs about 100 µs of CPU, an
 * interactive transaction of four statements about 700 µs; through the adapter 15 µs and 160 µs.
 * Rows come back as objects of the driver's values: integers as numbers (bigint past 2^53),
 * DateTime columns as Date, booleans as booleans; a value computed in SQL keeps the driver's
 * type (a date from a subquery may be an ISO string), as with `$queryRaw`.
 */
export interface SqlRunner {
  query<T = Record<string, unknown>>(statement: Prisma.Sql): Promise<T[]>;
  /** The number of rows changed. */
  execute(statement: Prisma.Sql): Promise<number>;
}

interface Connected {
  adapter: SqlDriverAdapter;
  placeholders: "?" | "$n";
}

/** The adapter each client created by createDb is connected through (set on connect, cleared on dispose). */
const adapters = new WeakMap<object, Connected | null>();

/** createDb's hook: remembers the adapter a client connects through. */
export function trackAdapter<F extends { connect(): Promise<SqlDriverAdapter> }>(factory: F, register: (adapter: SqlDriverAdapter | null) => void): F {
  return new Proxy(factory, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver);
      if (property !== "connect") return typeof value === "function" ? value.bind(object) : value;
      return async () => {
        const adapter: SqlDriverAdapter = await object.connect();
        register(adapter);
        const dispose = adapter.dispose.bind(adapter);
        adapter.dispose = async () => {
          register(null);
          await dispose();
        };
        return adapter;
      };
    },
  });
}

export function registerClient(db: object): (adapter: SqlDriverAdapter | null) => void {
  adapters.set(db, null);
  return (adapter) => adapters.set(db, adapter ? { adapter, placeholders: adapter.provider === "postgres" ? "$n" : "?" } : null);
}

async function connectedAdapter(db: Db): Promise<Connected | null> {
  if (!adapters.has(db)) return null;
  let connected = adapters.get(db) ?? null;
  if (!connected) {
    // Prisma connects lazily (and again after $disconnect): the first statement connects it.
    await db.$connect();
    connected = adapters.get(db) ?? null;
  }
  return connected;
}

/** Prisma's own mapping of raw parameters (what `$queryRaw` sends the adapter). */
function argType(value: unknown): ArgType {
  if (value instanceof Date) return { scalarType: "datetime", arity: "scalar" };
  if (typeof value === "bigint") return { scalarType: "bigint", arity: "scalar" };
  if (typeof value === "number") return { scalarType: "decimal", arity: "scalar" };
  if (typeof value === "string") return { scalarType: "string", arity: "scalar" };
  if (value instanceof Uint8Array) return { scalarType: "bytes", arity: "scalar" };
  return { scalarType: "unknown", arity: "scalar" };
}

function argOf(value: unknown): unknown {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new RangeError("invalid Date passed as a SQL parameter");
    return value;
  }
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Uint8Array && !Buffer.isBuffer(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return value === undefined ? null : value;
}

function toQuery(statement: Prisma.Sql, placeholders: Connected["placeholders"]): SqlQuery {
  const values = statement.values;
  return { sql: placeholders === "?" ? statement.sql : statement.text, args: values.map(argOf), argTypes: values.map(argType) };
}

function decode(value: unknown, type: number): unknown {
  if (value === null) return null;
  switch (type) {
    case ColumnTypeEnum.DateTime:
      return typeof value === "string" || typeof value === "number" ? new Date(value) : value;
    case ColumnTypeEnum.Int64:
      if (typeof value === "string" || typeof value === "bigint") {
        const n = Number(value);
        return Number.isSafeInteger(n) ? n : BigInt(value);
      }
      return value;
    case ColumnTypeEnum.Boolean:
      return typeof value === "number" ? value !== 0 : value;
    default:
      return value;
  }
}

function rowsOf<T>(result: SqlResultSet): T[] {
  const { columnNames, columnTypes } = result;
  return result.rows.map((row) => {
    const object: Record<string, unknown> = {};
    for (let i = 0; i < columnNames.length; i++) object[columnNames[i]!] = decode(row[i], columnTypes[i]!);
    return object as T;
  });
}

/** A failed statement, with the database's own message and code ("SQLITE_CONSTRAINT_UNIQUE", "23505"). */
export class DriverSqlError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    options: { cause: unknown },
  ) {
    super(message, options);
    this.name = "DriverSqlError";
  }
}

function driverError(error: unknown): unknown {
  const cause = (error as { cause?: { originalMessage?: unknown; originalCode?: unknown; kind?: unknown } } | null)?.cause;
  if (!(error instanceof Error) || error.name !== "DriverAdapterError" || typeof cause !== "object" || cause === null) return error;
  const message = typeof cause.originalMessage === "string" ? cause.originalMessage : String(cause.kind ?? error.message);
  return new DriverSqlError(message, typeof cause.originalCode === "string" ? cause.originalCode : undefined, { cause: error });
}

function runnerOn(queryable: SqlQueryable, placeholders: Connected["placeholders"]): SqlRunner {
  return {
    query: async <T>(statement: Prisma.Sql) => {
      try {
        return rowsOf<T>(await queryable.queryRaw(toQuery(statement, placeholders)));
      } catch (error) {
        throw driverError(error);
      }
    },
    execute: async (statement) => {
      try {
        return await queryable.executeRaw(toQuery(statement, placeholders));
      } catch (error) {
        throw driverError(error);
      }
    },
  };
}

/** The same statements through the client's `$queryRaw` (a client not made by createDb, e.g. in a Prisma transaction). */
function clientRunner(db: Db | Prisma.TransactionClient): SqlRunner {
  return {
    query: <T>(statement: Prisma.Sql) => db.$queryRaw<T[]>(statement),
    execute: (statement) => db.$executeRaw(statement),
  };
}

/** Statements run one by one, each committed on its own. */
export async function driverSql(db: Db): Promise<SqlRunner> {
  const connected = await connectedAdapter(db);
  return connected ? runnerOn(connected.adapter, connected.placeholders) : clientRunner(db);
}

/**
 * One transaction (BEGIN … COMMIT, as the client's own: on SQLite it holds the adapter's
 * transaction lock, so it never interleaves with a `$transaction`); rolled back when `work` throws.
 */
export async function driverTransaction<T>(db: Db, work: (tx: SqlRunner) => Promise<T>): Promise<T> {
  const connected = await connectedAdapter(db);
  if (!connected) return db.$transaction((tx) => work(clientRunner(tx)));
  const tx = await connected.adapter.startTransaction();
  const end = async (sql: "COMMIT" | "ROLLBACK") => {
    await tx.executeRaw({ sql, args: [], argTypes: [] });
  };
  let result: T;
  try {
    result = await work(runnerOn(tx, connected.placeholders));
    await end("COMMIT");
  } catch (error) {
    // A failed COMMIT (SQLite busy) leaves the transaction open: it is rolled back too. The
    // error that stopped the work is the one reported.
    await end("ROLLBACK").catch(() => undefined);
    await tx.rollback();
    throw error;
  }
  await tx.commit();
  return result;
}

/** `sql\`… ${value}\``: a statement with its parameters, for SqlRunner (Prisma's own Sql template). */
export const sql = Prisma.sql;
/** Values joined for an IN list or a multi-row VALUES. */
export const join = Prisma.join;
