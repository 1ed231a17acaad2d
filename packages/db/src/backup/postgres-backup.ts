/**
 * PostgreSQL backups with pg_dump (custom format), when the PostgreSQL client tools are
 * installed. The row counts in the manifest and the dump come from one exported snapshot, so
 * they describe the same moment. The password goes to pg_dump through PGPASSWORD, never on its
 * command line (which `ps` shows) nor into a message.
 */
import { spawnSync } from "node:child_process";
import { renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { backupFileName, writeManifest, type BackupManifest, type BackupReason } from "./manifest.ts";

export class MissingToolError extends Error {}

/** libpq's connection URI without the password (it goes in PGPASSWORD) and without Prisma-only parameters. */
export function libpqConnection(url: string): { uri: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = "";
  for (const key of [...parsed.searchParams.keys()]) if (key !== "sslmode") parsed.searchParams.delete(key);
  return { uri: parsed.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

export function requireTool(tool: "pg_dump" | "pg_restore"): void {
  const probe = spawnSync(tool, ["--version"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) {
    throw new MissingToolError(
      `${tool} is not installed, so a PostgreSQL backup cannot be made or restored here. Install the PostgreSQL client tools of your server's version (Debian: apt install postgresql-client) and try again. 未安装 ${tool}：请安装 PostgreSQL 客户端工具（apt install postgresql-client）。`,
    );
  }
}

function run(tool: string, args: string[], env: NodeJS.ProcessEnv): string {
  const result = spawnSync(tool, args, { encoding: "utf8", env, maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${tool} failed (exit ${result.status}): ${result.stderr.trim().split("\n").slice(-3).join(" ")}`);
  return result.stdout;
}

async function publicTables(client: pg.Client): Promise<string[]> {
  const result = await client.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename");
  return result.rows.map((r) => r.name);
}

export async function countPostgresRows(client: pg.Client): Promise<Record<string, number>> {
  const names = await publicTables(client);
  if (names.length === 0) return {};
  const sql = names.map((name) => `SELECT '${name.replaceAll("'", "''")}' AS name, count(*)::int AS n FROM "${name.replaceAll('"', '""')}"`).join(" UNION ALL ");
  const rows = (await client.query<{ name: string; n: number }>(sql)).rows;
  return Object.fromEntries(rows.map((r) => [r.name, Number(r.n)]));
}

/** The tables whose data a custom-format dump holds (`pg_restore --list`); throws on an unreadable dump. */
export function dumpedTables(dumpFile: string): string[] {
  requireTool("pg_restore");
  const listing = run("pg_restore", ["--list", dumpFile], process.env);
  return [...listing.matchAll(/TABLE DATA \S+ (\S+) /g)].map((m) => m[1]!.replace(/^"|"$/g, ""));
}

export async function backupPostgres(url: string, dir: string, options: { reason: BackupReason; now: Date }): Promise<BackupManifest> {
  requireTool("pg_dump");
  const file = path.join(dir, backupFileName(dir, options.now, options.reason, "dump"));
  const partial = `${file}.partial`;
  const { uri, env } = libpqConnection(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const snapshot = (await client.query<{ id: string }>("SELECT pg_export_snapshot() AS id")).rows[0]!.id;
    const tables = await countPostgresRows(client);
    run("pg_dump", ["--format=custom", `--snapshot=${snapshot}`, "--no-owner", "--file", partial, uri], env);
    await client.query("COMMIT");
    const inDump = new Set(dumpedTables(partial));
    const missing = Object.keys(tables).filter((t) => !inDump.has(t));
    if (missing.length) throw new Error(`the dump lacks the data of ${missing.join(", ")}; it was not kept`);
    renameSync(partial, file);
    const manifest: BackupManifest = {
      file: path.basename(file),
      provider: "postgresql",
      reason: options.reason,
      createdAt: options.now.toISOString(),
      sizeBytes: statSync(file).size,
      integrity: "ok",
      tables,
    };
    writeManifest(dir, manifest);
    return manifest;
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    await client.end();
  }
}

/** Other sessions on the database (a server's connection pool): restoring under them would break them. */
export async function otherPostgresSessions(url: string): Promise<Array<{ pid: number; application: string; client: string | null }>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ pid: number; application: string; client: string | null }>(
      "SELECT pid, application_name AS application, client_addr::text AS client FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'",
    );
    return result.rows;
  } finally {
    await client.end();
  }
}

/** Replaces the database's contents with the dump's, in one transaction (all or nothing). */
export function restorePostgresDump(url: string, dumpFile: string): void {
  requireTool("pg_restore");
  const { uri, env } = libpqConnection(url);
  run("pg_restore", ["--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error", "--dbname", uri, dumpFile], env);
}
