// Fuzz: thousands of hostile webhook bodies and updates (fixed seed) through the real server app
// and bot on a temporary database. Nothing may be a 5xx, reject unhandled, touch another unit's
// rows, or write the bot token or the webhook secret to any log line (the production logger's
// output is captured). Bot API calls are answered by an API transformer, as in the bot's harness.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Bot } from "grammy";
import { FIXTURE_NOW, liaisonFixture, type LiaisonFixture } from "@duban/core/testing/liaison-fixture";
import { callbackSecretFor, encodeCallbackData, type CallbackAction } from "@duban/bot/callback-data";
import type { BotContext } from "@duban/bot/context";
import { createBot } from "@duban/bot/create-bot";
import { createLogger } from "@duban/bot/safe-log";
import { telegramWebhookHandler } from "@duban/bot/start-bot";
import { BOT_INFO } from "../../bot/test/harness.ts";
import { createServerApp } from "../src/app.ts";

const TOKEN = "123456789:FUZZ_TOKEN_abcdefghijklmnopqrstuvwxyz";
const SECRET = "fuzz-webhook_S3cret-value";
const TOTAL = 5_000;
const A_USER = 6001;
const B_USER = 6002;

/** mulberry32: a small seeded PRNG, so every run sends the same bodies. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
  };
}

let f: LiaisonFixture;
let bot: Bot<BotContext>;
let app: ReturnType<typeof createServerApp>;
const logLines: string[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
let unitA = 0;
let contactA = 0;
let contactB = 0;

/** Every row that belongs to a unit other than A's (what no hostile update may change). */
async function otherUnitsRows() {
  const notA = { unitId: { not: unitA } };
  const [contacts, submissions, statuses, extensions, reminders, invites] = await Promise.all([
    f.db.contact.findMany({ where: notA, orderBy: { id: "asc" } }),
    f.db.submission.findMany({ where: notA, orderBy: { id: "asc" } }),
    f.db.statusUpdate.findMany({ where: notA, orderBy: { id: "asc" } }),
    f.db.extensionRequest.findMany({ where: notA, orderBy: { id: "asc" } }),
    f.db.reminder.findMany({ where: notA, orderBy: { id: "asc" } }),
    f.db.invite.findMany({ where: notA, orderBy: { id: "asc" } }),
  ]);
  return { contacts, submissions, statuses, extensions, reminders, invites };
}

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  f = await liaisonFixture();
  const units = await f.db.unit.findMany({ orderBy: { id: "asc" }, take: 2 });
  unitA = units[0]!.id;
  contactA = await f.addContact({ unit: units[0]!.name, telegramUserId: String(A_USER), name: "甲" });
  contactB = await f.addContact({ unit: units[1]!.name, telegramUserId: String(B_USER), name: "乙" });
  const log = createLogger({ level: "debug", secrets: [TOKEN, SECRET], destination: { write: (line: string) => void logLines.push(line) } });
  bot = createBot(TOKEN, { db: f.db, log, now: () => FIXTURE_NOW }, { botInfo: BOT_INFO, throttle: false, autoRetry: false });
  let messageId = 9000;
  bot.api.config.use(async (_prev, method, payload) => {
    const p = (payload ?? {}) as Record<string, unknown>;
    if (method === "sendMessage") return { ok: true, result: { message_id: ++messageId, date: 0, chat: { id: Number(p.chat_id), type: "private" }, text: String(p.text) } } as never;
    return { ok: true, result: true } as never;
  });
  app = createServerApp({ db: f.db, log, telegramWebhook: telegramWebhookHandler(bot, SECRET, log), consoleDist: "/nonexistent" });
}, 120_000);

afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  await f?.cleanup();
});

