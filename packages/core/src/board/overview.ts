import type { Db } from "@duban/db/client";
import { lightOf, worseLight, type Light } from "@duban/domain/light";
import { shortPlanTitle } from "@duban/domain/short-title";
import { BLOCKED_STATUS, latestStatusByTaskUnit, pendingByTaskUnit, type CellMap } from "./board.ts";
import { loadCalendar } from "../calendar/calendar-source.ts";
import { toDate } from "../plans/plans.ts";

export interface OverviewPlan {
  planId: number;
  title: string;
  shortTitle: string;
  docNumber: string | null;
  /** Cells (task × unit) by light, as the plan's board counts them. */
  counts: Record<Light, number> & { total: number };
  /** Tasks by their worst cell's light. */
  tasks: Record<Light, number> & { total: number };
}

export interface OverviewUnit {
  unitId: number;
  unit: string;
  /** Per plan the unit has work in: its task cells and how many are red (late). */
  plans: Array<{ planId: number; cells: number; late: number }>;
  late: number;
}

export interface Overview {
  now: Date;
  plans: OverviewPlan[];
  /** Units × plans, units with the most late items first. */
  units: OverviewUnit[];
}

type Latest = { status: string; coordinated: boolean; createdAt: Date };

/**
 * The page the office head opens first: every active plan's lights, and which units are late in
 * which plan. The same light rule as the board, computed from three set-based queries over all
 * active plans (the cells; per task × unit the earliest still-owed due date of opened rounds, from
 * the tally the database keeps per deadline × unit; the latest status, one index seek per cell) —
 * no query per plan, task or unit, and history is not read.
 */
export async function loadOverview(db: Db, now: Date): Promise<Overview> {
  const [calendar, plans, assignments, members, pendingOf, latest] = await Promise.all([
    loadCalendar(db),
    db.plan.findMany({ where: { archivedAt: null }, orderBy: [{ importedAt: "asc" }, { id: "asc" }], select: { id: true, title: true, docNumber: true } }),
    db.$queryRaw<Array<{ taskId: number | bigint; unitId: number | bigint; planId: number | bigint; name: string; collective: boolean | number | bigint }>>`
      SELECT a."taskId" AS "taskId", a."unitId" AS "unitId", t."planId" AS "planId", u."name" AS "name", u."collective" AS "collective"
        FROM "Assignment" a
        JOIN "Task" t ON t."id" = a."taskId"
        JOIN "Plan" p ON p."id" = t."planId"
        JOIN "Unit" u ON u."id" = a."unitId"
       WHERE a."active" = true AND t."active" = true AND p."archivedAt" IS NULL
       ORDER BY a."id"`,
    db.unitMember.findMany(),
    // Only what is still owed decides a light here: once nothing is owed the cell is green (or
    // yellow when blocked) whatever the latest due date was. Read from the tally the database keeps.
    pendingByTaskUnit(db, null, now),
    // The newest status of every cell the overview shows, one index seek per cell (as the board).
    latestStatusByTaskUnit(db, null),
  ]);

  const membersOf = new Map<number, number[]>();
  for (const m of members) {
    const list = membersOf.get(m.collectiveId);
    if (list) list.push(m.memberId);
    else membersOf.set(m.collectiveId, [m.memberId]);
  }
  const latestOf: CellMap<Latest> = new Map();
  for (const row of latest) {
    const taskId = Number(row.taskId);
    const value = { status: row.status, coordinated: row.coordinatedAt !== null, createdAt: toDate(row.createdAt) };
    const units = latestOf.get(taskId);
    if (units) units.set(Number(row.unitId), value);
    else latestOf.set(taskId, new Map([[Number(row.unitId), value]]));
  }

  const planRows = new Map<number, OverviewPlan>(
    plans.map((p) => [p.id, { planId: p.id, title: p.title, shortTitle: shortPlanTitle(p.title), docNumber: p.docNumber, counts: { red: 0, yellow: 0, green: 0, total: 0 }, tasks: { red: 0, yellow: 0, green: 0, total: 0 } }]),
  );
  const taskLights = new Map<number, { planId: number; light: Light }>();
  const unitRows = new Map<number, { unit: string; plans: Map<number, { cells: number; late: number }> }>();

  // Cells share a handful of due dates: work each light out once (per due moment, blocked or not).
  const lights = new Map<number, Array<Light | undefined>>();
  const lightFor = (pendingDue: Date | null, blocked: boolean) => {
    const at = pendingDue === null ? Number.NaN : pendingDue.getTime();
    let byFlag = lights.get(at);
    if (!byFlag) lights.set(at, (byFlag = []));
    let light = byFlag[blocked ? 1 : 0];
    // Nothing owed: the board's "submitted, latest due" case, which is never red or due soon.
    if (light === undefined) byFlag[blocked ? 1 : 0] = light = lightOf({ now, dueAt: pendingDue, submitted: false, blocked }, calendar);
    return light;
  };

  for (const row of assignments) {
    const a = { taskId: Number(row.taskId), unitId: Number(row.unitId), unit: { name: row.name, collective: Boolean(Number(row.collective)) } };
    const planId = Number(row.planId);
    // A collective unit's cell covers its own obligations and its members' (as on the board).
    const members = a.unit.collective ? membersOf.get(a.unitId) : undefined;
    const pendingOfTask = pendingOf.get(a.taskId);
    const latestOfTask = latestOf.get(a.taskId);
    let pendingDue: Date | null = null;
    let newest: Latest | null = null;
    for (let k = -1; k < (members?.length ?? 0); k++) {
      const id = k < 0 ? a.unitId : members![k]!;
      const owed = pendingOfTask?.get(id);
      if (owed && (!pendingDue || owed < pendingDue)) pendingDue = owed;
      const update = latestOfTask?.get(id);
      if (update && (!newest || update.createdAt > newest.createdAt)) newest = update;
    }
    const light = lightFor(pendingDue, newest?.status === BLOCKED_STATUS && !newest.coordinated);
    const plan = planRows.get(planId)!;
    plan.counts[light]++;
    plan.counts.total++;
    const task = taskLights.get(a.taskId);
    taskLights.set(a.taskId, { planId, light: task ? worseLight(task.light, light) : light });

    const unit = unitRows.get(a.unitId) ?? { unit: a.unit.name, plans: new Map() };
    const cell = unit.plans.get(planId) ?? { cells: 0, late: 0 };
    cell.cells++;
    if (light === "red") cell.late++;
    unit.plans.set(planId, cell);
    unitRows.set(a.unitId, unit);
  }
  for (const { planId, light } of taskLights.values()) {
    const plan = planRows.get(planId)!;
    plan.tasks[light]++;
    plan.tasks.total++;
  }

  const units = [...unitRows].map(([unitId, row]) => {
    const cells = [...row.plans].map(([planId, c]) => ({ planId, ...c })).sort((a, b) => a.planId - b.planId);
    return { unitId, unit: row.unit, plans: cells, late: cells.reduce((n, c) => n + c.late, 0) };
  });
  units.sort((a, b) => b.late - a.late || a.unitId - b.unitId);
  return { now, plans: [...planRows.values()], units };
}
