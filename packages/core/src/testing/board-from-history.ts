import type { Db } from "@duban/db/client";
import { shanghaiDate } from "@duban/domain/calendar";
import { lightOf, worseLight } from "@duban/domain/light";
import { periodKeyOf } from "@duban/domain/period";
import { BLOCKED_STATUS, type BoardCell, type BoardFilter, type BoardRow } from "../board/board.ts";
import { loadCalendar } from "../calendar/calendar-source.ts";
import { resolvePlanId } from "../plans/plans.ts";

/**
 * The board as it was computed before it read the latest state only: every submission and status
 * update of the plan loaded and folded in JavaScript. Kept as the reference the set-based
 * `loadBoard` is compared against (tests, `npm run bench`); not used in production code.
 *
 * The task × unit matrix of one plan (`filter.planId`, else the default plan), as of `now`. A cell's obligation comes from the
 * submissions of the task's open rounds (opened on or before now): the earliest still owed
 * wins, since an old unanswered round keeps a unit behind; otherwise the latest submitted one.
 * A collective unit's cell covers its own submissions and those of its members.
 */
export async function loadBoardFromHistory(db: Db, now: Date, filter: BoardFilter = {}) {
  const calendar = await loadCalendar(db);
  const planId = await resolvePlanId(db, filter.planId);
  const period = periodKeyOf(shanghaiDate(now), "quarterly");
  if (planId === null) {
    return { now, period, planId: null, planTitle: null, archived: false, groups: [], units: [], unitOptions: [], rows: [], counts: { red: 0, yellow: 0, green: 0, total: 0 } };
  }

  const [plan, tasks, members, submissions, latestUpdates] = await Promise.all([
    db.plan.findUniqueOrThrow({ where: { id: planId }, include: { groups: { orderBy: { ordinal: "asc" } } } }),
    db.task.findMany({
      where: { planId, active: true },
      orderBy: { ordinal: "asc" },
      include: { assignments: { where: { active: true }, orderBy: { ordinal: "asc" }, include: { unit: true } } },
    }),
    db.unitMember.findMany(),
    db.submission.findMany({
      where: { round: { opensAt: { lte: now }, deadline: { active: true, task: { planId } } } },
      include: { round: { select: { periodKey: true, deadline: { select: { taskId: true } } } } },
    }),
    db.statusUpdate.findMany({
      where: { task: { planId } },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      select: { taskId: true, unitId: true, status: true, progress: true, createdAt: true, coordinatedAt: true },
    }),
  ]);

  const membersOf = new Map<number, number[]>();
  for (const m of members) membersOf.set(m.collectiveId, [...(membersOf.get(m.collectiveId) ?? []), m.memberId]);

  const subsByTaskUnit = new Map<string, typeof submissions>();
  for (const s of submissions) {
    const key = `${s.round.deadline.taskId}:${s.unitId}`;
    subsByTaskUnit.set(key, [...(subsByTaskUnit.get(key) ?? []), s]);
  }
  // findMany is newest first, so the first seen per task×unit is the latest.
  const latestByTaskUnit = new Map<string, (typeof latestUpdates)[number]>();
  for (const u of latestUpdates) {
    const key = `${u.taskId}:${u.unitId}`;
    if (!latestByTaskUnit.has(key)) latestByTaskUnit.set(key, u);
  }

  const unitColumns = new Map<number, { id: number; name: string; collective: boolean }>();
  const rows: BoardRow[] = [];
  const counts = { red: 0, yellow: 0, green: 0, total: 0 };

  for (const task of tasks) {
    if (filter.groupId && task.groupId !== filter.groupId) continue;
    const cells: BoardCell[] = [];
    for (const assignment of task.assignments) {
      const unit = assignment.unit;
      if (filter.unitId && unit.id !== filter.unitId) continue;
      const unitIds = [unit.id, ...(unit.collective ? (membersOf.get(unit.id) ?? []) : [])];
      const owed = unitIds.flatMap((id) => subsByTaskUnit.get(`${task.id}:${id}`) ?? []);
      const pending = owed.filter((s) => !s.submittedAt).sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
      const made = owed.filter((s) => s.submittedAt).sort((a, b) => b.dueAt.getTime() - a.dueAt.getTime());
      const focus = pending[0] ?? made[0] ?? null;
      const latest = unitIds
        .map((id) => latestByTaskUnit.get(`${task.id}:${id}`))
        .filter((u) => u !== undefined)
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
      const light = lightOf(
        // A difficulty the office has coordinated no longer holds the light at yellow.
        { now, dueAt: focus?.dueAt ?? null, submitted: focus ? focus.submittedAt !== null : false, blocked: latest?.status === BLOCKED_STATUS && !latest.coordinatedAt },
        calendar,
      );
      if (filter.light && light !== filter.light) continue;
      cells.push({
        unitId: unit.id,
        role: assignment.role,
        light,
        status: latest?.status ?? null,
        progress: latest?.progress ?? null,
        coordinated: latest?.status === BLOCKED_STATUS && latest.coordinatedAt !== null,
        lastUpdateAt: latest?.createdAt ?? null,
        dueAt: focus?.dueAt ?? null,
        submitted: focus ? focus.submittedAt !== null : false,
        periodKey: focus?.round.periodKey ?? null,
        expected: owed.length,
        done: made.length,
      });
      unitColumns.set(unit.id, { id: unit.id, name: unit.name, collective: unit.collective });
      counts[light]++;
      counts.total++;
    }
    if (cells.length === 0) continue;
    rows.push({
      taskId: task.id,
      number: task.number,
      title: task.title,
      groupId: task.groupId,
      light: cells.map((c) => c.light).reduce(worseLight),
      cells,
    });
  }

  return {
    now,
    period,
    planId: plan.id,
    planTitle: plan.title,
    archived: plan.archivedAt !== null,
    groups: plan.groups.map((g) => ({ id: g.id, number: g.number, heading: g.heading })),
    units: [...unitColumns.values()],
    /** Every unit of the plan, for the unit filter (columns above are only those shown). */
    unitOptions: [...new Map(tasks.flatMap((t) => t.assignments.map((a) => [a.unit.id, { id: a.unit.id, name: a.unit.name }] as const))).values()],
    rows,
    counts,
  };
}