function hostileBodies(count: number): Array<{ body: string; secret: string | null; label: string }> {
  const r = prng(20261127);
  const secretB = callbackSecretFor(TOKEN);
  const huge = "催".repeat(90_000); // 270 KB in UTF-8: over the webhook's limit
  // B, a real liaison of another unit, never writes itself: only its buttons are forged and replayed.
  const users = [A_USER, 7_000_001, 7_000_002, 1, 0, -5];
  const chatTypes = ["private", "group", "supergroup", "channel"];
  const texts = ["/start", "/start forged-invite-token", "/tasks", "/report", "/lang", "/overdue", "完成80%", "已完成", "推进中 50%", "<script>alert(1)</script>", "'; DROP TABLE Contact;--", "\u0000\u0001\u202e", "任务8 完成", ""];
  const forgedCallbacks = (): string => {
    const actions: CallbackAction[] = [
      { action: "status", contactId: contactB, status: "done", ref: { kind: "round", id: r.int(1, 400) } },
      { action: "status", contactId: contactA, status: "done", ref: { kind: "task", id: r.int(1, 400) } },
      { action: "extension", contactId: contactB, roundId: r.int(1, 400) },
      { action: "snooze", contactId: contactB, reminderId: r.int(1, 400) },
      { action: "pick-task", contactId: contactB, taskId: r.int(1, 400) },
      { action: "language", contactId: contactB, language: "en" },
    ];
    const kind = r.int(0, 4);
    // Signed for B but pressed by someone else (foreign); signed with a wrong secret (forged); garbage.
    if (kind <= 1) return encodeCallbackData(r.pick(actions), secretB);
    if (kind === 2) return encodeCallbackData(r.pick(actions), "not-the-secret");
    if (kind === 3) return `st|${contactB}|d|n${r.int(1, 99)}|AAAAAAAAAA`;
    return Array.from({ length: r.int(0, 80) }, () => String.fromCharCode(r.int(1, 0xffff))).join("");
  };
  const ids: number[] = [];
  const nextId = () => {
    // Repeated ids (a redelivery, or a forged replay) a fifth of the time.
    const id = ids.length > 0 && r.next() < 0.2 ? r.pick(ids) : r.int(1, 2 ** 31);
    ids.push(id);
    return id;
  };
  const badIds: unknown[] = [null, [], {}, "abc", "12", 1.5, -1, true, 2 ** 53 + 2, "1e400"];
  const message = () => {
    const type = r.pick(chatTypes);
    const userId = r.pick(users);
    const text = r.next() < 0.1 ? "长".repeat(r.int(4_000, 20_000)) : r.pick(texts);
    const command = /^\/\S+/.exec(text)?.[0];
    return {
      message_id: r.int(1, 10_000),
      date: Math.floor(FIXTURE_NOW.getTime() / 1000),
      chat: { id: type === "private" ? userId : -r.int(1, 1e12), type, title: "群" },
      ...(type === "channel" ? {} : { from: { id: userId, is_bot: r.next() < 0.1, first_name: "陌生人", language_code: r.pick(["zh-hans", "en", "xx", undefined]) } }),
      text,
      ...(command ? { entities: [{ type: "bot_command", offset: 0, length: command.length }] } : {}),
    };
  };
  const out: Array<{ body: string; secret: string | null; label: string }> = [];
  for (let i = 0; i < count; i++) {
    const roll = r.next();
    if (roll < 0.3) {
      // Malformed JSON.
      const samples = ["", "{", "[", "{\"update_id\":", "nul", "{'update_id':1}", "\u0000\u0000", "{\"update_id\":1,}", "1e400", "\"x\"", "[]", "null", "true"];
      out.push({ body: r.pick(samples) + (r.next() < 0.3 ? "x".repeat(r.int(1, 200)) : ""), secret: SECRET, label: "malformed" });
    } else if (roll < 0.55) {
      // Not an update: wrong update_id types, missing, or wrong nested types.
      const id = r.pick(badIds);
      const raw = id === "1e400" ? `{"update_id":1e400,"message":{"text":"x"}}` : JSON.stringify({ ...(r.next() < 0.9 ? { update_id: id } : {}), message: message() });
      out.push({ body: raw, secret: SECRET, label: "bad-id" });
    } else if (roll < 0.65) {
      out.push({ body: JSON.stringify({ update_id: nextId(), message: message() }), secret: r.pick([null, "", "wrong", `${SECRET}x`, TOKEN]), label: "no-secret" });
    } else if (roll < 0.655) {
      out.push({ body: JSON.stringify({ update_id: nextId(), message: { ...message(), text: huge } }), secret: SECRET, label: "oversize" });
    } else if (roll < 0.735) {
      // Right id, wrong inner types.
      const junk = r.pick<unknown>(["x", 5, null, [], { chat: null }, { chat: { id: "abc", type: "private" }, text: 5 }, { chat: { id: A_USER, type: "private" }, from: { id: "x" }, text: {} }]);
      out.push({ body: JSON.stringify({ update_id: nextId(), [r.pick(["message", "callback_query", "edited_message", "my_chat_member", "channel_post"])]: junk }), secret: SECRET, label: "wrong-types" });
    } else if (roll < 0.855) {
      const userId = r.pick(users);
      out.push({
        body: JSON.stringify({
          update_id: nextId(),
          callback_query: {
            id: `cb${i}`,
            from: { id: userId, is_bot: false, first_name: "陌生人" },
            chat_instance: "1",
            message: { message_id: r.int(1, 10_000), date: 0, chat: { id: userId, type: r.pick(chatTypes) }, text: "" },
            data: forgedCallbacks(),
          },
        }),
        secret: SECRET,
        label: "callback",
      });
    } else if (roll < 0.915) {
      const key = r.pick(["edited_message", "channel_post", "edited_channel_post"]);
      out.push({ body: JSON.stringify({ update_id: nextId(), [key]: message() }), secret: SECRET, label: key });
    } else {
      out.push({ body: JSON.stringify({ update_id: nextId(), message: message() }), secret: SECRET, label: "message" });
    }
  }
  return out;
}

