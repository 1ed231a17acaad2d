import type { Db } from "@duban/db/client";
import { shanghaiDate } from "@duban/domain/calendar";
import { describeRule } from "@duban/domain/due-date";
import { periodKeyOf } from "@duban/domain/period";
import { loadBoard } from "./board.ts";
import { ladderOfDeadline, ruleOfDeadline } from "../deadlines/deadline-rule.ts";
import { userNames } from "../users/user-names.ts";
import { resolvePlanId } from "../plans/plans.ts";

export class TaskDetailError extends Error {
  constructor(
    readonly code: "not-found",
    message: string,
  ) {
    super(message);
  }
}

const historyInclude = {
  unit: { select: { id: true, name: true } },
  contact: { select: { id: true, name: true, telegramName: true, role: true } },
  round: { select: { periodKey: true } },
  values: { include: { indicator: { select: { id: true, name: true, measureUnit: true } } } },
  attachments: { select: { id: true, kind: true, fileName: true, mimeType: true, size: true } },
} as const;

type HistoryRow = Awaited<ReturnType<typeof loadHistory>>[number];

async function loadHistory(db: Db, where: { taskId: number; unitId?: { in: number[] } }) {
  const rows = await db.statusUpdate.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], include: historyInclude });
  // Who in the office entered (代为填报) or coordinated an update: shown by name, not only in the audit log.
  const users = await userNames(db, rows.flatMap((u) => [u.userId, u.coordinatedById]));
  return rows.map((u) => ({ ...u, officeUser: u.userId === null ? null : (users.get(u.userId) ?? null), coordinatedBy: u.coordinatedById === null ? null : (users.get(u.coordinatedById) ?? null) }));
}

function historyItem(u: HistoryRow) {
  return {
    id: u.id,
    at: u.createdAt,
    unit: u.unit,
    contact: u.contact ? { id: u.contact.id, name: u.contact.name ?? u.contact.telegramName, role: u.contact.role } : null,
    byOffice: u.userId !== null,
    /** The office user who entered it, when byOffice. */
    officeUser: u.officeUser,
    source: u.source,
    status: u.status,
    progress: u.progress,
    note: u.note,
    coordinatedAt: u.coordinatedAt,
    coordinationNote: u.coordinationNote,
    coordinatedBy: u.coordinatedBy,
    periodKey: u.round?.periodKey ?? null,
    values: u.values.map((v) => ({ indicatorId: v.indicator.id, name: v.indicator.name, value: v.value, measureUnit: v.indicator.measureUnit })),
    attachments: u.attachments,
  };
}

/** Everything the 任务 page shows about one task. */
export async function taskDetail(db: Db, taskId: number, now: Date) {
  const task = await db.task.findUnique({
    where: { id: taskId },
    include: {
      group: true,
      plan: { select: { id: true, title: true } },
      assignments: { where: { active: true }, orderBy: { ordinal: "asc" }, include: { unit: { include: { contacts: { where: { status: { not: "revoked" } } } } } } },
      indicators: { where: { active: true }, orderBy: { ordinal: "asc" }, include: { values: { include: { statusUpdate: { include: { round: true, unit: true } } }, orderBy: { createdAt: "asc" } } } },
      deadlines: { orderBy: { id: "asc" }, include: { cycle: true, assignment: { include: { unit: true } }, rounds: { orderBy: { dueAt: "desc" }, take: 4, include: { submissions: true } } } },
    },
  });
  if (!task) throw new TaskDetailError("not-found", "任务不存在");

  const board = await loadBoard(db, now);
  const row = board.rows.find((r) => r.taskId === task.id);
  const history = await loadHistory(db, { taskId: task.id });

  return {
    id: task.id,
    planId: task.planId,
    number: task.number,
    title: task.title,
    body: task.body,
    deadlineText: task.deadlineText,
    leader: task.leader,
    unitNote: task.unitNote,
    editedAt: task.editedAt,
    active: task.active,
    plan: task.plan,
    group: task.group ? { id: task.group.id, number: task.group.number, heading: task.group.heading } : null,
    light: row?.light ?? null,
    units: task.assignments.map((a) => {
      const cell = row?.cells.find((c) => c.unitId === a.unitId);
      return {
        unitId: a.unitId,
        name: a.unit.name,
        collective: a.unit.collective,
        role: a.role,
        light: cell?.light ?? null,
        status: cell?.status ?? null,
        progress: cell?.progress ?? null,
        dueAt: cell?.dueAt ?? null,
        liaisons: a.unit.contacts.filter((c) => c.role === "liaison").length,
        liaisonNames: a.unit.contacts.filter((c) => c.role === "liaison").map((c) => c.name ?? c.telegramName ?? null),
      };
    }),
    indicators: task.indicators.map((i) => {
      const points = i.values.map((v) => ({
        at: v.createdAt,
        value: v.value,
        unit: v.statusUpdate.unit.name,
        // A value answers its round's period; one given outside a round counts for the quarter it was given in.
        periodKey: v.statusUpdate.round?.periodKey ?? periodKeyOf(shanghaiDate(v.createdAt), "quarterly"),
      }));
      const latest = points[points.length - 1] ?? null;
      return {
        id: i.id,
        name: i.name,
        text: i.text,
        comparator: i.comparator,
        target: i.value,
        measureUnit: i.measureUnit,
        latest,
        points,
      };
    }),
    deadlines: task.deadlines.map((d) => {
      const rule = ruleOfDeadline(d);
      return {
        id: d.id,
        title: d.title,
        kind: d.kind,
        rule,
        ruleText: describeRule(rule),
        dayBasis: d.dayBasis,
        dueTime: d.dueTime,
        active: d.active,
        cycle: d.cycle?.name ?? null,
        unit: d.assignment?.unit.name ?? null,
        ladder: ladderOfDeadline(d),
        customLadder: d.ladder !== null,
        rounds: d.rounds.map((r) => ({
          id: r.id,
          periodKey: r.periodKey,
          dueAt: r.dueAt,
          expected: r.submissions.length,
          submitted: r.submissions.filter((s) => s.submittedAt).length,
        })),
      };
    }),
    history: history.map(historyItem),
  };
}

