import type { Db } from "@duban/db/client";
import type { PlanSnapshot } from "@duban/domain/import-diff";
import type { ParsedTask } from "@duban/domain/parse-plan";

type Client = Pick<Db, "plan">;

/** A stored task in the parser's shape, with what the office did to it. */
export interface StoredTask {
  id: number;
  ordinal: number;
  group: string;
  task: ParsedTask;
  editedAt: Date | null;
  active: boolean;
}

/**
 * The stored plan's tasks by position: the active ones and those the office archived (edited and
 * inactive), so that position i is ordinal i. Tasks a re-import dropped stay out.
 */
export async function loadStoredPlan(db: Client, planId: number): Promise<{ title: string; docNumber: string | null; tasks: StoredTask[] } | null> {
  const plan = await db.plan.findUnique({
    where: { id: planId },
    include: {
      tasks: {
        where: { ordinal: { gte: 0 }, OR: [{ active: true }, { editedAt: { not: null } }] },
        orderBy: { ordinal: "asc" },
        include: {
          group: true,
          assignments: { where: { active: true }, orderBy: { ordinal: "asc" }, include: { unit: true } },
          indicators: { where: { active: true }, orderBy: { ordinal: "asc" } },
        },
      },
    },
  });
  if (!plan) return null;
  return {
    title: plan.title,
    docNumber: plan.docNumber,
    tasks: plan.tasks.map((row) => ({
      id: row.id,
      ordinal: row.ordinal,
      group: row.group?.heading ?? "",
      editedAt: row.editedAt,
      active: row.active,
      task: {
        number: row.number,
        title: row.title,
        body: row.body,
        deadline: row.deadlineText,
        leader: row.leader,
        unitNote: row.unitNote,
        units: row.assignments.map((a) => ({ name: a.unit.name, role: a.role === "lead" ? ("lead" as const) : ("support" as const), collective: a.unit.collective })),
        indicators: row.indicators.map((i) => ({ text: i.text, name: i.name, comparator: i.comparator as ParsedTask["indicators"][number]["comparator"], value: i.value, unit: i.measureUnit })),
        cadences: [],
        line: 0,
      },
    })),
  };
}

/** The stored plan in the same shape as the parser's, to diff against a new text; office edits marked. */
export async function loadPlanSnapshot(db: Client, planId: number): Promise<PlanSnapshot | null> {
  const stored = await loadStoredPlan(db, planId);
  return stored && snapshotOfStored(stored);
}

/** A loaded stored plan as a snapshot (no second read). */
export function snapshotOfStored(stored: { title: string; docNumber: string | null; tasks: StoredTask[] }): PlanSnapshot {
  return {
    title: stored.title,
    docNumber: stored.docNumber,
    tasks: stored.tasks.map(({ task, group, editedAt, active }) => ({
      number: task.number,
      title: task.title,
      body: task.body,
      group,
      deadline: task.deadline,
      units: task.units.map((u) => ({ name: u.name, role: u.role })),
      indicators: task.indicators.map((i) => ({ name: i.name, comparator: i.comparator, value: i.value, unit: i.unit })),
      edited: editedAt !== null,
      archived: !active,
    })),
  };
}
