/**
 * Scale: 50 plans × 30 tasks × 40 units with 5 years of quarterly history (30 000 rounds,
 * 90 000 submissions, 72 000 status updates) on SQLite. Each use case is measured beside a
 * hand-written SQL query returning the same cells, in the same run; p95 is printed at the end.
 * Each use case and its hand query are timed back to back in every iteration (same load), after
 * uncounted warm-up runs.
 */
import os from "node:os";
import { afterAll, beforeAll, bench, describe } from "vitest";
import type { Db } from "@duban/db/client";
import { createTestDb, type TestDb } from "@duban/db/testing";
import { addDays, shanghaiInstant } from "@duban/domain/calendar";
import { loadBoard } from "../board/board.ts";
import { loadOverview } from "../board/overview.ts";

const PLANS = 50;
const TASKS = 30;
const UNITS = 40;
const QUARTERS = 20; // 2021Q4 … 2026Q3
const NOW = shanghaiInstant("2026-10-12", "10:00");
const created = new Date("2021-09-01T00:00:00Z");

let test: TestDb;
let db: Db;
const samples = new Map<string, number[]>();
const timed = async (name: string, work: () => Promise<unknown>) => {
  const started = performance.now();
  await work();
  samples.set(name, [...(samples.get(name) ?? []), performance.now() - started]);
};

function quarterOf(index: number): { key: string; opens: string; due: string } {
  const q0 = 2021 * 4 + 3 + index; // 2021Q4 is index 0
  const year = Math.floor(q0 / 4);
  const q = (q0 % 4) + 1;
  const next = q === 4 ? `${year + 1}-01-01` : `${year}-${String(q * 3 + 1).padStart(2, "0")}-01`;
  return { key: `${year}Q${q}`, opens: `${year}-${String(q * 3 - 2).padStart(2, "0")}-01`, due: addDays(next, 12) };
}

async function seed(db: Db): Promise<void> {
  await db.unit.createMany({ data: Array.from({ length: UNITS }, (_, u) => ({ id: u + 1, name: `单位${u + 1}`, createdAt: created })) });
  await db.plan.createMany({ data: Array.from({ length: PLANS }, (_, p) => ({ id: p + 1, title: `方案${p + 1}`, docNumber: `同政发〔2021〕${p + 1}号`, sourceText: "", sourceHash: `${p}`, importedAt: new Date(created.getTime() + p * 60_000) })) });
  const tasks = [];
  const assignments = [];
  const deadlines = [];
  for (let p = 0; p < PLANS; p++) {
    for (let t = 0; t < TASKS; t++) {
      const id = p * TASKS + t + 1;
      tasks.push({ id, planId: p + 1, ordinal: t, number: String(t + 1), title: `任务${t + 1}`, body: "" });
      for (let a = 0; a < 3; a++) assignments.push({ id: (id - 1) * 3 + a + 1, taskId: id, unitId: ((id * 7 + a * 13) % UNITS) + 1, role: a === 0 ? "lead" : "support", ordinal: a });
      deadlines.push({ id, taskId: id, title: "季度进度", kind: "quarterly", offsetDays: 12, createdAt: created });
    }
  }
  await db.task.createMany({ data: tasks });
  await db.assignment.createMany({ data: assignments });
  await db.deadline.createMany({ data: deadlines });
  const rounds = [];
  const submissions = [];
  const updates = [];
  for (const d of deadlines) {
    const units = assignments.filter((a) => a.taskId === d.taskId).map((a) => a.unitId);
    for (let q = 0; q < QUARTERS; q++) {
      const quarter = quarterOf(q);
      const roundId = (d.id - 1) * QUARTERS + q + 1;
      const dueAt = shanghaiInstant(quarter.due, "17:30");
      rounds.push({ id: roundId, deadlineId: d.id, periodKey: quarter.key, opensAt: shanghaiInstant(quarter.opens, "00:00"), dueAt, createdAt: created });
      for (const unitId of units) {
        // History answered, except a few late units; the current quarter mostly still owed.
        const answered = q < QUARTERS - 1 ? (roundId + unitId) % 11 !== 0 : (roundId + unitId) % 3 === 0;
        submissions.push({ roundId, unitId, dueAt, submittedAt: answered ? new Date(dueAt.getTime() - 86_400_000) : null });
        if (answered && q >= QUARTERS - 16) {
          updates.push({ taskId: d.taskId, unitId, roundId, status: (roundId + unitId) % 17 === 0 ? "blocked" : "in_progress", progress: 50, source: "telegram-button", createdAt: new Date(dueAt.getTime() - 86_400_000) });
        }
      }
    }
  }
  for (let i = 0; i < rounds.length; i += 5000) await db.round.createMany({ data: rounds.slice(i, i + 5000) });
  for (let i = 0; i < submissions.length; i += 5000) await db.submission.createMany({ data: submissions.slice(i, i + 5000) });
  for (let i = 0; i < updates.length; i += 5000) await db.statusUpdate.createMany({ data: updates.slice(i, i + 5000) });
}

