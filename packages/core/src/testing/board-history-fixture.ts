/**
 * Years of board history written straight into a fresh test database with bulk inserts (the board
 * benchmark and its equivalence test): one plan of `tasks` tasks, each owed by `unitsPerTask` of
 * `units` units through a quarterly deadline, `quarters` rounds back from 2026Q3 with a
 * submission per unit, and the status replies a liaison would have sent. Not used in production code.
 */
import type { Db } from "@duban/db/client";
import { addDays, shanghaiInstant } from "@duban/domain/calendar";

/** 2026-10-12 10:00 in Shanghai: 2026Q3's round is due tomorrow, 2026Q4's has just opened. */
export const HISTORY_NOW = shanghaiInstant("2026-10-12", "10:00");

export interface BoardHistory {
  planId: number;
  tasks: number;
  cells: number;
  rounds: number;
  submissions: number;
  updates: number;
}

/** Quarter `index` of a history of `quarters` ending with 2026Q3: key, opening day, due day (12 days after). */
function quarterOf(index: number, quarters: number): { key: string; opens: string; due: string } {
  const q0 = 2026 * 4 + 2 - (quarters - 1) + index;
  const year = Math.floor(q0 / 4);
  const q = (q0 % 4) + 1;
  const next = q === 4 ? `${year + 1}-01-01` : `${year}-${String(q * 3 + 1).padStart(2, "0")}-01`;
  return { key: `${year}Q${q}`, opens: `${year}-${String(q * 3 - 2).padStart(2, "0")}-01`, due: addDays(next, 12) };
}

async function insertAll<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += 5000) await insert(rows.slice(i, i + 5000));
}

type Value = number | string | Date | null;

/** Multi-row INSERTs with literal values (numbers, our own strings, instants): 2,000 rows a statement, valid on SQLite and PostgreSQL. */
async function bulkInsert(db: Db, table: string, rows: Array<Record<string, Value>>): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const literal = (v: Value) => (v === null ? "NULL" : typeof v === "number" ? String(v) : `'${(v instanceof Date ? v.toISOString().replace("Z", "+00:00") : v).replaceAll("'", "''")}'`);
  for (let i = 0; i < rows.length; i += 2000) {
    const values = rows.slice(i, i + 2000).map((row) => `(${columns.map((c) => literal(row[c] ?? null)).join(",")})`);
    await db.$executeRawUnsafe(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(",")}) VALUES ${values.join(",")}`);
  }
}

export async function insertBoardHistory(
  db: Db,
  options: { tasks: number; units: number; unitsPerTask: number; quarters: number; collectives?: boolean; provider?: "sqlite" | "postgresql" },
): Promise<BoardHistory> {
  const { tasks: taskCount, units: unitCount, unitsPerTask, quarters } = options;
  const created = new Date(shanghaiInstant(quarterOf(0, quarters).opens, "00:00").getTime() - 30 * 86_400_000);
  await db.unit.createMany({ data: Array.from({ length: unitCount }, (_, u) => ({ id: u + 1, name: `历史单位${u + 1}`, collective: options.collectives === true && u % 25 === 0, createdAt: created })) });
  if (options.collectives) {
    // Every 25th unit is a collective (成员单位) standing for the next two.
    const members = Array.from({ length: unitCount }, (_, u) => u + 1)
      .filter((u) => (u - 1) % 25 === 0)
      .flatMap((c) => [c + 1, c + 2].filter((m) => m <= unitCount).map((memberId) => ({ collectiveId: c, memberId })));
    await db.unitMember.createMany({ data: members });
  }
  const plan = await db.plan.create({ data: { title: "历史方案", docNumber: "同政发〔2016〕4号", sourceText: "", sourceHash: "history", importedAt: created } });
  const tasks = Array.from({ length: taskCount }, (_, t) => ({ id: t + 1, planId: plan.id, ordinal: t, number: String(t + 1), title: `任务${t + 1}`, body: "" }));
  await insertAll(tasks, (data) => db.task.createMany({ data }));
  const unitsOf = (taskId: number) => Array.from({ length: unitsPerTask }, (_, k) => ((taskId * 7 + k * 13) % unitCount) + 1).filter((u, i, all) => all.indexOf(u) === i);
  const assignments = tasks.flatMap((t) => unitsOf(t.id).map((unitId, k) => ({ taskId: t.id, unitId, role: k === 0 ? "lead" : "support", ordinal: k })));
  await insertAll(assignments, (data) => db.assignment.createMany({ data }));
  await insertAll(
    tasks.map((t) => ({ id: t.id, taskId: t.id, title: "季度进度", kind: "quarterly", offsetDays: 12, createdAt: created })),
    (data) => db.deadline.createMany({ data }),
  );

  const rounds: Array<Record<string, Value>> = [];
  const submissions: Array<Record<string, Value>> = [];
  const updates: Array<Record<string, Value>> = [];
  for (const task of tasks) {
    const units = unitsOf(task.id);
    for (let q = 0; q < quarters; q++) {
      const quarter = quarterOf(q, quarters);
      const roundId = (task.id - 1) * quarters + q + 1;
      const dueAt = shanghaiInstant(quarter.due, "17:30");
      rounds.push({ id: roundId, deadlineId: task.id, periodKey: quarter.key, opensAt: shanghaiInstant(quarter.opens, "00:00"), dueAt, createdAt: created });
      for (const unitId of units) {
        // History answered but for a few units that never did; the current quarter mostly owed.
        const seed = roundId * 31 + unitId;
        const answered = q < quarters - 1 ? seed % 13 !== 0 : seed % 3 === 0;
        // Now and then an extension moved a unit's due date a week on.
        const unitDue = seed % 19 === 0 ? new Date(dueAt.getTime() + 7 * 86_400_000) : dueAt;
        submissions.push({ roundId, unitId, dueAt: unitDue, submittedAt: answered ? new Date(unitDue.getTime() - 86_400_000) : null });
        if (seed % 5 === 0) {
          updates.push({ taskId: task.id, unitId, roundId, status: "in_progress", progress: 30, source: "telegram-text", createdAt: new Date(dueAt.getTime() - 20 * 86_400_000), coordinatedAt: null });
        }
        if (answered) {
          const blocked = seed % 17 === 0;
          updates.push({
            taskId: task.id,
            unitId,
            roundId,
            status: blocked ? "blocked" : seed % 7 === 0 ? "done" : "in_progress",
            progress: blocked ? null : 40 + (seed % 60),
            source: "telegram-button",
            createdAt: new Date(unitDue.getTime() - 86_400_000),
            coordinatedAt: blocked && seed % 2 === 0 ? new Date(unitDue.getTime()) : null,
          });
        }
      }
    }
  }
  await bulkInsert(db, "Round", rounds);
  await bulkInsert(db, "Submission", submissions);
  await bulkInsert(db, "StatusUpdate", updates);
  if (options.provider === "postgresql") {
    // Rows went in with their ids: move the sequences past them for the rows a test adds after.
    for (const table of ["Unit", "Task", "Assignment", "Deadline", "Round", "Submission", "StatusUpdate"]) {
      await db.$executeRawUnsafe(`SELECT setval(pg_get_serial_sequence('"${table}"', 'id'), (SELECT MAX("id") FROM "${table}"))`);
    }
  }
  return { planId: plan.id, tasks: tasks.length, cells: assignments.length, rounds: rounds.length, submissions: submissions.length, updates: updates.length };
}
