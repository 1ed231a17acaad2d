import type { Db } from "@duban/db/client";
import { BLOCKED_STATUS } from "../board/board.ts";

const DAY_MS = 24 * 60 * 60 * 1000;
/** How far ahead "due this week" looks. */
export const DUE_SOON_DAYS = 7;
const RECENT_LIMIT = 10;

/**
 * What the office should look at now: the counts on the console's menu (延期与协调, unreachable
 * liaisons, red cells) and the "today" panel shown on sign-in (what falls due this week, what came
 * in since the user's last visit). A handful of set-based queries, whatever the plan's size.
 */
export async function officeAlerts(db: Db, input: { now: Date; since: Date | null }) {
  const { now } = input;
  // An archived plan asks nothing more of anyone: its owed submissions and difficulties are history.
  const liveTask = { active: true, plan: { archivedAt: null } } as const;
  const owedWhere = { submittedAt: null, round: { deadline: { active: true, task: liveTask } } } as const;

  const [pendingExtensions, openBlocked, unreachableContacts, overdue, dueSoon] = await Promise.all([
    db.extensionRequest.count({ where: { state: "pending" } }),
    db.statusUpdate.findMany({ where: { status: BLOCKED_STATUS, coordinatedAt: null, task: liveTask }, select: { id: true, taskId: true, unitId: true } }),
    db.contact.count({ where: { status: { not: "revoked" }, OR: [{ status: "blocked" }, { unreachableAt: { not: null } }] } }),
    db.submission.findMany({ where: { ...owedWhere, dueAt: { lt: now } }, select: { unitId: true, round: { select: { deadline: { select: { taskId: true } } } } } }),
    db.submission.findMany({
      where: { ...owedWhere, dueAt: { gte: now, lt: new Date(now.getTime() + DUE_SOON_DAYS * DAY_MS) } },
      select: { dueAt: true, roundId: true, round: { select: { periodKey: true, deadline: { select: { title: true, task: { select: { id: true, number: true, title: true } } } } } } },
      orderBy: [{ dueAt: "asc" }, { roundId: "asc" }],
    }),
  ]);

  // A 有困难 stays open until coordinated or until the unit reports again on that task.
  const openBlockers = (await stillLatest(db, openBlocked)).size;
  const redCells = new Set(overdue.map((s) => `${s.round.deadline.taskId}:${s.unitId}`)).size;

  const dueThisWeek = new Map<number, { roundId: number; taskId: number; number: string; title: string; deadline: string; periodKey: string; dueAt: Date; owed: number }>();
  for (const s of dueSoon) {
    const item = dueThisWeek.get(s.roundId);
    if (item) {
      item.owed += 1;
      if (s.dueAt < item.dueAt) item.dueAt = s.dueAt;
      continue;
    }
    const task = s.round.deadline.task;
    dueThisWeek.set(s.roundId, { roundId: s.roundId, taskId: task.id, number: task.number, title: task.title, deadline: s.round.deadline.title, periodKey: s.round.periodKey, dueAt: s.dueAt, owed: 1 });
  }

  const since = input.since;
  const [newReports, newExtensionRequests, recent] = since
    ? await Promise.all([
        db.statusUpdate.count({ where: { createdAt: { gt: since }, source: { not: "console" } } }),
        db.extensionRequest.count({ where: { createdAt: { gt: since } } }),
        db.statusUpdate.findMany({
          where: { createdAt: { gt: since }, source: { not: "console" } },
          orderBy: [{ createdAt: "desc" }, { id: "desc" }],
          take: RECENT_LIMIT,
          select: { id: true, status: true, progress: true, note: true, createdAt: true, unit: { select: { id: true, name: true } }, task: { select: { id: true, number: true, title: true } } },
        }),
      ])
    : [0, 0, []];

  return {
    counts: { pendingExtensions, openBlockers, extensionsAndBlockers: pendingExtensions + openBlockers, unreachableContacts, redCells },
    dueThisWeek: [...dueThisWeek.values()].sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.roundId - b.roundId),
    sinceLastVisit: since ? { since, reports: newReports, extensionRequests: newExtensionRequests, recent } : null,
  };
}

const STILL_LATEST_CHUNK = 400;

/** Which of these 有困难 reports are still the latest word of their unit on their task ("task:unit" keys). */
export async function stillLatest(db: Db, blocked: { id: number; taskId: number; unitId: number }[]): Promise<Set<string>> {
  if (blocked.length === 0) return new Set();
  const newest = new Map<string, number>();
  // One query per 400 reports for every later report on their tasks by their units (bounded by
  // their ids); chunked because groupBy's id lists are bound as they are, under SQLite's 999.
  for (let i = 0; i < blocked.length; i += STILL_LATEST_CHUNK) {
    const chunk = blocked.slice(i, i + STILL_LATEST_CHUNK);
    const later = await db.statusUpdate.groupBy({
      by: ["taskId", "unitId"],
      where: { id: { gt: Math.min(...chunk.map((b) => b.id)) }, taskId: { in: [...new Set(chunk.map((b) => b.taskId))] }, unitId: { in: [...new Set(chunk.map((b) => b.unitId))] } },
      _max: { id: true },
    });
    for (const l of later) newest.set(`${l.taskId}:${l.unitId}`, Math.max(newest.get(`${l.taskId}:${l.unitId}`) ?? 0, l._max.id ?? 0));
  }
  const open = new Set<string>();
  for (const b of blocked) {
    const key = `${b.taskId}:${b.unitId}`;
    if ((newest.get(key) ?? 0) <= b.id) open.add(key);
  }
  return open;
}