describe("hostile webhook traffic (fuzz, fixed seed)", () => {
  it(`${TOTAL} hostile bodies: no 5xx, no unhandled rejection, other units untouched, no secret in the log`, async () => {
    const before = await otherUnitsRows();
    const bodies = hostileBodies(TOTAL);
    const statuses = new Map<string, Map<number, number>>();
    const fivexx: string[] = [];
    // A few at a time, as Telegram delivers (and as an attacker would, in parallel).
    for (let i = 0; i < bodies.length; i += 8) {
      await Promise.all(
        bodies.slice(i, i + 8).map(async ({ body, secret, label }) => {
          const response = await app.fetch(
            new Request("http://127.0.0.1/telegram/webhook", {
              method: "POST",
              headers: { "content-type": "application/json", ...(secret !== null ? { "x-telegram-bot-api-secret-token": secret } : {}) },
              body,
            }),
          );
          await response.arrayBuffer();
          const byLabel = statuses.get(label) ?? new Map<number, number>();
          byLabel.set(response.status, (byLabel.get(response.status) ?? 0) + 1);
          statuses.set(label, byLabel);
          if (response.status >= 500) fivexx.push(`${label}: ${body.slice(0, 120)}`);
        }),
      );
    }
    // Let fire-and-forget work (a reply after the webhook answered) finish.
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(fivexx).toEqual([]);
    expect(unhandled).toEqual([]);
    expect(await otherUnitsRows()).toEqual(before);
    // Each kind of hostility met its expected answer.
    expect([...statuses.get("malformed")!.keys()]).toEqual([400]);
    expect([...statuses.get("bad-id")!.keys()]).toEqual([400]);
    expect([...statuses.get("no-secret")!.keys()]).toEqual([401]);
    expect([...statuses.get("oversize")!.keys()]).toEqual([413]);
    expect([...statuses.get("callback")!.keys()]).toEqual([200]);
    expect([...statuses.get("message")!.keys()]).toEqual([200]);
    // The log was written (errors included) and never holds the token or the secret.
    expect(logLines.length).toBeGreaterThan(100);
    const leaks = logLines.filter((line) => line.includes(TOKEN) || line.includes(SECRET) || line.includes(TOKEN.split(":")[1]!));
    expect(leaks).toEqual([]);
  }, 240_000);
});
