import type { Db } from "@duban/db/client";
import { lightOf, type Light } from "@duban/domain/light";
import { shortPlanTitle } from "@duban/domain/short-title";
import { BLOCKED_STATUS } from "../board/board.ts";
import { loadCalendar } from "../calendar/calendar-source.ts";
import { reachabilityOf, UnitError, type Reachability } from "./units.ts";

export interface UnitWorkTask {
  taskId: number;
  number: string;
  title: string;
  role: "lead" | "support";
  /** The collective (联席会议成员单位) the unit owes this task through, or null when assigned itself. */
  via: string | null;
  light: Light;
  /** Latest reported status (not_started / in_progress / done / blocked), or null. */
  status: string | null;
  progress: number | null;
  lastUpdateAt: Date | null;
  /** The obligation the light is about: earliest still owed, else the latest submitted. */
  dueAt: Date | null;
  submitted: boolean;
  periodKey: string | null;
}

export interface UnitWorkPlan {
  planId: number;
  title: string;
  shortTitle: string;
  docNumber: string | null;
  archived: boolean;
  counts: Record<Light, number>;
  tasks: UnitWorkTask[];
}

export interface UnitWork {
  unit: { id: number; name: string; collective: boolean; members: string[]; memberOf: string[] };
  contacts: Array<{ id: number; role: string; name: string | null; telegramName: string | null; reachability: Reachability }>;
  /** Plans the unit has work in: active plans first (oldest import first), archived last. */
  plans: UnitWorkPlan[];
}

/**
 * A unit's page: its tasks in every plan (archived plans marked, or left out), each with its role,
 * light, latest status and the due date the light is about, and its contacts. The same light rule
 * as the board; a fixed number of queries whatever the number of plans and tasks.
 */
export async function loadUnitWork(db: Db, input: { unitId: number; now: Date; includeArchived?: boolean }): Promise<UnitWork> {
  const unit = await db.unit.findUnique({
    where: { id: input.unitId },
    include: {
      contacts: { orderBy: [{ role: "asc" }, { id: "asc" }] },
      members: { select: { member: { select: { id: true, name: true } } } },
      memberOf: { select: { collective: { select: { id: true, name: true } } } },
    },
  });
  if (!unit) throw new UnitError("not-found", `单位 ${input.unitId} 不存在`);
  const collectives = new Map(unit.memberOf.map((m) => [m.collective.id, m.collective.name]));
  // A collective's cell covers its members' submissions (as on the board); a member owes its own.
  const owingUnits = [unit.id, ...(unit.collective ? unit.members.map((m) => m.member.id) : [])];

  const assignments = await db.assignment.findMany({
    where: {
      unitId: { in: [unit.id, ...collectives.keys()] },
      active: true,
      task: { active: true, ...(input.includeArchived === false ? { plan: { archivedAt: null } } : {}) },
    },
    select: {
      unitId: true,
      role: true,
      task: { select: { id: true, number: true, title: true, ordinal: true, plan: { select: { id: true, title: true, docNumber: true, archivedAt: true, importedAt: true } } } },
    },
  });
  // The unit's own assignment wins over one through a collective; a lead role over support.
  const tasks = new Map<number, { role: "lead" | "support"; via: string | null; task: (typeof assignments)[number]["task"] }>();
  for (const a of assignments) {
    const role = a.role === "lead" ? "lead" : "support";
    const via = a.unitId === unit.id ? null : (collectives.get(a.unitId) ?? null);
    const known = tasks.get(a.task.id);
    if (!known || (known.via !== null && via === null) || (known.via === via && role === "lead")) tasks.set(a.task.id, { role, via, task: a.task });
  }
  const taskIds = [...tasks.keys()];

  const [calendar, submissions, updates] = await Promise.all([
    loadCalendar(db),
    taskIds.length === 0
      ? []
      : db.submission.findMany({
          where: { unitId: { in: owingUnits }, round: { opensAt: { lte: input.now }, deadline: { active: true, taskId: { in: taskIds } } } },
          select: { dueAt: true, submittedAt: true, round: { select: { periodKey: true, deadline: { select: { taskId: true } } } } },
        }),
    taskIds.length === 0
      ? []
      : db.statusUpdate.findMany({
          where: { unitId: { in: owingUnits }, taskId: { in: taskIds } },
          orderBy: [{ createdAt: "desc" }, { id: "desc" }],
          distinct: ["taskId"],
          select: { taskId: true, status: true, progress: true, createdAt: true, coordinatedAt: true },
        }),
  ]);
  const subsOf = new Map<number, typeof submissions>();
  for (const s of submissions) subsOf.set(s.round.deadline.taskId, [...(subsOf.get(s.round.deadline.taskId) ?? []), s]);
  const latestOf = new Map(updates.map((u) => [u.taskId, u]));

  const plans = new Map<number, UnitWorkPlan & { importedAt: Date; ordinals: Map<number, number> }>();
  for (const { role, via, task } of tasks.values()) {
    const owed = subsOf.get(task.id) ?? [];
    const pending = owed.filter((s) => !s.submittedAt).sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
    const made = owed.filter((s) => s.submittedAt).sort((a, b) => b.dueAt.getTime() - a.dueAt.getTime());
    const focus = pending[0] ?? made[0] ?? null;
    const latest = latestOf.get(task.id);
    const light = lightOf(
      { now: input.now, dueAt: focus?.dueAt ?? null, submitted: focus ? focus.submittedAt !== null : false, blocked: latest?.status === BLOCKED_STATUS && !latest.coordinatedAt },
      calendar,
    );
    const p = task.plan;
    const plan: UnitWorkPlan & { importedAt: Date; ordinals: Map<number, number> } =
      plans.get(p.id) ??
      { planId: p.id, title: p.title, shortTitle: shortPlanTitle(p.title), docNumber: p.docNumber, archived: p.archivedAt !== null, counts: { red: 0, yellow: 0, green: 0 }, tasks: [], importedAt: p.importedAt, ordinals: new Map() };
    plans.set(p.id, plan);
    plan.counts[light]++;
    plan.ordinals.set(task.id, task.ordinal);
    plan.tasks.push({
      taskId: task.id,
      number: task.number,
      title: task.title,
      role,
      via,
      light,
      status: latest?.status ?? null,
      progress: latest?.progress ?? null,
      lastUpdateAt: latest?.createdAt ?? null,
      dueAt: focus?.dueAt ?? null,
      submitted: focus ? focus.submittedAt !== null : false,
      periodKey: focus?.round.periodKey ?? null,
    });
  }

  const ordered = [...plans.values()].sort(
    (a, b) => Number(a.archived) - Number(b.archived) || a.importedAt.getTime() - b.importedAt.getTime() || a.planId - b.planId,
  );
  return {
    unit: { id: unit.id, name: unit.name, collective: unit.collective, members: unit.members.map((m) => m.member.name), memberOf: [...collectives.values()] },
    contacts: unit.contacts.map((c) => ({ id: c.id, role: c.role, name: c.name, telegramName: c.telegramName, reachability: reachabilityOf(c) })),
    plans: ordered.map((plan) => ({
      planId: plan.planId,
      title: plan.title,
      shortTitle: plan.shortTitle,
      docNumber: plan.docNumber,
      archived: plan.archived,
      counts: plan.counts,
      tasks: plan.tasks.sort((a, b) => (plan.ordinals.get(a.taskId) ?? 0) - (plan.ordinals.get(b.taskId) ?? 0)),
    })),
  };
}
