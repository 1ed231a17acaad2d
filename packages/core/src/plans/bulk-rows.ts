/**
 * Set-based writes for the plan import: rows are read with one query per table and written with
 * a few multi-row statements, chunked so that no statement binds more than SQLite's historic
 * limit of 999 values. Portable SQL only (the same on SQLite and PostgreSQL).
 */
import type { Prisma } from "@duban/db/client";
import { Prisma as Sql } from "@duban/db/generated/prisma/client";

export type Tx = Prisma.TransactionClient;

/** Bound values per statement, under SQLite's 999. */
export const MAX_BOUND = 900;

/** `items` in slices of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Rows per statement when each binds `columns` values. */
export function rowsPerStatement(columns: number): number {
  return Math.max(1, Math.floor(MAX_BOUND / Math.max(1, columns)));
}

export type ColumnKind = "text" | "int" | "float";

/** A column's SQL type in a CAST both databases read the same way. */
const castType: Record<ColumnKind, string> = { text: "TEXT", int: "INTEGER", float: "DOUBLE PRECISION" };

/**
 * Gives each row its own values in one statement per chunk:
 * `UPDATE "T" SET "c" = CASE "id" WHEN 1 THEN CAST(? AS TEXT) … END, … WHERE "id" IN (1, …)`.
 * The casts keep PostgreSQL from reading every parameter as text.
 */
export async function updateById(tx: Tx, table: string, columns: ReadonlyArray<readonly [string, ColumnKind]>, rows: ReadonlyArray<{ id: number; values: ReadonlyArray<string | number | null> }>): Promise<void> {
  if (rows.length === 0 || columns.length === 0) return;
  for (const part of chunks(rows, rowsPerStatement(columns.length))) {
    for (const { id } of part) if (!Number.isSafeInteger(id)) throw new Error(`not a row id: ${id}`);
    const sets = columns.map(([column, kind], c) => {
      const cases = part.map(({ id, values }) => Sql.sql`WHEN ${Sql.raw(String(id))} THEN CAST(${values[c] ?? null} AS ${Sql.raw(castType[kind])})`);
      return Sql.sql`${Sql.raw(`"${column}"`)} = CASE "id" ${Sql.join(cases, " ")} END`;
    });
    await tx.$executeRaw`UPDATE ${Sql.raw(`"${table}"`)} SET ${Sql.join(sets, ", ")} WHERE "id" IN (${Sql.raw(part.map(({ id }) => String(id)).join(", "))})`;
  }
}

/**
 * Multi-row `INSERT … VALUES (…), (…) [RETURNING …]`, chunked. Raw rather than Prisma's
 * createMany: its query compiler spends tens of milliseconds rendering each multi-row statement,
 * several times what SQLite takes to run it (measured in import-plan.bench.ts). Columns without
 * a database default (`@updatedAt`) must be given here.
 */
export async function insertRows(tx: Tx, table: string, columns: readonly string[], rows: ReadonlyArray<ReadonlyArray<unknown>>, returning: readonly string[] = []): Promise<Array<Record<string, unknown>>> {
  const out: Array<Record<string, unknown>> = [];
  const head = Sql.raw(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES `);
  for (const part of chunks(rows, rowsPerStatement(columns.length))) {
    const values = Sql.join(part.map((row) => Sql.sql`(${Sql.join(row as unknown[], ", ")})`), ", ");
    if (returning.length === 0) await tx.$executeRaw`${head}${values}`;
    else out.push(...(await tx.$queryRaw<Array<Record<string, unknown>>>`${head}${values} RETURNING ${Sql.raw(returning.map((c) => `"${c}"`).join(", "))}`));
  }
  return out;
}

/** Groups ids by a key, for `updateMany` calls that set the same values on many rows. */
export function groupIds<K>(entries: Iterable<readonly [K, number]>): Map<K, number[]> {
  const groups = new Map<K, number[]>();
  for (const [key, id] of entries) {
    const list = groups.get(key);
    if (list) list.push(id);
    else groups.set(key, [id]);
  }
  return groups;
}
