/**
 * Prisma's own schema engine, compiled to WebAssembly, driven through a driver adapter.
 * Prisma 7's CLI would download a native schema-engine binary, which this project cannot
 * rely on (offline machines, CI without internet). The wasm engine writes the same SQL and
 * the same `_prisma_migrations` rows as `prisma migrate`, so both can share one history.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum } from "@prisma/driver-adapter-utils";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, SqlQuery } from "@prisma/driver-adapter-utils";
import * as bg from "@prisma/schema-engine-wasm/schema_engine_bg";
import type { SchemaEngine as SchemaEngineType } from "@prisma/schema-engine-wasm";
import { dropDatabaseWhenFree } from "../drop-database.ts";

const require = createRequire(import.meta.url);

// Node has WebAssembly; the DOM-free lib we compile against does not describe it.
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, unknown>) => { exports: Record<string, unknown> };
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let wasmReady = false;
function loadWasm(): void {
  if (wasmReady) return;
  const wasmPath = path.join(path.dirname(require.resolve("@prisma/schema-engine-wasm")), "schema_engine_bg.wasm");
  const module = new wasmApi.Module(readFileSync(wasmPath));
  const instance = new wasmApi.Instance(module, { "./schema_engine_bg.js": bg });
  const exports = instance.exports as unknown as { __wbindgen_start: () => void };
  (bg as unknown as { __wbg_set_wasm: (e: unknown) => void }).__wbg_set_wasm(instance.exports);
  exports.__wbindgen_start();
  wasmReady = true;
}

/**
 * better-sqlite3 refuses multi-statement SQL through a prepared statement; the shadow
 * database replays whole migration files through executeRaw with no arguments. Those go
 * to executeScript, which runs a script as written.
 */
function scriptAware(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const executeRaw = adapter.executeRaw.bind(adapter);
  adapter.executeRaw = async (query: SqlQuery) => {
    if (query.args.length === 0) {
      await adapter.executeScript(query.sql);
      return 0;
    }
    return executeRaw(query);
  };
  return adapter;
}

/**
 * PrismaPg's executeScript splits a script at every ";", which breaks a migration that defines a
 * function or trigger (semicolons inside its body). Prisma's own engine sends the script whole;
 * so does this: one simple-protocol query (no arguments), its statements in one implicit transaction.
 */
function wholeScripts(adapter: SqlDriverAdapter): SqlDriverAdapter {
  adapter.executeScript = async (script: string) => {
    await adapter.executeRaw({ sql: script, args: [], argTypes: [] });
  };
  return adapter;
}

/**
 * Remembers every connection the engine opens: the engine takes an EXCLUSIVE lock on a SQLite
 * database and `free()` does not close connections (nor PostgreSQL pools), so we close them ourselves.
 */
function trackingFactory(factory: SqlMigrationAwareDriverAdapterFactory, opened: SqlDriverAdapter[], wrap: (adapter: SqlDriverAdapter) => SqlDriverAdapter): SqlMigrationAwareDriverAdapterFactory {
  const track = (adapter: SqlDriverAdapter) => {
    opened.push(adapter);
    return wrap(adapter);
  };
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => track(await factory.connect()),
    connectToShadowDb: async () => track(await factory.connectToShadowDb()),
  };
}

/**
 * The engine reads PostgreSQL's catalog, whose flag columns are of type "char" (OID 18), which
 * PrismaPg cannot map ("Column type 'char' could not be deserialized"). node-postgres returns
 * them as text already, so the pool reports them as text.
 */
function catalogAwarePg(url: string): PrismaPg {
  const pool = new pg.Pool({ connectionString: url });
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<pg.QueryResult>;
  (pool as unknown as { query: (...args: unknown[]) => Promise<pg.QueryResult> }).query = async (...args) => {
    const result = await query(...args);
    for (const field of result.fields ?? []) if (field.dataTypeID === 18) field.dataTypeID = 25;
    return result;
  };
  return new PrismaPg(pool, { disposeExternalPool: true });
}

