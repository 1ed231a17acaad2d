/**
 * The submission tally and the newest status per task × unit checked against history (tests only):
 * what the triggers should have stored, folded in JavaScript from every row, and the backfill
 * statements of the migrations.
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


const LATEST_BACKFILL = "-- Backfill: the newest status update of every task × unit already in the database.";

/** The backfill statement of the migration that creates LatestStatus (found by its comment). */
export function latestStatusBackfillSql(provider: "sqlite" | "postgresql"): string {
  const dir = provider === "sqlite" ? MIGRATIONS_DIR : POSTGRES_MIGRATIONS_DIR;
  for (const name of readdirSync(dir).sort()) {
    let sql = "";
    try {
      sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
    } catch {
      continue;
    }
    const start = sql.indexOf(LATEST_BACKFILL);
    if (start >= 0) return sql.slice(start + LATEST_BACKFILL.length, sql.indexOf(";", start)).trim();
  }
  throw new Error(`no migration in ${dir} backfills LatestStatus`);
}

/**
 * What the triggers should have stored in LatestStatus, folded in JavaScript from every status
 * update: per task × unit the newest by createdAt, then id, with its status, progress and coordination.
 */
export async function expectLatestStatusFresh(db: Db) {
  const updates = await db.statusUpdate.findMany({ select: { id: true, taskId: true, unitId: true, status: true, progress: true, createdAt: true, coordinatedAt: true } });
  const want = new Map<string, { statusUpdateId: number; status: string; progress: number | null; createdAt: number; coordinatedAt: number | null }>();
  for (const u of updates) {
    const key = `${u.taskId}:${u.unitId}`;
    const row = want.get(key);
    const at = u.createdAt.getTime();
    if (row && (row.createdAt > at || (row.createdAt === at && row.statusUpdateId > u.id))) continue;
    want.set(key, { statusUpdateId: u.id, status: u.status, progress: u.progress, createdAt: at, coordinatedAt: u.coordinatedAt?.getTime() ?? null });
  }
  const stored = await db.latestStatus.findMany();
  const got = new Map(
    stored.map((l) => [
      `${l.taskId}:${l.unitId}`,
      { statusUpdateId: l.statusUpdateId, status: l.status, progress: l.progress, createdAt: l.createdAt.getTime(), coordinatedAt: l.coordinatedAt?.getTime() ?? null },
    ]),
  );
  expect(got).toEqual(want);
}
