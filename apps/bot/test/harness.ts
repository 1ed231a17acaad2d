/**
 * Drives the bot through `bot.handleUpdate` against a real temporary database. Outgoing Bot
 * API calls are captured by an API transformer (no network); botInfo is preset, so no getMe.
 */
import type { Update, UserFromGetMe } from "grammy/types";
import { dispatchReminders } from "@duban/core/reminders/dispatch-reminders";
import { FIXTURE_NOW, liaisonFixture, type LiaisonFixture } from "@duban/core/testing/liaison-fixture";
import { createInvite } from "@duban/core/invites/create-invite";
import { createDb } from "@duban/db/client";
import type { WorkingHours } from "@duban/domain/working-hours";
import { callbackSecretFor, encodeCallbackData, type CallbackAction } from "../src/callback-data.ts";
import { createBot } from "../src/create-bot.ts";
import { TelegramMessenger } from "../src/telegram-messenger.ts";

export const TOKEN = "123456789:TEST_TOKEN_abcdefghijklmnopqrstuvwxyz";
export const BOT_INFO: UserFromGetMe = {
  id: 123456789,
  is_bot: true,
  first_name: "督办助手",
  username: "duban_test_bot",
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
};

export interface ApiCall {
  method: string;
  payload: Record<string, any>;
}

export interface Button {
  text: string;
  callback_data: string;
}

