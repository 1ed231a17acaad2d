import type { Db } from "@duban/db/client";
import { resolvePlanId } from "./plans.ts";

/** A plan (default: see `defaultPlanId`) in the `plan parse` shape, plus database ids (null when nothing is imported). */
export async function getPlan(db: Db, planId_?: number | null) {
  const planId = await resolvePlanId(db, planId_);
  if (planId === null) return null;
  const plan = await db.plan.findUniqueOrThrow({
    where: { id: planId },
    include: {
      groups: {
        orderBy: { ordinal: "asc" },
        include: {
          tasks: {
            where: { active: true },
            orderBy: { ordinal: "asc" },
            include: {
              assignments: { where: { active: true }, orderBy: { ordinal: "asc" }, include: { unit: true } },
              indicators: { where: { active: true }, orderBy: { ordinal: "asc" } },
            },
          },
        },
      },
    },
  });
  return {
    id: plan.id,
    title: plan.title,
    docNumber: plan.docNumber,
    issuer: plan.issuer,
    issuedOn: plan.issuedOn,
    importedAt: plan.importedAt,
    archivedAt: plan.archivedAt,
    groups: plan.groups.map((group) => ({
      id: group.id,
      number: group.number,
      heading: group.heading,
      tasks: group.tasks.map((task) => ({
        id: task.id,
        number: task.number,
        title: task.title,
        units: task.assignments.map((a) => ({ id: a.unit.id, name: a.unit.name, role: a.role as "lead" | "support", collective: a.unit.collective })),
        indicators: task.indicators.map((i) => ({
          id: i.id,
          text: i.text,
          name: i.name,
          comparator: i.comparator,
          value: i.value,
          unit: i.measureUnit,
        })),
        deadline: task.deadlineText,
      })),
    })),
  };
}
