/**
 * `npm run bench -w @duban/bot` (and `npm run bench` at the root): 10,000 liaison replies
 * through the bot's real handlers (`bot.handleUpdate`, Bot API calls answered in-process by a
 * transformer, no network) on a temporary SQLite database, each reply committed before the
 * next: half taps on a reminder's 推进中 button, half a typed “完成80%” in reply to that reminder.
 * Beside it, in the same run: bare grammY (`handleUpdate` with one reply handler, same
 * transformer) and raw better-sqlite3 commits (one INSERT per transaction, same file).
 * The setup opens the rounds with the scheduler's own `ensureRounds` and writes one delivered
 * reminder per liaison and round in a single INSERT … SELECT.
 * BENCH_REPLIES sets the number of replies (default 10000, even).
 */
import Database from "better-sqlite3";
import { Bot } from "grammy";
import type { Update, UserFromGetMe } from "grammy/types";
import { loadCalendar } from "@duban/core/calendar/calendar-source";
import { ensureRounds } from "@duban/core/rounds/ensure-rounds";
import { at } from "@duban/core/testing/liaison-fixture";
import { insertScalePlan } from "@duban/core/testing/scale-fixture";
import { createTestDb } from "@duban/db/testing";
import { callbackSecretFor, encodeCallbackData } from "../src/callback-data.ts";
import { createBot } from "../src/create-bot.ts";
import type { BotContext } from "../src/context.ts";

const TOKEN = "123456789:BENCH_TOKEN_abcdefghijklmnopqrstuvwxyz";
const BOT_INFO = { id: 123456789, is_bot: true, first_name: "督办助手", username: "duban_bench_bot" } as UserFromGetMe;

