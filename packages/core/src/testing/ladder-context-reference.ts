import type { Db } from "@duban/db/client";
import { shanghaiDate, type Calendar } from "@duban/domain/calendar";
import { DEFAULT_WORKING_HOURS, type LadderRound, type LadderState, type WorkingHours } from "@duban/domain/reminder-ladder";
import { ladderOfDeadline } from "../deadlines/deadline-rule.ts";
import type { LadderContext, RoundInfo } from "../reminders/ladder-state.ts";

const OPEN_ROUND_WINDOW_DAYS = 120;

/**
 * The ladder's context as it was read before it went set-based: one Prisma query with a deep
 * include (it binds one value per unit, so it fails past SQLite's 999 on a large round). Kept for
 * tests only, which hold `loadLadderContext` to the same plan on a database that fits.
 */
export async function ladderContextByInclude(db: Db, now: Date, calendar: Calendar, workingHours: WorkingHours = DEFAULT_WORKING_HOURS): Promise<LadderContext> {
  const since = new Date(now.getTime() - OPEN_ROUND_WINDOW_DAYS * 24 * 3600 * 1000);
  const rounds = await db.round.findMany({
    // An archived plan's rounds get no more reminders.
    where: { dueAt: { gte: since }, opensAt: { lte: now }, deadline: { active: true, task: { active: true, plan: { archivedAt: null } } } },
    include: {
      deadline: { include: { task: { include: { plan: { select: { title: true } } } } } },
      // A contact is reachable on Telegram (telegramChatId) or on another channel (a ContactChannel row).
      submissions: { include: { unit: { include: { contacts: { include: { channels: { where: { channel: { not: "telegram" } }, select: { channel: true } } } } } } } },
      reminders: { select: { key: true } },
    },
    orderBy: { id: "asc" },
  });
  const ladderRounds: LadderRound[] = [];
  const info = new Map<number, RoundInfo>();
  const units = new Map<number, string>();
  const contacts = new Map<number, { chatId: string | null; language: string; unitId: number }>();
  const existingKeys = new Set<string>();
  for (const round of rounds) {
    for (const r of round.reminders) existingKeys.add(r.key);
    const ladder = ladderOfDeadline(round.deadline);
    info.set(round.id, {
      roundId: round.id,
      periodKey: round.periodKey,
      deadlineTitle: round.deadline.title,
      taskId: round.deadline.taskId,
      taskNumber: round.deadline.task.number,
      taskTitle: round.deadline.task.title,
      planId: round.deadline.task.planId,
      planTitle: round.deadline.task.plan.title,
    });
    // Units with an approved extension have their own due date: one ladder round per due date.
    // A rescheduled round's rungs are keyed by due date too, so keys used for its old date (sent
    // or cancelled) do not stop the ladder from restarting for the new one.
    const byDueDate = new Map<string, LadderRound>();
    for (const submission of round.submissions) {
      units.set(submission.unitId, submission.unit.name);
      for (const c of submission.unit.contacts) contacts.set(c.id, { chatId: c.telegramChatId, language: c.language, unitId: c.unitId });
      const dueDate = shanghaiDate(submission.dueAt);
      let entry = byDueDate.get(dueDate);
      if (!entry) {
        const ownKeys = submission.dueAt.getTime() !== round.dueAt.getTime() || round.rescheduledAt !== null;
        entry = { roundId: round.id, dueDate, ladder, units: [], ...(ownKeys ? { keyScope: `due${dueDate.replaceAll("-", "")}` } : {}) };
        byDueDate.set(dueDate, entry);
        ladderRounds.push(entry);
      }
      entry.units.push({
        unitId: submission.unitId,
        submitted: submission.submittedAt !== null,
        snoozedUntil: submission.snoozedUntil,
        contacts: submission.unit.contacts
          .filter((c) => c.status !== "revoked")
          .map((c) => ({
            contactId: c.id,
            role: c.role === "head" ? ("head" as const) : ("liaison" as const),
            reachable: c.status === "active" && (c.telegramChatId !== null || c.channels.length > 0),
          })),
      });
    }
  }
  return { state: { calendar, workingHours, rounds: ladderRounds, existingKeys }, rounds: info, units, contacts };
}
