import type { Db } from "@duban/db/client";
import { Prisma as Sql } from "@duban/db/generated/prisma/client";
import { shanghaiDate, type Calendar } from "@duban/domain/calendar";
import { DEFAULT_WORKING_HOURS, type LadderRound, type LadderState, type WorkingHours } from "@duban/domain/reminder-ladder";
import { ladderOfDeadline } from "../deadlines/deadline-rule.ts";
import { toDate } from "../plans/plans.ts";

/** How far back a round stays "open" for the ladder; overdueMax caps rungs inside that window. */
const OPEN_ROUND_WINDOW_DAYS = 120;

export interface RoundInfo {
  roundId: number;
  periodKey: string;
  deadlineTitle: string;
  taskId: number;
  taskNumber: string;
  taskTitle: string;
  planId: number;
  planTitle: string;
}

export interface LadderContext {
  state: LadderState;
  rounds: Map<number, RoundInfo>;
  units: Map<number, string>;
  contacts: Map<number, { chatId: string | null; language: string; unitId: number }>;
}

type Id = number | bigint;
type When = Date | string | number;

/**
 * Reads what the reminder ladder needs from the database: open rounds, their units that have not
 * answered (a unit that has gets nothing), those units' contacts, snoozes and the keys already
 * planned for them. Four set-based queries joined on the open rounds — no id list is ever bound,
 * so a round of any size loads (Prisma's nested include bound one value per unit and broke
 * SQLite's 999 limit). Nothing is cached between passes: the database is the only memory, so
 * restarts and second instances agree.
 */
