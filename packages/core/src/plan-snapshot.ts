import type { Db } from "@duban/db/client";
import type { PlanSnapshot } from "@duban/domain/import-diff";

type Client = Pick<Db, "plan">;

/** The stored plan in the same shape as the parser's, to diff against a new text. */
export async function loadPlanSnapshot(db: Client, planId: number): Promise<PlanSnapshot | null> {
  const plan = await db.plan.findUnique({
    where: { id: planId },
    include: {
      tasks: {
        where: { active: true },
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
    tasks: plan.tasks.map((task) => ({
      number: task.number,
      title: task.title,
      body: task.body,
      group: task.group?.heading ?? "",
      deadline: task.deadlineText,
      units: task.assignments.map((a) => ({ name: a.unit.name, role: a.role })),
      indicators: task.indicators.map((i) => ({ name: i.name, comparator: i.comparator, value: i.value, unit: i.measureUnit })),
    })),
  };
}
