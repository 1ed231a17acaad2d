import type { Logger } from "pino";
import type { Db } from "@duban/db/client";
import type { WorkingHours } from "@duban/domain/reminder-ladder";
import { loadCalendar } from "../calendar/calendar-source.ts";
import { dispatchReminders, type DispatchSummary } from "./dispatch-reminders.ts";
import { ensureRounds } from "../rounds/ensure-rounds.ts";
import type { Messenger } from "../channels/messenger.ts";
import { planDueReminders, type ReminderView } from "./plan-due-reminders.ts";

export interface SchedulerPassOptions {
  db: Db;
  /** null: no bot configured — rounds and reminders are planned and wait in the outbox. */
  messenger: Messenger | null;
  now: Date;
  workingHours?: WorkingHours;
  officeChatId?: string | null;
  instanceId?: string;
  /** Where a deadline that fails to open its round is reported (the pass goes on). */
  log?: Pick<Logger, "error">;
  /** Aborted on shutdown: sending stops after the current message. */
  signal?: AbortSignal;
}

export interface SchedulerPassResult {
  roundsCreated: Array<{ roundId: number; deadlineId: number; periodKey: string }>;
  planned: ReminderView[];
  dispatch: DispatchSummary;
}

/**
 * One pass of the scheduler, as node-cron runs it every minute, at start (catch-up) and as
 * `duban scheduler tick --at` runs it: create due rounds, write due reminders to the outbox,
 * send what is due. Everything is decided from the database and the given clock.
 */
export async function runSchedulerPass(options: SchedulerPassOptions): Promise<SchedulerPassResult> {
  const { db, now } = options;
  const calendar = await loadCalendar(db);
  const roundsCreated = await ensureRounds(db, now, calendar, options.log);
  const planned = await planDueReminders(db, now, calendar, options.workingHours);
  const dispatch = options.messenger
    ? await dispatchReminders(db, options.messenger, now, { officeChatId: options.officeChatId ?? null, instanceId: options.instanceId, signal: options.signal })
    : { sent: 0, retrying: 0, failed: 0, unreachable: 0, cancelled: 0, reclaimed: 0, answerLost: 0, deferred: 0 };
  return { roundsCreated, planned, dispatch };
}
