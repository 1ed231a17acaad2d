import type { Db } from "@duban/db/client";
import { isUniqueViolation } from "@duban/db/errors";
import { shanghaiDate, shanghaiInstant, addDays, type Calendar } from "@duban/domain/calendar";
import { officeDigestText, type OfficeDigest } from "@duban/domain/office-digest-text";
import { isWithinWorkingHours, type WorkingHours } from "@duban/domain/working-hours";
import { BLOCKED_STATUS } from "../board/board.ts";
import { backoffMs, CLAIM_TIMEOUT_MS } from "../reminders/dispatch-reminders.ts";
import type { Messenger, SendResult } from "../channels/messenger.ts";
import { stillLatest } from "./office-alerts.ts";

const MAX_ATTEMPTS = 6;

/** The figures of today's digest: overdue units per plan, what awaits the office, today's due rounds. */
export async function loadOfficeDigest(db: Db, now: Date): Promise<OfficeDigest> {
  const today = shanghaiDate(now);
  const liveTask = { active: true, plan: { archivedAt: null } } as const;
  const owed = { submittedAt: null, round: { deadline: { active: true, task: liveTask } } } as const;
  const [overdue, extensions, blocked, dueToday] = await Promise.all([
    // Overdue per plan and unit in one grouped query (no id lists: a province has thousands).
    db.$queryRaw<Array<{ planId: number | bigint; planTitle: string; unitId: number | bigint; unitName: string; items: number | bigint; firstRound: number | bigint }>>`
      SELECT p."id" AS "planId", p."title" AS "planTitle", s."unitId" AS "unitId", u."name" AS "unitName", COUNT(*) AS "items", MIN(s."roundId") AS "firstRound"
        FROM "Submission" s
        JOIN "Round" r ON r."id" = s."roundId"
        JOIN "Deadline" d ON d."id" = r."deadlineId"
        JOIN "Task" t ON t."id" = d."taskId"
        JOIN "Plan" p ON p."id" = t."planId"
        JOIN "Unit" u ON u."id" = s."unitId"
       WHERE s."submittedAt" IS NULL AND s."dueAt" < ${now} AND d."active" = true AND t."active" = true AND p."archivedAt" IS NULL
       GROUP BY p."id", p."title", s."unitId", u."name"`,
    db.extensionRequest.findMany({
      where: { state: "pending", round: { deadline: { task: liveTask } } },
      orderBy: { createdAt: "asc" },
      select: { unit: { select: { name: true } }, round: { select: { deadline: { select: { task: { select: { number: true } } } } } } },
    }),
    db.statusUpdate.findMany({ where: { status: BLOCKED_STATUS, coordinatedAt: null, task: liveTask }, orderBy: { id: "asc" }, select: { id: true, taskId: true, unitId: true, unit: { select: { name: true } }, task: { select: { number: true } } } }),
    db.submission.findMany({
      where: { ...owed, dueAt: { gte: now, lt: shanghaiInstant(addDays(today, 1), "00:00") } },
      select: { roundId: true, round: { select: { periodKey: true, deadline: { select: { title: true, task: { select: { number: true } } } } } } },
      orderBy: [{ dueAt: "asc" }, { roundId: "asc" }],
    }),
  ]);

  // Plans in the order of their oldest overdue round.
  const perPlan = new Map<number, { plan: string; first: number; units: Map<string, number> }>();
  for (const o of overdue) {
    const entry = perPlan.get(Number(o.planId)) ?? { plan: o.planTitle, first: Number(o.firstRound), units: new Map<string, number>() };
    entry.first = Math.min(entry.first, Number(o.firstRound));
    entry.units.set(o.unitName, Number(o.items));
    perPlan.set(Number(o.planId), entry);
  }

  const open = await stillLatest(db, blocked);
  const seen = new Set<string>();
  const openBlockers = blocked.filter((b) => {
    const key = `${b.taskId}:${b.unitId}`;
    if (!open.has(key) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });

  const today_ = new Map<number, { task: string; what: string; owed: number }>();
  for (const s of dueToday) {
    const item = today_.get(s.roundId);
    if (item) item.owed += 1;
    else today_.set(s.roundId, { task: `任务${s.round.deadline.task.number}`, what: `${s.round.deadline.title}（${s.round.periodKey}）`, owed: 1 });
  }

  return {
    date: today,
    overdue: [...perPlan.values()].sort((x, y) => x.first - y.first).map((p) => ({
      plan: p.plan,
      units: [...p.units].map(([unit, items]) => ({ unit, items })).sort((a, b) => b.items - a.items || a.unit.localeCompare(b.unit, "zh")),
    })),
    pendingExtensions: extensions.map((e) => ({ unit: e.unit.name, task: `任务${e.round.deadline.task.number}` })),
    openBlockers: openBlockers.map((b) => ({ unit: b.unit.name, task: `任务${b.task.number}` })),
    dueToday: [...today_.values()],
  };
}

export interface OfficeDigestOptions {
  officeChatId: string;
  calendar: Calendar;
  workingHours: WorkingHours;
}

export type OfficeDigestOutcome = "outside-hours" | "already-sent" | "sent" | "retrying" | "failed" | "taken";

/**
 * 每日督办简报: on a workday within working hours, the first pass of the day writes the digest
 * under the day's key (OfficeDigest.day) and sends it to the office chat. Exactly once a day with
 * several instances: only the one whose insert (or conditional claim of a retry) succeeded sends.
 * A failed send is retried with backoff; a claim left by a crashed process is taken over after
 * CLAIM_TIMEOUT_MS, the outbox's one duplicate window.
 */
export async function sendOfficeDigest(db: Db, messenger: Messenger, now: Date, options: OfficeDigestOptions): Promise<OfficeDigestOutcome> {
  if (!messenger.sendText || !isWithinWorkingHours(now, options.calendar, options.workingHours)) return "outside-hours";
  const day = shanghaiDate(now);
  const existing = await db.officeDigest.findUnique({ where: { day } });
  let text: string;
  let attempts: number;
  if (!existing) {
    text = officeDigestText(await loadOfficeDigest(db, now));
    try {
      await db.officeDigest.create({ data: { day, text, state: "sending", claimedAt: now } });
    } catch (error) {
      if (isUniqueViolation(error)) return "taken";
      throw error;
    }
    attempts = 1;
  } else {
    if (existing.state === "sent") return "already-sent";
    if (existing.state === "failed") return "failed";
    const due = existing.state === "retrying" ? (existing.nextAttemptAt ?? now) <= now : existing.claimedAt.getTime() <= now.getTime() - CLAIM_TIMEOUT_MS;
    if (!due) return "taken";
    const { count } = await db.officeDigest.updateMany({
      where: { day, state: existing.state, claimedAt: existing.claimedAt },
      data: { state: "sending", claimedAt: now, attempts: { increment: 1 } },
    });
    if (count !== 1) return "taken";
    ({ text } = existing);
    attempts = existing.attempts + 1;
  }
  let result: SendResult;
  try {
    result = await messenger.sendText(options.officeChatId, text);
  } catch (error) {
    result = { ok: false, outcome: "retry", error: error instanceof Error ? error.message : String(error) };
  }
  if (result.ok) {
    await db.officeDigest.update({ where: { day }, data: { state: "sent", sentAt: now, chatMessageId: result.messageId, lastError: null } });
    return "sent";
  }
  if (result.outcome === "retry" && attempts < MAX_ATTEMPTS) {
    const wait = Math.max(result.retryAfterMs ?? 0, backoffMs(attempts));
    await db.officeDigest.update({ where: { day }, data: { state: "retrying", nextAttemptAt: new Date(now.getTime() + wait), lastError: result.error.slice(0, 500) } });
    return "retrying";
  }
  await db.officeDigest.update({ where: { day }, data: { state: "failed", lastError: result.error.slice(0, 500) } });
  return "failed";
}
