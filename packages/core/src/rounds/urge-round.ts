import type { Db } from "@duban/db/client";
import { queueReminderOnce } from "@duban/db/repositories/reminder-outbox";
import { shanghaiDate } from "@duban/domain/calendar";
import { periodLabel } from "@duban/domain/period";
import { reminderText } from "@duban/domain/reminder-text";
import { loadCalendar } from "../calendar/calendar-source.ts";
import { writeAudit } from "../audit/audit.ts";
import { ONCE_PERIOD } from "./ensure-rounds.ts";

export interface UrgeInput {
  roundId: number;
  /** The plan the caller is looking at; a round of another plan is refused as not found. */
  planId?: number | null;
  /** Limit to these units; they must be missing. Default: every missing unit. */
  unitIds?: number[];
  now: Date;
  actor: { actorType: "user" | "system"; actorId?: number | string | null };
}

export interface UrgeResult {
  /** Units that got an urge queued. */
  units: Array<{ unitId: number; unit: string; contacts: number }>;
  /** Missing units with no reachable liaison: the office must phone them. */
  unreachable: Array<{ unitId: number; unit: string }>;
  reminders: number;
}

/**
 * 催办: queues an urge to every liaison of the units that have not submitted, to be sent at
 * once by the dispatcher. One urge per unit and contact per minute (the key), so a double
 * click does not send twice.
 */
/** An expected refusal; `code` lets the API answer it as a user mistake, not a server error. */
export class UrgeRoundError extends Error {
  constructor(
    readonly code: "not-found" | "plan-archived",
    message: string,
  ) {
    super(message);
  }
}

export async function urgeRound(db: Db, input: UrgeInput): Promise<UrgeResult> {
  const round = await db.round.findUnique({
    where: { id: input.roundId },
    include: { deadline: { include: { task: { include: { plan: { select: { title: true, archivedAt: true } } } } } }, submissions: { include: { unit: { include: { contacts: { include: { channels: { where: { channel: { not: "telegram" } }, select: { channel: true } } } } } } } } },
  });
  if (!round || (input.planId != null && round.deadline.task.planId !== input.planId)) throw new UrgeRoundError("not-found", "报送轮次不存在");
  if (round.deadline.task.plan.archivedAt) throw new UrgeRoundError("plan-archived", "该方案已归档，不再催办");
  const calendar = await loadCalendar(db);
  const stamp = input.now.toISOString().slice(0, 16);
  const missing = round.submissions.filter((s) => !s.submittedAt && (!input.unitIds || input.unitIds.includes(s.unitId)));
  const result: UrgeResult = { units: [], unreachable: [], reminders: 0 };
  for (const submission of missing) {
    const liaisons = submission.unit.contacts.filter((c) => c.role === "liaison" && c.status === "active" && (c.telegramChatId || c.channels.length > 0));
    if (liaisons.length === 0) {
      result.unreachable.push({ unitId: submission.unitId, unit: submission.unit.name });
      continue;
    }
    const dueDate = shanghaiDate(submission.dueAt);
    let queued = 0;
    for (const contact of liaisons) {
      const lang = contact.language === "en" ? "en" : "zh";
      const text = reminderText({
        lang,
        kind: "urge",
        rung: "urge",
        unitName: submission.unit.name,
        taskNumber: round.deadline.task.number,
        taskTitle: round.deadline.task.title,
        planTitle: round.deadline.task.plan.title,
        deadlineTitle: round.deadline.title,
        periodLabel: round.periodKey === ONCE_PERIOD ? null : periodLabel(round.periodKey, lang),
        dueDate,
        overdueWorkdays: Math.max(0, calendar.workdaysBetween(dueDate, shanghaiDate(input.now))),
      });
      const fresh = await queueReminderOnce(db, {
        key: `r${round.id}:u${submission.unitId}:c${contact.id}:urge-${stamp}`,
        kind: "urge",
        roundId: round.id,
        unitId: submission.unitId,
        contactId: contact.id,
        rung: `urge-${stamp}`,
        dueAt: input.now,
        text,
        now: input.now,
      });
      if (fresh) queued++;
    }
    result.units.push({ unitId: submission.unitId, unit: submission.unit.name, contacts: queued });
    result.reminders += queued;
  }
  await writeAudit(db, {
    actorType: input.actor.actorType,
    actorId: input.actor.actorId ?? null,
    action: "round.urge",
    entity: "Round",
    entityId: round.id,
    detail: { units: result.units.map((u) => u.unit), unreachable: result.unreachable.map((u) => u.unit) },
    at: input.now,
  });
  return result;
}
