import { parseArgs } from "node:util";
import { createTelegramApi } from "@duban/bot/create-bot";
import { TelegramMessenger } from "@duban/bot/telegram-messenger";
import { loadCalendar } from "@duban/core/calendar/calendar-source";
import { listRounds } from "@duban/core/rounds/list-rounds";
import { RecordingMessenger } from "@duban/core/channels/messenger";
import { previewDueReminders } from "@duban/core/reminders/plan-due-reminders";
import { runSchedulerPass } from "@duban/core/reminders/run-scheduler-pass";
import { periodKeySchema } from "@duban/domain/period";
import { type CliIo, openDatabase, parseInstant, UsageError, workingHours } from "../io.ts";

function options(args: string[], spec: Record<string, { type: "string" | "boolean" }>) {
  try {
    return parseArgs({ args, options: spec, allowPositionals: false, strict: true }).values as Record<string, string | boolean | undefined>;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** reminders preview --at <ISO>: one JSON object a line, nothing written or sent. */
export async function remindersCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== "preview") throw new UsageError("usage: reminders preview --at <ISO datetime>");
  const at = parseInstant(options(rest, { at: { type: "string" } }).at as string | undefined, "--at");
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

/** rounds list [--plan <id>] [--period 2026Q4]: one JSON object a line, each with its planId. */
export async function roundsCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== "list") throw new UsageError("usage: rounds list [--plan <id>] [--period 2026Q4]");
  const flags = options(rest, { period: { type: "string" }, plan: { type: "string" } });
  const period = flags.period as string | undefined;
  const planId = flags.plan === undefined ? undefined : Number(flags.plan);
  if (planId !== undefined && !(Number.isInteger(planId) && planId > 0)) throw new UsageError(`--plan: "${String(flags.plan)}" is not a plan id (see plan list)`);
  if (period !== undefined && period !== "once" && !periodKeySchema.safeParse(period).success) {
    throw new UsageError(`--period: "${period}" is not a period key like 2026Q4 or 2026`);
  }
  const db = await openDatabase(io);
  try {
    if (planId !== undefined && !(await db.plan.findUnique({ where: { id: planId }, select: { id: true } }))) {
      io.err(`no plan ${planId} (see plan list)`);
      return 1;
    }
    for (const r of await listRounds(db, { period, planId, now: io.now() })) {
      io.out(JSON.stringify({ planId: r.planId, period: r.period, cycle: r.cycle, task: r.taskNumber, deadline: r.deadline, dueAt: r.dueAt.toISOString(), expected: r.expected, submitted: r.submitted, missing: r.missing }));
    }
    return 0;
  } finally {
    await db.$disconnect();
  }
}

/**
 * scheduler tick --at <ISO> [--send | --record]: one pass as if it were that moment. By default it
 * creates due rounds and writes due reminders to the outbox, where the server's scheduler sends
 * each at its time — so ticking a live database never uses a reminder up. --send also sends what
 * is due through Telegram (TELEGRAM_BOT_TOKEN), refusing a future moment, which would send early.
 * --record marks due messages sent without sending them, printing them instead (a scratch database).
 */
export async function schedulerCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  const usage = "usage: scheduler tick --at <ISO datetime> [--send | --record]";
  if (sub !== "tick") throw new UsageError(usage);
  const flags = options(rest, { at: { type: "string" }, send: { type: "boolean" }, record: { type: "boolean" } });
  const at = parseInstant(flags.at as string | undefined, "--at");
  if (flags.send && flags.record) throw new UsageError(`--send and --record exclude each other\n${usage}`);
  if (flags.send && !io.env.TELEGRAM_BOT_TOKEN) throw new UsageError("--send needs TELEGRAM_BOT_TOKEN (and TELEGRAM_API_ROOT for a local Bot API server)");
  if (flags.send && at.getTime() > io.now().getTime() + 60_000) throw new UsageError("--send with a future --at would send reminders before their time; tick without --send to plan them");
  const hours = workingHours(io);
  const db = await openDatabase(io);
  try {
    const recorder = flags.record ? new RecordingMessenger() : null;
    const messenger = recorder ?? (flags.send ? telegramMessenger(io) : null);
    const result = await runSchedulerPass({ db, messenger, now: at, instanceId: "cli", workingHours: hours, officeChatId: io.env.TELEGRAM_OFFICE_CHAT_ID ?? null });
    for (const round of result.roundsCreated) io.out(JSON.stringify({ action: "round-created", ...round }));
    for (const r of result.planned) io.out(JSON.stringify({ action: "reminder-planned", key: r.key, unit: r.unit, task: r.task, rung: r.rung }));
    for (const m of recorder?.sent ?? []) io.out(JSON.stringify({ action: "message-recorded", key: m.key, chatId: m.chatId, text: m.text }));
    io.out(JSON.stringify({ action: "summary", roundsCreated: result.roundsCreated.length, planned: result.planned.length, mode: flags.record ? "record" : flags.send ? "send" : "plan", ...result.dispatch }));
    if (!messenger && result.planned.length > 0) io.err("reminders are in the outbox; the server's scheduler sends each when it is due (or run again with --send)");
    return 0;
  } finally {
    await db.$disconnect();
  }
}

function telegramMessenger(io: CliIo): TelegramMessenger {
  const token = io.env.TELEGRAM_BOT_TOKEN!;
  return new TelegramMessenger(createTelegramApi(token, io.env.TELEGRAM_API_ROOT ? { apiRoot: io.env.TELEGRAM_API_ROOT } : {}), token);
}
