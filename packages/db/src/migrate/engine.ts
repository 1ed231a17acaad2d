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
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, SqlQuery } from "@prisma/driver-adapter-utils";
import * as bg from "@prisma/schema-engine-wasm/schema_engine_bg";
import type { SchemaEngine as SchemaEngineType } from "@prisma/schema-engine-wasm";

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
 * Remembers every connection the engine opens: the engine takes an EXCLUSIVE lock on the
 * main database and `free()` does not close connections, so we close them ourselves.
 */
function scriptAwareFactory(factory: PrismaBetterSqlite3, opened: SqlDriverAdapter[]): SqlMigrationAwareDriverAdapterFactory {
  const track = (adapter: SqlDriverAdapter) => {
    opened.push(adapter);
    return scriptAware(adapter);
  };
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => track(await factory.connect()),
    connectToShadowDb: async () => track(await factory.connectToShadowDb()),
  };
}

export type SchemaEngine = SchemaEngineType;

export interface OpenEngine {
  engine: SchemaEngine;
  close(): Promise<void>;
}

export async function openSchemaEngine(sqliteFile: string, schemaPath: string): Promise<OpenEngine> {
  loadWasm();
  const adapter = new PrismaBetterSqlite3({ url: `file:${sqliteFile}` });
  const schema = readFileSync(schemaPath, "utf8");
  const log = (message: string) => {
    if (process.env.DUBAN_DEBUG_MIGRATIONS) process.stderr.write(`${message}\n`);
  };
  const { SchemaEngine } = bg as unknown as { SchemaEngine: typeof SchemaEngineType };
  const opened: SqlDriverAdapter[] = [];
  const engine = await SchemaEngine.new({ datamodels: [[schemaPath, schema]] }, log, bindMigrationAwareSqlAdapterFactory(scriptAwareFactory(adapter, opened)));
  return {
    engine,
    async close() {
      engine.free();
      await Promise.all(opened.map((connection) => connection.dispose()));
    },
  };
}