export async function botHarness(options: { failMethods?: string[]; workingHours?: WorkingHours; countStatements?: boolean } = {}) {
  const f: LiaisonFixture = await liaisonFixture();
  /** Every SQL statement the bot's own client ran (when countStatements). */
  const statements: string[] = [];
  const botDb = options.countStatements ? createDb(f.url, { onStatement: (sql) => statements.push(sql) }) : f.db;
  let clock = FIXTURE_NOW;
  const calls: ApiCall[] = [];
  let messageId = 5000;
  let lastSent: ApiCall | undefined;
  const makeBot = () => {
    const made = createBot(TOKEN, { db: botDb, now: () => clock, workingHours: options.workingHours }, { botInfo: BOT_INFO, throttle: false, autoRetry: false });
    made.api.config.use(async (_prev, method, payload) => {
      const p = (payload ?? {}) as Record<string, any>;
      calls.push({ method, payload: p });
      if (method === "sendMessage") lastSent = { method, payload: p };
      if (options.failMethods?.includes(method)) return { ok: false, error_code: 404, description: "Not Found: method not supported" } as any;
      if (method === "sendMessage") {
        return { ok: true, result: { message_id: ++messageId, date: Math.floor(clock.getTime() / 1000), chat: { id: Number(p.chat_id), type: "private", first_name: "x" }, text: p.text } } as any;
      }
      return { ok: true, result: true } as any;
    });
    return made;
  };
  let bot = makeBot();

  let updateId = 1;
  let userMessageId = 1;
  const userOf = (id: number) => ({ id, is_bot: false, first_name: "测试", language_code: "zh-hans" });
  const handle = (update: Omit<Update, "update_id">, id = updateId++) => bot.handleUpdate({ update_id: id, ...update } as Update);

  const h = {
    f,
    statements,
    get bot() {
      return bot;
    },
    /** A new bot on the same database, as after a restart of the process. */
    restart() {
      bot = makeBot();
    },
    calls,
    secret: callbackSecretFor(TOKEN),
    get messenger() {
      return new TelegramMessenger(bot.api, TOKEN);
    },
    get now() {
      return clock;
    },
    setNow(d: Date) {
      clock = d;
    },
    handle,
    /** A text message (a command when it starts with "/"). */
    async send(from: number, text: string, extra: { replyTo?: number; updateId?: number } = {}) {
      const command = /^\/\w+/.exec(text)?.[0];
      await handle(
        {
          message: {
            message_id: userMessageId++,
            date: Math.floor(clock.getTime() / 1000),
            chat: { id: from, type: "private", first_name: "测试" },
            from: userOf(from),
            text,
            ...(command ? { entities: [{ type: "bot_command", offset: 0, length: command.length }] } : {}),
            ...(extra.replyTo ? { reply_to_message: { message_id: extra.replyTo, date: 0, chat: { id: from, type: "private", first_name: "测试" }, text: "…" } as any } : {}),
          },
        } as any,
        extra.updateId,
      );
    },
    async sendFile(from: number, file: { photo?: boolean; name?: string; caption?: string; replyTo?: number }) {
      const base = { message_id: userMessageId++, date: Math.floor(clock.getTime() / 1000), chat: { id: from, type: "private", first_name: "测试" }, from: userOf(from) };
      const media = file.photo
        ? { photo: [{ file_id: "PHOTO_SMALL", file_unique_id: "ps", width: 90, height: 90 }, { file_id: "PHOTO_LARGE", file_unique_id: "pl", width: 1280, height: 960, file_size: 120000 }] }
        : { document: { file_id: "DOC_1", file_unique_id: "d1", file_name: file.name ?? "材料.pdf", mime_type: "application/pdf", file_size: 2048 } };
      await handle({
        message: {
          ...base,
          ...media,
          ...(file.caption ? { caption: file.caption } : {}),
          ...(file.replyTo ? { reply_to_message: { message_id: file.replyTo, date: 0, chat: base.chat, text: "…" } } : {}),
        },
      } as any);
    },
    /** Taps a button (raw callback data). */
    async tap(from: number, data: string, messageId = 1) {
      await handle({
        callback_query: {
          id: String(updateId),
          from: userOf(from),
          chat_instance: "ci",
          data,
          message: { message_id: messageId, date: 0, chat: { id: from, type: "private", first_name: "测试" }, from: { id: BOT_INFO.id, is_bot: true, first_name: "b" }, text: "…" },
        },
      } as any);
    },
    sign(data: CallbackAction) {
      return encodeCallbackData(data, callbackSecretFor(TOKEN));
    },
    /** Messages sent to a chat since the last call, oldest first. */
    drain(chatId?: number): ApiCall[] {
      const taken = calls.splice(0, calls.length);
      return chatId === undefined ? taken : taken.filter((c) => Number(c.payload.chat_id) === chatId || c.method === "answerCallbackQuery");
    },
    texts(): string[] {
      return h.drain().filter((c) => c.method === "sendMessage").map((c) => String(c.payload.text));
    },
    /** The last message the bot sent (kept across drain()). */
    lastMessage(): ApiCall | undefined {
      return lastSent;
    },
    buttonsOf(call: ApiCall | undefined): Button[] {
      const markup = call?.payload.reply_markup;
      return (markup?.inline_keyboard ?? []).flat() as Button[];
    },
    button(call: ApiCall | undefined, text: string): string {
      const found = h.buttonsOf(call).find((b) => b.text === text);
      if (!found) throw new Error(`no button "${text}" in ${JSON.stringify(h.buttonsOf(call).map((b) => b.text))}`);
      return found.callback_data;
    },
    answers(): ApiCall[] {
      return calls.filter((c) => c.method === "answerCallbackQuery");
    },
    /** Invites and binds a Telegram user; returns the contact id. */
    async join(userId: number, unit: string, role: "liaison" | "head" = "liaison", name?: string): Promise<number> {
      const invite = await createInvite(f.db, { unitName: unit, role, name, botUsername: BOT_INFO.username, now: clock });
      await h.send(userId, `/start ${invite.token}`);
      h.drain();
      return (await f.db.contact.findUniqueOrThrow({ where: { telegramUserId: String(userId) } })).id;
    },
    /**
     * Queues a reminder in the outbox and lets the real dispatcher send it through the
     * TelegramMessenger; returns the reminder row (with the chat message id).
     */
    async remind(input: { contactId: number; task: string; unit: string; periodKey?: string; progress?: boolean; kind?: string }) {
      const { roundId } = await f.round({ task: input.task, unit: input.unit, periodKey: input.periodKey ?? "2026Q3", progress: input.progress ?? true });
      const reminder = await f.db.reminder.create({
        data: {
          key: `test:${roundId}:${input.contactId}:${Math.random()}`,
          kind: input.kind ?? "reminder",
          roundId,
          unitId: await f.unitId(input.unit),
          contactId: input.contactId,
          rung: "before-3",
          dueAt: clock,
          text: `【督办提醒】\n任务${input.task}\n请点击下方按钮报送进展，或直接回复本消息。`,
          nextAttemptAt: clock,
          createdAt: clock,
        },
      });
      const summary = await dispatchReminders(f.db, h.messenger, clock);
      if (summary.sent < 1) throw new Error(`reminder not sent: ${JSON.stringify(summary)}`);
      return f.db.reminder.findUniqueOrThrow({ where: { id: reminder.id } });
    },
    async cleanup() {
      if (botDb !== f.db) await botDb.$disconnect();
      await f.cleanup();
    },
  };
  return h;
}

export type BotHarness = Awaited<ReturnType<typeof botHarness>>;
