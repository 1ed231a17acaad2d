/**
 * The submission tally checked against history (tests only): what the triggers should have stored,
 * folded in JavaScript from every submission, and the backfill statement of the migration.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import type { Db } from "@duban/db/client";
import { MIGRATIONS_DIR, POSTGRES_MIGRATIONS_DIR } from "@duban/db/migrate/migrations";
import { toDate } from "../plans/plans.ts";

const BACKFILL = "-- Backfill: the tally of every submission already in the database.";

/** The migration that creates SubmissionTally, found by its backfill (whatever its folder is named). */
export function tallyMigration(provider: "sqlite" | "postgresql"): { name: string; sql: string } {
  const dir = provider === "sqlite" ? MIGRATIONS_DIR : POSTGRES_MIGRATIONS_DIR;
  for (const name of readdirSync(dir).sort()) {
    const file = path.join(dir, name, "migration.sql");
    const sql = (() => {
      try {
        return readFileSync(file, "utf8");
      } catch {
        return "";
      }
    })();
    if (sql.includes(BACKFILL)) return { name, sql };
  }
  throw new Error(`no migration in ${dir} backfills SubmissionTally`);
}

/** The migration's backfill statement alone. */
export function tallyBackfillSql(provider: "sqlite" | "postgresql"): string {
  const { sql } = tallyMigration(provider);
  const start = sql.indexOf(BACKFILL) + BACKFILL.length;
  return sql.slice(start, sql.indexOf(";", start)).trim();
}

/**
 * What the triggers should have stored, folded in JavaScript from every submission: per deadline ×
 * unit the counts, the earliest owed and the latest made (lowest id on a tie), the latest opening.
 */
export async function expectTallyFresh(db: Db) {
  const submissions = await db.submission.findMany({ select: { id: true, unitId: true, dueAt: true, submittedAt: true, round: { select: { deadlineId: true, periodKey: true, opensAt: true } } }, orderBy: { id: "asc" } });
  const want = new Map<string, { expected: number; done: number; pending: [number, number, string] | null; made: [number, number, string] | null; lastOpensAt: number }>();
  for (const s of submissions) {
    const key = `${s.round.deadlineId}:${s.unitId}`;
    const row = want.get(key) ?? { expected: 0, done: 0, pending: null, made: null, lastOpensAt: 0 };
    const due = s.dueAt.getTime();
    row.expected++;
    row.lastOpensAt = Math.max(row.lastOpensAt, s.round.opensAt.getTime());
    if (s.submittedAt) {
      row.done++;
      if (!row.made || due > row.made[1]) row.made = [s.id, due, s.round.periodKey];
    } else if (!row.pending || due < row.pending[1]) row.pending = [s.id, due, s.round.periodKey];
    want.set(key, row);
  }
  const stored = await db.submissionTally.findMany();
  const got = new Map(
    stored.map((t) => [
      `${t.deadlineId}:${t.unitId}`,
      {
        expected: t.expected,
        done: t.done,
        pending: t.pendingId === null ? null : ([t.pendingId, toDate(t.pendingDue!).getTime(), t.pendingPeriod!] as [number, number, string]),
        made: t.madeId === null ? null : ([t.madeId, toDate(t.madeDue!).getTime(), t.madePeriod!] as [number, number, string]),
        lastOpensAt: t.lastOpensAt.getTime(),
      },
    ]),
  );
  expect(got).toEqual(want);
}