export async function loadLadderContext(db: Db, now: Date, calendar: Calendar, workingHours: WorkingHours = DEFAULT_WORKING_HOURS): Promise<LadderContext> {
  const since = new Date(now.getTime() - OPEN_ROUND_WINDOW_DAYS * 24 * 3600 * 1000);
  // An archived plan's rounds get no more reminders. Served by Round(dueAt).
  const openRounds = Sql.sql`
    JOIN "Deadline" d ON d."id" = r."deadlineId"
    JOIN "Task" t ON t."id" = d."taskId"
    JOIN "Plan" p ON p."id" = t."planId"
   WHERE r."dueAt" >= ${since} AND r."opensAt" <= ${now} AND d."active" = true AND t."active" = true AND p."archivedAt" IS NULL`;

  const rounds = await db.$queryRaw<Array<{ id: Id; periodKey: string; dueAt: When; rescheduled: Id; deadlineTitle: string; ladder: string | null; taskId: Id; taskNumber: string; taskTitle: string; planId: Id; planTitle: string }>>`
    SELECT r."id" AS "id", r."periodKey" AS "periodKey", r."dueAt" AS "dueAt", CASE WHEN r."rescheduledAt" IS NULL THEN 0 ELSE 1 END AS "rescheduled",
           d."title" AS "deadlineTitle", d."ladder" AS "ladder", d."taskId" AS "taskId", t."number" AS "taskNumber", t."title" AS "taskTitle",
           t."planId" AS "planId", p."title" AS "planTitle"
      FROM "Round" r ${openRounds}
     ORDER BY r."id"`;
  // Unanswered submissions of those rounds, from the Submission(roundId, unitId, submittedAt, dueAt) index.
  const submissions = await db.$queryRaw<Array<{ roundId: Id; unitId: Id; dueAt: When; snoozedUntil: When | null; unitName: string }>>`
    SELECT s."roundId" AS "roundId", s."unitId" AS "unitId", s."dueAt" AS "dueAt", s."snoozedUntil" AS "snoozedUntil", u."name" AS "unitName"
      FROM "Round" r
      JOIN "Submission" s ON s."roundId" = r."id" AND s."submittedAt" IS NULL
      JOIN "Unit" u ON u."id" = s."unitId"
      ${openRounds}
     ORDER BY s."roundId", s."id"`;
  // Their contacts (Contact(unitId)); reachable on Telegram or on another channel (ContactChannel(contactId)).
  const contactRows = await db.$queryRaw<Array<{ id: Id; unitId: Id; role: string; status: string; telegramChatId: string | null; language: string; elsewhere: Id | boolean }>>`
    SELECT c."id" AS "id", c."unitId" AS "unitId", c."role" AS "role", c."status" AS "status", c."telegramChatId" AS "telegramChatId", c."language" AS "language",
           CASE WHEN EXISTS (SELECT 1 FROM "ContactChannel" cc WHERE cc."contactId" = c."id" AND cc."channel" <> 'telegram') THEN 1 ELSE 0 END AS "elsewhere"
      FROM "Contact" c
     WHERE c."status" <> 'revoked'
       AND c."unitId" IN (SELECT s."unitId" FROM "Round" r JOIN "Submission" s ON s."roundId" = r."id" AND s."submittedAt" IS NULL ${openRounds})
     ORDER BY c."id"`;
  // Keys already in the outbox for those (round, unit) tracks, from Reminder(roundId).
  const keys = await db.$queryRaw<Array<{ key: string }>>`
    SELECT m."key" AS "key"
      FROM "Round" r
      JOIN "Reminder" m ON m."roundId" = r."id"
      ${openRounds}
       AND EXISTS (SELECT 1 FROM "Submission" s WHERE s."roundId" = m."roundId" AND s."unitId" = m."unitId" AND s."submittedAt" IS NULL)`;

  const contacts = new Map<number, { chatId: string | null; language: string; unitId: number }>();
  const contactsOf = new Map<number, Array<{ contactId: number; role: "head" | "liaison"; reachable: boolean }>>();
  for (const c of contactRows) {
    const id = Number(c.id);
    const unitId = Number(c.unitId);
    contacts.set(id, { chatId: c.telegramChatId, language: c.language, unitId });
    const list = contactsOf.get(unitId) ?? [];
    list.push({ contactId: id, role: c.role === "head" ? "head" : "liaison", reachable: c.status === "active" && (c.telegramChatId !== null || Number(c.elsewhere) === 1) });
    contactsOf.set(unitId, list);
  }

  const info = new Map<number, RoundInfo>();
  const roundRows = new Map<number, { dueAt: Date; rescheduled: boolean; ladder: LadderRound["ladder"] }>();
  for (const round of rounds) {
    const id = Number(round.id);
    info.set(id, {
      roundId: id,
      periodKey: round.periodKey,
      deadlineTitle: round.deadlineTitle,
      taskId: Number(round.taskId),
      taskNumber: round.taskNumber,
      taskTitle: round.taskTitle,
      planId: Number(round.planId),
      planTitle: round.planTitle,
    });
    roundRows.set(id, { dueAt: toDate(round.dueAt), rescheduled: Number(round.rescheduled) === 1, ladder: ladderOfDeadline(round) });
  }

  const ladderRounds: LadderRound[] = [];
  const units = new Map<number, string>();
  // Units with an approved extension have their own due date: one ladder round per due date.
  // A rescheduled round's rungs are keyed by due date too, so keys used for its old date (sent
  // or cancelled) do not stop the ladder from restarting for the new one.
  const byRoundAndDueDate = new Map<string, LadderRound>();
  // Most submissions share their round's due instant: its date is worked out once.
  const dueDates = new Map<number, string>();
  for (const submission of submissions) {
    const roundId = Number(submission.roundId);
    const unitId = Number(submission.unitId);
    const round = roundRows.get(roundId);
    if (!round) continue;
    units.set(unitId, submission.unitName);
    const dueAt = toDate(submission.dueAt);
    let dueDate = dueDates.get(dueAt.getTime());
    if (dueDate === undefined) {
      dueDate = shanghaiDate(dueAt);
      dueDates.set(dueAt.getTime(), dueDate);
    }
    let entry = byRoundAndDueDate.get(`${roundId}/${dueDate}`);
    if (!entry) {
      const ownKeys = dueAt.getTime() !== round.dueAt.getTime() || round.rescheduled;
      entry = { roundId, dueDate, ladder: round.ladder, units: [], ...(ownKeys ? { keyScope: `due${dueDate.replaceAll("-", "")}` } : {}) };
      byRoundAndDueDate.set(`${roundId}/${dueDate}`, entry);
      ladderRounds.push(entry);
    }
    entry.units.push({
      unitId,
      submitted: false,
      snoozedUntil: submission.snoozedUntil === null ? null : toDate(submission.snoozedUntil),
      contacts: contactsOf.get(unitId) ?? [],
    });
  }
  return { state: { calendar, workingHours, rounds: ladderRounds, existingKeys: new Set(keys.map((k) => k.key)) }, rounds: info, units, contacts };
}
