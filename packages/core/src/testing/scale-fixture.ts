/**
 * Large plans written straight into a test database with multi-row INSERTs (tests of scale and
 * `npm run bench`): tasks, units shared between them, assignments, one quarterly deadline per
 * task and, optionally, a liaison with a Telegram chat per unit. Not used in production code.
 */
import type { Db } from "@duban/db/client";

/** Rows per INSERT, under SQLite's 999 bound values. */
const CHUNK = 100;

export async function insertChunked<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

export interface ScalePlan {
  planId: number;
  taskIds: number[];
  unitIds: number[];
  deadlineIds: number[];
  contactIds: number[];
}

export async function insertScalePlan(
  db: Db,
  options: { tasks: number; unitsPerTask: number; units?: number; contacts?: boolean; createdAt: Date; offsetDays?: number },
): Promise<ScalePlan> {
  const unitCount = options.units ?? options.unitsPerTask;
  const plan = await db.plan.create({ data: { title: "规模测试计划", sourceText: "", sourceHash: `scale-${options.tasks}-${unitCount}`, importedAt: options.createdAt } });
  await insertChunked(
    Array.from({ length: options.tasks }, (_, i) => ({ planId: plan.id, ordinal: i + 1, number: String(i + 1), title: `规模任务${i + 1}`, body: "" })),
    (data) => db.task.createMany({ data }),
  );
  const taskIds = (await db.task.findMany({ where: { planId: plan.id }, orderBy: { ordinal: "asc" }, select: { id: true } })).map((t) => t.id);
  const prefix = `规模单位${plan.id}-`;
  await insertChunked(
    Array.from({ length: unitCount }, (_, i) => ({ name: `${prefix}${String(i + 1).padStart(5, "0")}`, createdAt: options.createdAt })),
    (data) => db.unit.createMany({ data }),
  );
  const unitIds = (await db.unit.findMany({ where: { name: { startsWith: prefix } }, orderBy: { name: "asc" }, select: { id: true } })).map((u) => u.id);
  await insertChunked(
    taskIds.flatMap((taskId, t) =>
      Array.from({ length: options.unitsPerTask }, (_, k) => ({ taskId, unitId: unitIds[(t * options.unitsPerTask + k) % unitCount]!, role: k === 0 ? "lead" : "support", ordinal: k + 1 })),
    ),
    (data) => db.assignment.createMany({ data }),
  );
  await insertChunked(
    taskIds.map((taskId) => ({ taskId, title: "季度进度", kind: "quarterly", offsetDays: options.offsetDays ?? 10, dayBasis: "calendar", createdAt: options.createdAt, updatedAt: options.createdAt })),
    (data) => db.deadline.createMany({ data }),
  );
  const deadlineIds = (await db.deadline.findMany({ where: { task: { planId: plan.id } }, orderBy: { id: "asc" }, select: { id: true } })).map((d) => d.id);
  let contactIds: number[] = [];
  if (options.contacts) {
    await insertChunked(
      unitIds.map((unitId, i) => ({
        unitId,
        role: "liaison",
        telegramUserId: String(5_000_000 + unitId),
        telegramChatId: String(5_000_000 + unitId),
        name: `联络员${i + 1}`,
        createdAt: options.createdAt,
        updatedAt: options.createdAt,
      })),
      (data) => db.contact.createMany({ data }),
    );
    contactIds = (await db.contact.findMany({ where: { unit: { name: { startsWith: prefix } } }, orderBy: { id: "asc" }, select: { id: true } })).map((c) => c.id);
  }
  return { planId: plan.id, taskIds, unitIds, deadlineIds, contactIds };
}
