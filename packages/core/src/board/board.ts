import type { Db } from "@duban/db/client";
import { Prisma as Sql } from "@duban/db/generated/prisma/client";
import { shanghaiDate } from "@duban/domain/calendar";
import { lightOf, worseLight, type Light } from "@duban/domain/light";
import { periodKeyOf } from "@duban/domain/period";
import { loadCalendar } from "../calendar/calendar-source.ts";
import { resolvePlanId, toDate } from "../plans/plans.ts";

export interface BoardFilter {
  /** The plan to show; without it the default plan (see `defaultPlanId`). */
  planId?: number | null;
  groupId?: number | null;
  unitId?: number | null;
  light?: Light | null;
}

export interface BoardCell {
  unitId: number;
  role: string;
  light: Light;
  /** Latest reported status (未开始/推进中/已完成/有困难 as stored), or null when none yet. */
  status: string | null;
  progress: number | null;
  /** The latest status is 有困难 and the office has coordinated it (see coordinateBlocker). */
  coordinated: boolean;
  lastUpdateAt: Date | null;
  /** The obligation the light is about: earliest still owed, else the latest submitted. */
  dueAt: Date | null;
  submitted: boolean;
  periodKey: string | null;
  /** Submissions owed and made in open rounds of this task (any period). */
  expected: number;
  done: number;
}

export interface BoardRow {
  taskId: number;
  number: string;
  title: string;
  groupId: number | null;
  light: Light;
  cells: BoardCell[];
}

/** The status the office treats as 有困难 (needs coordination). */
export const BLOCKED_STATUS = "blocked";

/**
 * The task × unit matrix of one plan (`filter.planId`, else the default plan), as of `now`. A cell's obligation comes from the
 * submissions of the task's open rounds (opened on or before now): the earliest still owed
 * wins, since an old unanswered round keeps a unit behind; otherwise the latest submitted one.
 * A collective unit's cell covers its own submissions and those of its members.
 *
 * Reads the latest state, not the history: the tally the database keeps per deadline × unit
 * (`owedByTaskUnit`) and the newest status the database keeps per task × unit
 * (`latestStatusByTaskUnit`); nothing is read per row or loaded whole. `testing/board-from-history.ts`
 * keeps the earlier fold of every row, which tests and the benchmark compare this against.
 */