/** Answers every Bot API call at once, as Telegram would, without a network. */
function answerLocally(bot: Bot<any>): void {
  let messageId = 1;
  bot.api.config.use(async (_prev, method, payload) => {
    const p = (payload ?? {}) as Record<string, unknown>;
    if (method === "sendMessage") return { ok: true, result: { message_id: ++messageId, date: 0, chat: { id: Number(p.chat_id), type: "private", first_name: "x" }, text: p.text } } as any;
    return { ok: true, result: true } as any;
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;

async function timed(updates: Update[], handle: (u: Update) => Promise<void>) {
  const latencies: number[] = [];
  const started = performance.now();
  for (const update of updates) {
    const t = performance.now();
    await handle(update);
    latencies.push(performance.now() - t);
  }
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { seconds, rate: updates.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

export async function benchReplies(replies: number): Promise<string> {
  const liaisons = Math.ceil(replies / 2);
  const t = await createTestDb({ provider: "sqlite" });
  try {
    await insertScalePlan(t.db, { tasks: 50, unitsPerTask: Math.ceil(liaisons / 50), units: liaisons, contacts: true, createdAt: at("2026-07-01", "08:00") });
    const now = at("2027-01-04", "10:00");
    await ensureRounds(t.db, now, await loadCalendar(t.db));
    // The setup only needs a delivered reminder per liaison and round, not the ladder: written in one
    // statement, each carrying the chat message id a reply can point at.
    await t.db.$executeRaw`
      INSERT INTO "Reminder" ("key", "kind", "roundId", "unitId", "contactId", "rung", "dueAt", "text", "state", "attempts", "nextAttemptAt", "sentAt", "createdAt")
      SELECT 'bench:r' || s."roundId" || ':c' || c."id", 'reminder', s."roundId", s."unitId", c."id", 'before-5', ${now}, '…', 'sent', 1, ${now}, ${now}, ${now}
      FROM "Submission" s JOIN "Contact" c ON c."unitId" = s."unitId" AND c."role" = 'liaison'
      ORDER BY s."roundId", s."unitId"`;
    await t.db.$executeRaw`UPDATE "Reminder" SET "chatMessageId" = CAST("id" AS TEXT)`;
    const reminders = await t.db.reminder.findMany({ where: { contactId: { not: null } }, orderBy: { id: "asc" }, select: { id: true, contactId: true } });
    const firstOf = new Map<number, number>();
    for (const r of reminders) if (r.contactId !== null && !firstOf.has(r.contactId)) firstOf.set(r.contactId, r.id);
    const contacts = (await t.db.contact.findMany({ where: { telegramUserId: { not: null } }, orderBy: { id: "asc" }, select: { id: true, telegramUserId: true } })).filter((c) => firstOf.has(c.id));
    if (contacts.length < liaisons) throw new Error(`only ${contacts.length} liaisons have a reminder`);

    const secret = callbackSecretFor(TOKEN);
    let updateId = 1;
    const updates: Update[] = [];
    for (const c of contacts.slice(0, liaisons)) {
      const user = Number(c.telegramUserId);
      const from = { id: user, is_bot: false, first_name: "联络员" };
      const chat = { id: user, type: "private" as const, first_name: "联络员" };
      const reminderId = firstOf.get(c.id)!;
      const data = encodeCallbackData({ action: "status", contactId: c.id, status: "in_progress", ref: { kind: "reminder", id: reminderId } }, secret);
      updates.push({ update_id: updateId++, callback_query: { id: String(updateId), from, chat_instance: "ci", data, message: { message_id: reminderId, date: 0, chat, text: "…" } } } as Update);
      updates.push({ update_id: updateId++, message: { message_id: 1, date: 0, chat, from, text: "完成80%", reply_to_message: { message_id: reminderId, date: 0, chat, text: "…" } } } as Update);
    }
    updates.length = replies;

    const bot = createBot(TOKEN, { db: t.db, now: () => now }, { botInfo: BOT_INFO, throttle: false, autoRetry: false });
    answerLocally(bot);
    const before = await t.db.statusUpdate.count();
    const run = await timed(updates, (u) => bot.handleUpdate(u));
    const recorded = (await t.db.statusUpdate.count()) - before;
    if (recorded !== replies) throw new Error(`${recorded} of ${replies} replies recorded`);

    // Anchor 1: grammY alone, one handler answering each message.
    const bare = new Bot<BotContext>(TOKEN, { botInfo: BOT_INFO });
    answerLocally(bare);
    bare.on("message", (ctx) => ctx.reply("ok"));
    bare.on("callback_query", (ctx) => ctx.answerCallbackQuery());
    const grammy = await timed(updates.map((u, i) => ({ ...u, update_id: 1_000_000 + i })), (u) => bare.handleUpdate(u));

    // Anchor 2: raw better-sqlite3, one INSERT committed per transaction, on the same file.
    const raw = new Database(t.file!);
    raw.pragma("synchronous = NORMAL");
    raw.exec(`CREATE TABLE "BenchCommit" ("id" INTEGER PRIMARY KEY, "at" TEXT NOT NULL, "value" TEXT NOT NULL)`);
    const insert = raw.prepare(`INSERT INTO "BenchCommit" ("at", "value") VALUES (?, ?)`);
    const commit = raw.transaction((i: number) => insert.run(new Date().toISOString(), `reply ${i}`));
    let started = performance.now();
    for (let i = 0; i < replies; i++) commit(i);
    const sqliteRate = replies / ((performance.now() - started) / 1000);
    raw.close();

    return (
      `replies: ${replies} in ${run.seconds.toFixed(2)} s = ${Math.round(run.rate)}/s, p50 ${run.p50.toFixed(2)} ms, p99 ${run.p99.toFixed(2)} ms ` +
      `(grammY ${Math.round(grammy.rate)}/s, sqlite ${Math.round(sqliteRate)}/s)`
    );
  } finally {
    await t.cleanup();
  }
}

const size = Number(process.env.BENCH_REPLIES ?? 10_000);
if (!Number.isInteger(size) || size < 2) throw new Error("BENCH_REPLIES must be an integer ≥ 2");
console.log(await benchReplies(size));
