import { mkdirSync } from "node:fs";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "./generated/prisma/client.ts";

export type Db = InstanceType<typeof PrismaClient>;
export type { Prisma } from "./generated/prisma/client.ts";

export const DEFAULT_DATABASE_URL = "file:./data/duban.db";

/** The SQLite file a `file:` URL points at, resolved against `cwd`. */
export function sqliteFilePath(databaseUrl: string, cwd = process.cwd()): string {
  if (!databaseUrl.startsWith("file:")) {
    throw new Error(`DATABASE_URL must be a SQLite "file:" URL for now, got "${databaseUrl}"`);
  }
  const file = databaseUrl.slice("file:".length).split("?")[0] ?? "";
  return path.isAbsolute(file) ? file : path.resolve(cwd, file);
}

/** Creates a Prisma client for DATABASE_URL (SQLite through better-sqlite3), creating the folder. */
export function createDb(databaseUrl: string = DEFAULT_DATABASE_URL): Db {
  const file = sqliteFilePath(databaseUrl);
  mkdirSync(path.dirname(file), { recursive: true });
  // busy timeout: two schedulers on one file wait for each other's write lock instead of failing.
  const adapter = new PrismaBetterSqlite3({ url: `file:${file}`, timeout: 5000 });
  return new PrismaClient({ adapter });
}