export async function loadBoard(db: Db, now: Date, filter: BoardFilter = {}) {
  const planId = await resolvePlanId(db, filter.planId);
  const period = periodKeyOf(shanghaiDate(now), "quarterly");
  if (planId === null) {
    return { now, period, planId: null, planTitle: null, archived: false, groups: [], units: [], unitOptions: [], rows: [], counts: { red: 0, yellow: 0, green: 0, total: 0 } };
  }

  const [calendar, plan, tasks, assignments, members, owedOf, latestRows] = await Promise.all([
    loadCalendar(db),
    db.plan.findUniqueOrThrow({ where: { id: planId }, include: { groups: { orderBy: { ordinal: "asc" } } } }),
    db.task.findMany({ where: { planId, active: true }, orderBy: { ordinal: "asc" }, select: { id: true, number: true, title: true, groupId: true } }),
    db.$queryRaw<Array<{ taskId: number | bigint; unitId: number | bigint; role: string; name: string; collective: boolean | number | bigint }>>`
      SELECT a."taskId" AS "taskId", a."unitId" AS "unitId", a."role" AS "role", u."name" AS "name", u."collective" AS "collective"
        FROM "Assignment" a JOIN "Task" t ON t."id" = a."taskId" JOIN "Unit" u ON u."id" = a."unitId"
       WHERE t."planId" = ${planId} AND t."active" = true AND a."active" = true
       ORDER BY a."taskId", a."ordinal", a."id"`,
    db.unitMember.findMany(),
    owedByTaskUnit(db, planId, now),
    latestStatusByTaskUnit(db, planId),
  ]);

  const membersOf = new Map<number, number[]>();
  for (const m of members) {
    const list = membersOf.get(m.collectiveId);
    if (list) list.push(m.memberId);
    else membersOf.set(m.collectiveId, [m.memberId]);
  }
  // One object per unit, shared by its cells and columns; assignments grouped by task in order.
  const unitsById = new Map<number, { id: number; name: string; collective: boolean }>();
  const assignmentsOf = new Map<number, Array<{ unit: { id: number; name: string; collective: boolean }; role: string }>>();
  for (const a of assignments) {
    const taskId = Number(a.taskId);
    const unitId = Number(a.unitId);
    let unit = unitsById.get(unitId);
    if (!unit) unitsById.set(unitId, (unit = { id: unitId, name: a.name, collective: Boolean(Number(a.collective)) }));
    const list = assignmentsOf.get(taskId);
    if (list) list.push({ role: a.role, unit });
    else assignmentsOf.set(taskId, [{ role: a.role, unit }]);
  }
  const latestOf: CellMap<Latest> = new Map();
  for (const row of latestRows) {
    setCell(latestOf, Number(row.taskId), Number(row.unitId), {
      status: row.status,
      progress: row.progress === null ? null : Number(row.progress),
      createdAt: toDate(row.createdAt),
      coordinatedAt: row.coordinatedAt === null ? null : toDate(row.coordinatedAt),
    });
  }
  // Cells share a handful of due dates: work each light out once (per due moment, the four
  // combinations of submitted and blocked).
  const lights = new Map<number, Array<Light | undefined>>();
  const lightFor = (dueAt: Date | null, submitted: boolean, blocked: boolean) => {
    const at = dueAt === null ? Number.NaN : dueAt.getTime();
    let byFlags = lights.get(at);
    if (!byFlags) lights.set(at, (byFlags = []));
    const flags = (submitted ? 2 : 0) + (blocked ? 1 : 0);
    let light = byFlags[flags];
    if (light === undefined) byFlags[flags] = light = lightOf({ now, dueAt, submitted, blocked }, calendar);
    return light;
  };

  const unitColumns = new Map<number, { id: number; name: string; collective: boolean }>();
  const rows: BoardRow[] = [];
  const counts = { red: 0, yellow: 0, green: 0, total: 0 };

  for (const task of tasks) {
    if (filter.groupId && task.groupId !== filter.groupId) continue;
    const owedOfTask = owedOf.get(task.id);
    const latestOfTask = latestOf.get(task.id);
    const cells: BoardCell[] = [];
    let taskLight: Light | null = null;
    for (const assignment of assignmentsOf.get(task.id) ?? []) {
      const unit = assignment.unit;
      if (filter.unitId && unit.id !== filter.unitId) continue;
      // A collective cell folds its members in: the earliest owed, the latest made and the newest
      // status win; on a tie the unit itself, then its members in order (as the history fold did).
      let expected = 0;
      let done = 0;
      let pending: Focus | null = null;
      let made: Focus | null = null;
      let latest: Latest | undefined;
      const members = unit.collective ? membersOf.get(unit.id) : undefined;
      for (let k = -1; k < (members?.length ?? 0); k++) {
        const id = k < 0 ? unit.id : members![k]!;
        const owed = owedOfTask?.get(id);
        if (owed) {
          expected += owed.expected;
          done += owed.done;
          if (owed.pending && (!pending || owed.pending.dueAt < pending.dueAt)) pending = owed.pending;
          if (owed.made && (!made || owed.made.dueAt > made.dueAt)) made = owed.made;
        }
        const update = latestOfTask?.get(id);
        if (update && (!latest || update.createdAt > latest.createdAt)) latest = update;
      }
      const focus = pending ?? made;
      const submitted = focus !== null && focus === made;
      // A difficulty the office has coordinated no longer holds the light at yellow.
      const blocked = latest?.status === BLOCKED_STATUS;
      const light = lightFor(focus?.dueAt ?? null, submitted, blocked && !latest!.coordinatedAt);
      if (filter.light && light !== filter.light) continue;
      cells.push({
        unitId: unit.id,
        role: assignment.role,
        light,
        status: latest?.status ?? null,
        progress: latest?.progress ?? null,
        coordinated: blocked && latest!.coordinatedAt !== null,
        lastUpdateAt: latest?.createdAt ?? null,
        dueAt: focus?.dueAt ?? null,
        submitted,
        periodKey: focus?.periodKey ?? null,
        expected,
        done,
      });
      unitColumns.set(unit.id, unit);
      counts[light]++;
      counts.total++;
      taskLight = taskLight === null ? light : worseLight(taskLight, light);
    }
    if (taskLight === null) continue;
    rows.push({
      taskId: task.id,
      number: task.number,
      title: task.title,
      groupId: task.groupId,
      light: taskLight,
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
    unitOptions: [...new Map(tasks.flatMap((t) => (assignmentsOf.get(t.id) ?? []).map((a) => [a.unit.id, { id: a.unit.id, name: a.unit.name }] as const))).values()],
    rows,
    counts,
  };
}

export type Board = Awaited<ReturnType<typeof loadBoard>>;

/** Values per task, then per unit: a cell's look-up without building a key. */
export type CellMap<T> = Map<number, Map<number, T>>;

function setCell<T>(map: CellMap<T>, taskId: number, unitId: number, value: T): void {
  const units = map.get(taskId);
  if (units) units.set(unitId, value);
  else map.set(taskId, new Map([[unitId, value]]));
}

type Focus = { dueAt: Date; periodKey: string };
type Owed = { expected: number; done: number; pending: Focus | null; made: Focus | null };
type Latest = { status: string; progress: number | null; createdAt: Date; coordinatedAt: Date | null };

type TallyRow = {
  deadlineId: number | bigint;
  taskId: number | bigint;
  unitId: number | bigint;
  expected: number | bigint;
  done: number | bigint;
  pendingId: number | bigint | null;
  pendingDue: Date | string | null;
  pendingPeriod: string | null;
  madeId: number | bigint | null;
  madeDue: Date | string | null;
  madePeriod: string | null;
};

/** The plan's tasks (every active plan's when `planId` is null: the overview). */
function taskScope(planId: number | null) {
  return planId === null ? Sql.sql`JOIN "Plan" p ON p."id" = t."planId" WHERE p."archivedAt" IS NULL` : Sql.sql`WHERE t."planId" = ${planId}`;
}

/**
 * Per task × unit of the active deadlines in scope (one plan, or every active plan when `planId`
 * is null), over the rounds opened by `now`: how many submissions are owed and made, the earliest
 * due still owed and the latest due made, with their periods. Read from `SubmissionTally`, which
 * database triggers keep per deadline × unit in the same transaction as every change to a
 * submission or round: one index range per deadline, however long the history. A tally that
 * includes a round opening after `now` (only when asked about a past moment: rounds are created
 * once open) is folded again from its deadline's rounds for that moment. Ties on the due moment go
 * to the lowest submission id, as the full-history fold's row order had it.
 */
export async function owedByTaskUnit(db: Db, planId: number | null, now: Date): Promise<CellMap<Owed>> {
  const scope = taskScope(planId);
  const stored = await db.$queryRaw<Array<TallyRow & { unopened: number | bigint }>>`
    SELECT b."deadlineId" AS "deadlineId", d."taskId" AS "taskId", b."unitId" AS "unitId", b."expected" AS "expected", b."done" AS "done",
           b."pendingId" AS "pendingId", b."pendingDue" AS "pendingDue", b."pendingPeriod" AS "pendingPeriod",
           b."madeId" AS "madeId", b."madeDue" AS "madeDue", b."madePeriod" AS "madePeriod",
           CASE WHEN b."lastOpensAt" > ${now} THEN 1 ELSE 0 END AS "unopened"
      FROM "Task" t
      JOIN "Deadline" d ON d."taskId" = t."id"
      JOIN "SubmissionTally" b ON b."deadlineId" = d."id"
     ${scope} AND t."active" = true AND d."active" = true`;
  const unopened = new Set(stored.filter((row) => Number(row.unopened) === 1).map((row) => Number(row.deadlineId)));
  const rows = unopened.size === 0 ? stored : [...stored.filter((row) => !unopened.has(Number(row.deadlineId))), ...(await tallyAsOf(db, planId, now))];

  const owedOf: CellMap<Owed & { pendingId: number; madeId: number }> = new Map();
  for (const row of rows) {
    const taskId = Number(row.taskId);
    const unitId = Number(row.unitId);
    const pending = row.pendingDue === null ? null : { dueAt: toDate(row.pendingDue), periodKey: row.pendingPeriod ?? "" };
    const made = row.madeDue === null ? null : { dueAt: toDate(row.madeDue), periodKey: row.madePeriod ?? "" };
    const pendingId = Number(row.pendingId ?? 0);
    const madeId = Number(row.madeId ?? 0);
    const owed = owedOf.get(taskId)?.get(unitId);
    if (!owed) {
      setCell(owedOf, taskId, unitId, { expected: Number(row.expected), done: Number(row.done), pending, made, pendingId, madeId });
      continue;
    }
    // A task with several deadlines: the earliest owed and the latest made across them.
    owed.expected += Number(row.expected);
    owed.done += Number(row.done);
    if (pending && (!owed.pending || pending.dueAt < owed.pending.dueAt || (pending.dueAt.getTime() === owed.pending.dueAt.getTime() && pendingId < owed.pendingId))) {
      owed.pending = pending;
      owed.pendingId = pendingId;
    }
    if (made && (!owed.made || made.dueAt > owed.made.dueAt || (made.dueAt.getTime() === owed.made.dueAt.getTime() && madeId < owed.madeId))) {
      owed.made = made;
      owed.madeId = madeId;
    }
  }
  return owedOf;
}

/**
 * The earliest due still owed per task × unit (the overview's lights), as `owedByTaskUnit` reads
 * it but only from the tally rows that owe something, and only those columns.
 */
export async function pendingByTaskUnit(db: Db, planId: number | null, now: Date): Promise<CellMap<Date>> {
  const stored = await db.$queryRaw<Array<{ deadlineId: number | bigint; taskId: number | bigint; unitId: number | bigint; pendingId: number | bigint; pendingDue: Date | string; unopened: number | bigint }>>`
    SELECT b."deadlineId" AS "deadlineId", d."taskId" AS "taskId", b."unitId" AS "unitId", b."pendingId" AS "pendingId", b."pendingDue" AS "pendingDue",
           CASE WHEN b."lastOpensAt" > ${now} THEN 1 ELSE 0 END AS "unopened"
      FROM "Task" t
      JOIN "Deadline" d ON d."taskId" = t."id"
      JOIN "SubmissionTally" b ON b."deadlineId" = d."id"
     ${taskScope(planId)} AND t."active" = true AND d."active" = true AND b."pendingId" IS NOT NULL`;
  // A row whose tally includes a round opening after `now` is folded again for that moment.
  const unopened = new Set(stored.filter((row) => Number(row.unopened) === 1).map((row) => `${row.deadlineId}:${row.unitId}`));
  const rows = stored.filter((row) => Number(row.unopened) === 0);
  if (unopened.size > 0) rows.push(...(await tallyAsOf(db, planId, now)).flatMap((row) => (row.pendingDue !== null && unopened.has(`${row.deadlineId}:${row.unitId}`) ? [{ ...row, pendingId: row.pendingId!, pendingDue: row.pendingDue, unopened: 0 }] : [])));
  const pendingOf: CellMap<Date> = new Map();
  for (const row of rows) {
    const taskId = Number(row.taskId);
    const unitId = Number(row.unitId);
    const due = toDate(row.pendingDue);
    const earlier = pendingOf.get(taskId)?.get(unitId);
    if (!earlier || due < earlier) setCell(pendingOf, taskId, unitId, due);
  }
  return pendingOf;
}

/**
 * The tally of the deadlines in scope that have a round opening after `now`, folded from their
 * rounds opened by `now` (the triggers' fold, with the moment added).
 */
function tallyAsOf(db: Db, planId: number | null, now: Date) {
  return db.$queryRaw<TallyRow[]>`
    SELECT x."deadlineId" AS "deadlineId", x."taskId" AS "taskId", x."unitId" AS "unitId", COUNT(*) AS "expected", COUNT(x."submittedAt") AS "done",
           MAX(CASE WHEN x."submittedAt" IS NULL AND x."first" = 1 THEN x."id" END) AS "pendingId",
           MAX(CASE WHEN x."submittedAt" IS NULL AND x."first" = 1 THEN x."dueAt" END) AS "pendingDue",
           MAX(CASE WHEN x."submittedAt" IS NULL AND x."first" = 1 THEN x."periodKey" END) AS "pendingPeriod",
           MAX(CASE WHEN x."submittedAt" IS NOT NULL AND x."last" = 1 THEN x."id" END) AS "madeId",
           MAX(CASE WHEN x."submittedAt" IS NOT NULL AND x."last" = 1 THEN x."dueAt" END) AS "madeDue",
           MAX(CASE WHEN x."submittedAt" IS NOT NULL AND x."last" = 1 THEN x."periodKey" END) AS "madePeriod"
      FROM (SELECT r."deadlineId", d."taskId", s."unitId", s."id", s."dueAt", s."submittedAt", r."periodKey", r."opensAt",
                   ROW_NUMBER() OVER (PARTITION BY r."deadlineId", s."unitId", s."submittedAt" IS NULL ORDER BY s."dueAt", s."id") AS "first",
                   ROW_NUMBER() OVER (PARTITION BY r."deadlineId", s."unitId", s."submittedAt" IS NULL ORDER BY s."dueAt" DESC, s."id") AS "last"
              FROM "Deadline" d
              JOIN "Round" r ON r."deadlineId" = d."id"
              JOIN "Submission" s ON s."roundId" = r."id"
             WHERE r."opensAt" <= ${now}
               AND d."id" IN (SELECT DISTINCT b."deadlineId" FROM "SubmissionTally" b WHERE b."lastOpensAt" > ${now})
               AND d."taskId" IN (SELECT t."id" FROM "Task" t ${taskScope(planId)} AND t."active" = true)
               AND d."active" = true) x
     GROUP BY x."deadlineId", x."taskId", x."unitId"`;
}

/**
 * The newest status (by createdAt, then id) of every task × unit of the tasks in scope: the plan's
 * active tasks (every active plan's when `planId` is null: the overview), read from
 * `LatestStatus`, which database triggers keep per task × unit in the transaction of every change
 * to a status update. One index range per task, however long the history; it includes units no
 * longer assigned to the task, which callers looking up their cells simply never ask for.
 */
export function latestStatusByTaskUnit(db: Db, planId: number | null) {
  return db.$queryRaw<Array<{ taskId: number | bigint; unitId: number | bigint; status: string; progress: number | bigint | null; createdAt: Date | string; coordinatedAt: Date | string | null }>>`
    SELECT l."taskId" AS "taskId", l."unitId" AS "unitId", l."status" AS "status", l."progress" AS "progress", l."createdAt" AS "createdAt", l."coordinatedAt" AS "coordinatedAt"
      FROM "Task" t
      JOIN "LatestStatus" l ON l."taskId" = t."id"
     ${taskScope(planId)} AND t."active" = true`;
}

/**
 * The cells (task × unit) a board can show whose newest status is 有困难 — the active assignments
 * of the tasks in scope (as `latestStatusByTaskUnit`) and, for a collective unit, its members — as
 * the ids of those status updates. One primary-key look-up per cell in `LatestStatus`.
 */
export async function latestBlockedStatusIds(db: Db, planId: number | null): Promise<number[]> {
  const scope = taskScope(planId);
  const rows = await db.$queryRaw<Array<{ id: number | bigint }>>`
    WITH cells AS (
      SELECT a."taskId" AS "taskId", a."unitId" AS "unitId"
        FROM "Assignment" a JOIN "Task" t ON t."id" = a."taskId"
       ${scope} AND t."active" = true AND a."active" = true
      UNION
      SELECT a."taskId", m."memberId"
        FROM "Assignment" a JOIN "Task" t ON t."id" = a."taskId" JOIN "UnitMember" m ON m."collectiveId" = a."unitId"
       ${scope} AND t."active" = true AND a."active" = true)
    SELECT l."statusUpdateId" AS "id"
      FROM cells c
      JOIN "LatestStatus" l ON l."taskId" = c."taskId" AND l."unitId" = c."unitId"
     WHERE l."status" = ${BLOCKED_STATUS}`;
  return rows.map((row) => Number(row.id));
}

/**
 * A token that changes whenever the board of `planId` may have: the console polls it and fetches
 * the whole board only when it moves. Built from what every change the board shows leaves behind —
 * the newest status update (a reply, an office entry: the only way a submission is marked in),
 * round and submission (rounds opening), extension request, and audit event (coordination,
 * extensions decided, edits of tasks, units, deadlines and the calendar, re-imports, archiving) —
 * each a MAX over a primary key, so one query of index look-ups however large the history. It is
 * coarse on purpose (a change in another plan moves it too: one needless refetch). Lights also
 * move with the clock (a due moment passing, a round opening), so the token carries the minute.
 */
export async function boardVersion(db: Db, now: Date, planId?: number | null): Promise<string> {
  const plan = await resolvePlanId(db, planId);
  const [row] = await db.$queryRaw<Array<Record<"statusUpdate" | "round" | "submission" | "extension" | "audit", number | bigint | null>>>`
    SELECT (SELECT MAX("id") FROM "StatusUpdate") AS "statusUpdate",
           (SELECT MAX("id") FROM "Round") AS "round",
           (SELECT MAX("id") FROM "Submission") AS "submission",
           (SELECT MAX("id") FROM "ExtensionRequest") AS "extension",
           (SELECT MAX("id") FROM "AuditEvent") AS "audit"`;
  const ids = ["statusUpdate", "round", "submission", "extension", "audit"] as const;
  return [plan ?? 0, ...ids.map((k) => Number(row?.[k] ?? 0)), Math.floor(now.getTime() / 60_000)].join(".");
}