/** The board's drawer: one task × unit (a collective covers its members). */
export async function cellHistory(db: Db, input: { taskId: number; unitId: number }) {
  const unit = await db.unit.findUnique({ where: { id: input.unitId }, include: { members: { include: { member: { select: { id: true, name: true } } } } } });
  const task = await db.task.findUnique({
    where: { id: input.taskId },
    select: { id: true, number: true, title: true, indicators: { where: { active: true }, orderBy: { ordinal: "asc" }, select: { id: true, name: true, comparator: true, value: true, measureUnit: true } } },
  });
  if (!unit || !task) throw new TaskDetailError("not-found", "任务或单位不存在");
  const unitIds = [unit.id, ...(unit.collective ? unit.members.map((m) => m.memberId) : [])];
  const [history, submissions, extensions] = await Promise.all([
    loadHistory(db, { taskId: task.id, unitId: { in: unitIds } }),
    db.submission.findMany({
      where: { unitId: { in: unitIds }, round: { deadline: { taskId: task.id } } },
      include: { round: { include: { deadline: { select: { title: true } } } }, unit: { select: { name: true } } },
      orderBy: { dueAt: "desc" },
    }),
    db.extensionRequest.findMany({
      where: { unitId: { in: unitIds }, round: { deadline: { taskId: task.id } } },
      orderBy: { createdAt: "desc" },
      include: { round: { select: { periodKey: true } } },
    }),
  ]);
  return {
    task,
    unit: { id: unit.id, name: unit.name, collective: unit.collective, members: unit.members.map((m) => m.member) },
    history: history.map(historyItem),
    submissions: submissions.map((s) => ({
      id: s.id,
      roundId: s.roundId,
      unitId: s.unitId,
      unit: s.unit.name,
      opensAt: s.round.opensAt,
      deadline: s.round.deadline.title,
      periodKey: s.round.periodKey,
      dueAt: s.dueAt,
      submittedAt: s.submittedAt,
      acknowledgedAt: s.acknowledgedAt,
      lastStatus: s.lastStatus,
    })),
    extensions: extensions.map((e) => ({ id: e.id, periodKey: e.round.periodKey, reason: e.reason, state: e.state, newDueAt: e.newDueAt, decisionReason: e.decisionReason, at: e.createdAt })),
  };
}

/** Active tasks of the current plan with their assignments (ids for deadline forms and filters). */
export async function listTasks(db: Db, planId_?: number | null) {
  const planId = await resolvePlanId(db, planId_);
  if (planId === null) return [];
  const tasks = await db.task.findMany({
    where: { planId, active: true },
    orderBy: { ordinal: "asc" },
    include: { group: true, assignments: { where: { active: true }, orderBy: { ordinal: "asc" }, include: { unit: true } } },
  });
  return tasks.map((t) => ({
    id: t.id,
    number: t.number,
    title: t.title,
    group: t.group ? { id: t.group.id, number: t.group.number, heading: t.group.heading } : null,
    assignments: t.assignments.map((a) => ({ id: a.id, unitId: a.unitId, unit: a.unit.name, role: a.role })),
  }));
}
