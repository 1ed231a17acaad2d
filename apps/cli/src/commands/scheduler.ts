import { parseArgs } from "node:util";
import { loadCalendar } from "@duban/core/calendar-source";
import { listRounds } from "@duban/core/list-rounds";
import { RecordingMessenger } from "@duban/core/messenger";
import { previewDueReminders } from "@duban/core/plan-due-reminders";
import { runSchedulerPass } from "@duban/core/run-scheduler-pass";
import { periodKeySchema } from "@duban/domain/period";
import { type CliIo, openDatabase, parseInstant, UsageError, workingHours } from "../io.ts";

function options(args: string[], spec: Record<string, { type: "string" }>) {
  try {
    return parseArgs({ args, options: spec, allowPositionals: false, strict: true }).values as Record<string, string | undefined>;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** reminders preview --at <ISO>: one JSON object a line, nothing written or sent. */
export async function remindersCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== "preview") throw new UsageError("usage: reminders preview --at <ISO datetime>");
  const at = parseInstant(options(rest, { at: { type: "string" } }).at, "--at");
  const hours = workingHours(io);
  const db = await openDatabase(io);
  try {
    const calendar = await loadCalendar(db);
    for (const r of await previewDueReminders(db, at, calendar, hours)) {
      io.out(JSON.stringify({ key: r.key, unit: r.unit, contact: r.contact, task: r.task, rung: r.rung, at: r.at, text: r.text }));
    }
    return 0;
  } finally {
    await db.$disconnect();
  }
}

/** rounds list [--period 2026Q4]: one JSON object a line. */
export async function roundsCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== "list") throw new UsageError("usage: rounds list [--period 2026Q4]");
  const { period } = options(rest, { period: { type: "string" } });
  if (period !== undefined && period !== "once" && !periodKeySchema.safeParse(period).success) {
    throw new UsageError(`--period: "${period}" is not a period key like 2026Q4 or 2026`);
  }
  const db = await openDatabase(io);
  try {
    for (const r of await listRounds(db, { period, now: io.now() })) {
      io.out(JSON.stringify({ period: r.period, cycle: r.cycle, task: r.taskNumber, deadline: r.deadline, dueAt: r.dueAt.toISOString(), expected: r.expected, submitted: r.submitted, missing: r.missing }));
    }
    return 0;
  } finally {
    await db.$disconnect();
  }
}

/** scheduler tick --at <ISO>: one pass as if it were that moment; messages are recorded, not sent. */
export async function schedulerCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== "tick") throw new UsageError("usage: scheduler tick --at <ISO datetime>");
  const at = parseInstant(options(rest, { at: { type: "string" } }).at, "--at");
  const hours = workingHours(io);
  const db = await openDatabase(io);
  try {
    const messenger = new RecordingMessenger();
    const result = await runSchedulerPass({ db, messenger, now: at, instanceId: "cli", workingHours: hours });
    for (const round of result.roundsCreated) io.out(JSON.stringify({ action: "round-created", ...round }));
    for (const r of result.planned) io.out(JSON.stringify({ action: "reminder-planned", key: r.key, unit: r.unit, task: r.task, rung: r.rung }));
    for (const m of messenger.sent) io.out(JSON.stringify({ action: "message-recorded", key: m.key, chatId: m.chatId, text: m.text }));
    io.out(JSON.stringify({ action: "summary", roundsCreated: result.roundsCreated.length, planned: result.planned.length, ...result.dispatch }));
    return 0;
  } finally {
    await db.$disconnect();
  }
}