/** The same cells as the board of one plan (or of all active plans), in one hand-written query. */
function handCells(db: Db, planId: number | null) {
  return db.$queryRawUnsafe<unknown[]>(
    `WITH cells AS (
       SELECT t."id" AS "taskId", a."unitId" AS "unitId", t."planId" AS "planId"
         FROM "Assignment" a JOIN "Task" t ON t."id" = a."taskId" JOIN "Plan" p ON p."id" = t."planId"
        WHERE a."active" = 1 AND t."active" = 1 AND p."archivedAt" IS NULL ${planId === null ? "" : `AND t."planId" = ${planId}`}),
     owed AS (
       SELECT d."taskId", s."unitId",
              MIN(CASE WHEN s."submittedAt" IS NULL THEN s."dueAt" END) AS "pendingDue",
              MAX(CASE WHEN s."submittedAt" IS NOT NULL THEN s."dueAt" END) AS "madeDue"
         FROM "Submission" s JOIN "Round" r ON r."id" = s."roundId" JOIN "Deadline" d ON d."id" = r."deadlineId"
        WHERE r."opensAt" <= ? AND d."active" = 1 AND d."taskId" IN (SELECT "taskId" FROM cells)
        GROUP BY d."taskId", s."unitId"),
     latest AS (
       SELECT su."taskId", su."unitId", su."status", su."coordinatedAt",
              ROW_NUMBER() OVER (PARTITION BY su."taskId", su."unitId" ORDER BY su."createdAt" DESC, su."id" DESC) AS n
         FROM "StatusUpdate" su WHERE su."taskId" IN (SELECT "taskId" FROM cells))
     SELECT c."planId", c."taskId", c."unitId", o."pendingDue", o."madeDue", l."status", l."coordinatedAt"
       FROM cells c
       LEFT JOIN owed o ON o."taskId" = c."taskId" AND o."unitId" = c."unitId"
       LEFT JOIN latest l ON l."taskId" = c."taskId" AND l."unitId" = c."unitId" AND l.n = 1`,
    NOW.toISOString().replace("Z", "+00:00"),
  );
}

beforeAll(async () => {
  test = await createTestDb({ provider: "sqlite" });
  db = test.db;
  await seed(db);
  // Same data: the hand query yields one row per board cell.
  const board = await loadBoard(db, NOW, { planId: 7 });
  const cells = await handCells(db, 7);
  if (cells.length !== board.counts.total) throw new Error(`hand SQL has ${cells.length} cells, the board ${board.counts.total}`);
  const overview = await loadOverview(db, NOW);
  const all = await handCells(db, null);
  if (all.length !== overview.plans.reduce((n, p) => n + p.counts.total, 0)) throw new Error("hand SQL and overview disagree on the cells");
  for (let i = 0; i < 3; i++) {
    await loadBoard(db, NOW, { planId: i + 1 });
    await handCells(db, i + 1);
    await loadOverview(db, NOW);
    await handCells(db, null);
  }
}, 600_000);

afterAll(async () => {
  const q = (name: string, at: number) => {
    const xs = [...(samples.get(name) ?? [Number.NaN])].sort((a, b) => a - b);
    return xs[Math.min(xs.length - 1, Math.ceil(xs.length * at) - 1)]!;
  };
  if (samples.size > 0) {
    console.log(
      `plans: ${PLANS} plans × ${TASKS} tasks × ${UNITS} units, ${QUARTERS / 4} years: ` +
        `board.get one plan p50 ${q("board.get one plan", 0.5).toFixed(1)} ms, p95 ${q("board.get one plan", 0.95).toFixed(1)} ms (target ≤ 30; hand-written SQL p95 ${q("board hand SQL", 0.95).toFixed(1)} ms, ${(q("board.get one plan", 0.5) / q("board hand SQL", 0.5)).toFixed(2)}× at p50); ` +
        `overview p50 ${q("overview", 0.5).toFixed(1)} ms, p95 ${q("overview", 0.95).toFixed(1)} ms (target ≤ 100; hand-written SQL p95 ${q("overview hand SQL", 0.95).toFixed(1)} ms, ${(q("overview", 0.5) / q("overview hand SQL", 0.5)).toFixed(2)}× at p50); load average ${os.loadavg()[0]!.toFixed(1)}`,
    );
  }
  await test?.cleanup();
});

describe(`${PLANS} plans × ${TASKS} tasks × ${UNITS} units, ${QUARTERS} quarters of history (SQLite)`, () => {
  let plan = 0;
  const counted = { iterations: 40, time: 0, warmupIterations: 0, warmupTime: 0 };
  bench(
    "board.get one plan (loadBoard), then the hand-written SQL for the same cells",
    async () => {
      const planId = (plan++ % PLANS) + 1;
      await timed("board.get one plan", () => loadBoard(db, NOW, { planId }));
      await timed("board hand SQL", () => handCells(db, planId));
    },
    counted,
  );
  bench(
    "overview (loadOverview), then the hand-written SQL for the same cells",
    async () => {
      await timed("overview", () => loadOverview(db, NOW));
      await timed("overview hand SQL", () => handCells(db, null));
    },
    { ...counted, iterations: 20 },
  );
});