/**
 * PrismaPg's own shadow database is dropped while its pool is still connected (which
 * PostgreSQL refuses), and the pool it was created from is never closed. This one closes the
 * shadow pool first, then drops the database (FORCE) and closes the admin connection.
 */
function postgresFactory(url: string): SqlMigrationAwareDriverAdapterFactory {
  const main = catalogAwarePg(url);
  return {
    provider: main.provider,
    adapterName: main.adapterName,
    connect: () => main.connect(),
    connectToShadowDb: async () => {
      const admin = await new PrismaPg({ connectionString: url }).connect();
      const database = `prisma_migrate_shadow_db_${globalThis.crypto.randomUUID().replaceAll("-", "")}`;
      await admin.executeScript(`CREATE DATABASE "${database}"`);
      const shadowUrl = new URL(url);
      shadowUrl.pathname = `/${database}`;
      const shadow = await catalogAwarePg(shadowUrl.toString()).connect();
      const dispose = shadow.dispose.bind(shadow);
      let disposed = false;
      shadow.dispose = async () => {
        if (disposed) return;
        disposed = true;
        await dispose();
        try {
          await dropDatabaseWhenFree((sql) => admin.executeScript(sql), database);
        } finally {
          await admin.dispose();
        }
      };
      return shadow;
    },
  };
}

/**
 * No database at all, for diffing two PostgreSQL datamodels (which needs none): the engine only
 * asks the server's version when it starts, so that one question is answered; anything else
 * fails loudly.
 */
function datamodelOnlyPostgres(): SqlMigrationAwareDriverAdapterFactory {
  const refuse = (what: string) => Promise.reject(new Error(`no PostgreSQL server here (datamodel-only engine asked for ${what})`));
  const adapter: SqlDriverAdapter = {
    provider: "postgres",
    adapterName: "duban-datamodel-only",
    queryRaw: async (query) => {
      if (!query.sql.includes("server_version_num")) return refuse(query.sql);
      return {
        columnNames: ["exists", "version", "numeric_version"],
        columnTypes: [ColumnTypeEnum.Boolean, ColumnTypeEnum.Text, ColumnTypeEnum.Int32],
        rows: [[true, "PostgreSQL 15", 150000]],
      };
    },
    executeRaw: (query) => refuse(query.sql),
    executeScript: (script) => refuse(script),
    startTransaction: () => refuse("a transaction"),
    getConnectionInfo: () => ({ supportsRelationJoins: true }),
    dispose: async () => {},
  };
  return { provider: "postgres", adapterName: adapter.adapterName, connect: async () => adapter, connectToShadowDb: async () => adapter };
}

/**
 * Where the engine works: a SQLite file, a PostgreSQL database by URL, or (url null) no
 * PostgreSQL database, for diffs between two schemas.
 */
export type EngineTarget = { provider: "sqlite"; file: string } | { provider: "postgresql"; url: string | null };

export type SchemaEngine = SchemaEngineType;

export interface OpenEngine {
  engine: SchemaEngine;
  close(): Promise<void>;
}

/** `schema` defaults to the file at `schemaPath`; its provider must be the target's. */
export async function openSchemaEngine(target: EngineTarget, schemaPath: string, schema = readFileSync(schemaPath, "utf8")): Promise<OpenEngine> {
  loadWasm();
  const log = (message: string) => {
    if (process.env.DUBAN_DEBUG_MIGRATIONS) process.stderr.write(`${message}\n`);
  };
  const { SchemaEngine } = bg as unknown as { SchemaEngine: typeof SchemaEngineType };
  const opened: SqlDriverAdapter[] = [];
  const factory =
    target.provider === "sqlite"
      ? trackingFactory(new PrismaBetterSqlite3({ url: `file:${target.file}` }), opened, scriptAware)
      : target.url === null
        ? datamodelOnlyPostgres()
        : trackingFactory(postgresFactory(target.url), opened, wholeScripts);
  const engine = await SchemaEngine.new({ datamodels: [[schemaPath, schema]] }, log, bindMigrationAwareSqlAdapterFactory(factory));
  return {
    engine,
    async close() {
      engine.free();
      await Promise.all(opened.map((connection) => connection.dispose()));
    },
  };
}
