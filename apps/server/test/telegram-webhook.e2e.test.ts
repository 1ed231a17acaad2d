// `npm start` with the bot in webhook mode, end to end over HTTP: the real server registers its own
// 127.0.0.1 URL with the telegram-test-api emulator, and the test POSTs Telegram Update JSON to
// /telegram/webhook with fetch, exactly as Telegram does (the emulator's own webhook push sends
// no secret header, so it cannot stand in for Telegram here). The bot's answers are read from
// the emulator's chat, as in telegram.e2e.test.ts.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@duban/db/client";
import { freePort, startEmulator, type Emulator } from "../../bot/test/emulator.ts";
import { parseEnv } from "../src/env.ts";
import { startDuban, type RunningServer } from "../src/start.ts";
import { consoleSession } from "./console-session.ts";

const TOKEN = "123456789:WEBHOOK_TOKEN_abcdefghijklmnopqrstuvwx";
const SECRET = "duban-webhook_S3cret";
const LIAISON = { id: 4001, first_name: "王芳" };
const dir = mkdtempSync(path.join(os.tmpdir(), "duban-webhook-e2e-"));
const databaseUrl = `file:${path.join(dir, "duban.db")}`;
let api: Emulator;
let server: RunningServer;
let db: Db;
let webhookUrl = "";
let inviteToken = "";

const office = consoleSession(() => server.url);
const trpc = office.trpc;

let updateIds = 710_000;
let messageIds = 1;
const chat = { id: LIAISON.id, type: "private", first_name: LIAISON.first_name };
const from = { id: LIAISON.id, is_bot: false, first_name: LIAISON.first_name, language_code: "zh-hans" };

/** A private-chat text message as Telegram sends it (a command gets its bot_command entity). */
function textUpdate(text: string, updateId = updateIds++) {
  const command = /^\/\S+/.exec(text)?.[0];
  return {
    update_id: updateId,
    message: {
      message_id: messageIds++,
      date: Math.floor(Date.now() / 1000),
      chat,
      from,
      text,
      ...(command ? { entities: [{ type: "bot_command", offset: 0, length: command.length }] } : {}),
    },
  };
}

/** A tap on an inline button under one of the bot's messages. */
function callbackUpdate(data: string, messageId: number, updateId = updateIds++) {
  return {
    update_id: updateId,
    callback_query: {
      id: `cb${updateId}`,
      from,
      chat_instance: "-4001",
      message: { message_id: messageId, date: Math.floor(Date.now() / 1000), chat, from: { id: 123456789, is_bot: true, first_name: "Bot" }, text: "" },
      data,
    },
  };
}

/** POSTs an update to the server's webhook; `secret: null` sends no secret header. */
function deliver(update: object, secret: string | null = SECRET): Promise<Response> {
  return fetch(webhookUrl, {
    method: "POST",
    headers: { "content-type": "application/json", ...(secret !== null ? { "X-Telegram-Bot-Api-Secret-Token": secret } : {}) },
    body: JSON.stringify(update),
  });
}

beforeAll(async () => {
  api = await startEmulator(TOKEN);
  // setWebhook is called before the server listens, so its URL needs the port up front.
  const port = await freePort();
  webhookUrl = `http://127.0.0.1:${port}/telegram/webhook`;
  const env = parseEnv({
    PORT: String(port),
    HOST: "127.0.0.1",
    DATABASE_URL: databaseUrl,
    ADMIN_USERNAME: "admin",
    ADMIN_PASSWORD: "admin password",
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: api.apiRoot,
    TELEGRAM_WEBHOOK_URL: webhookUrl,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    // No scheduler: reminders in working hours would add messages to the chat this test counts.
    SCHEDULER: "0",
  });
  server = await startDuban(env, pino({ level: "silent" }));
  db = createDb(databaseUrl);
}, 60_000);

afterAll(async () => {
  await db?.$disconnect();
  await server?.stop();
  await api?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("server with the Telegram bot behind its webhook", () => {
  it("registers its own URL and secret with the Bot API and does not poll", async () => {
    expect(server.bot).toMatchObject({ mode: "webhook", username: "TestNameBot" });
    expect(server.url).toBe(`http://127.0.0.1:${new URL(webhookUrl).port}`);
    const registered = api.callsOf("setWebhook");
    expect(registered).toHaveLength(1);
    expect(registered[0]!.body).toMatchObject({ url: webhookUrl, secret_token: SECRET, allowed_updates: ["message", "callback_query", "my_chat_member"] });
    expect(api.callsOf("getUpdates")).toEqual([]);
    expect(api.callsOf("deleteWebhook")).toEqual([]);
  });

  it("a wrong or missing secret gets 401 and nothing is handled or stored", async () => {
    await trpc("auth.login", { username: "admin", password: "admin password" }, "POST");
    const units = await trpc<Array<{ id: number; name: string }>>("units.list");
    const sma = units.find((u) => u.name === "市场监督管理局")!;
    const invite = await trpc<{ link: string }>("units.createInvite", { unitId: sma.id, role: "liaison", name: "王芳" }, "POST");
    inviteToken = new URL(invite.link).searchParams.get("start")!;

    const sent = api.callsOf("sendMessage").length;
    const start = textUpdate(`/start ${inviteToken}`, 700_001);
    for (const secret of ["wrong-secret", `${SECRET}x`, "", null]) {
      const response = await deliver(start, secret);
      expect(response.status, `secret ${JSON.stringify(secret)}`).toBe(401);
    }
    expect(await api.user(LIAISON.id, LIAISON.first_name).received(300)).toEqual([]);
    expect(api.callsOf("sendMessage").length).toBe(sent);
    expect(await db.processedUpdate.count()).toBe(0);
    expect(await db.contact.count({ where: { telegramUserId: String(LIAISON.id) } })).toBe(0);
  });

  it("/start <token> by webhook binds the liaison (the refused update id was not used up)", async () => {
    // The same update as above, now with the right secret: it was not recorded as handled.
    const response = await deliver(textUpdate(`/start ${inviteToken}`, 700_001));
    expect(response.status).toBe(200);
    await api.user(LIAISON.id).expect("王芳，您好！您已登记为“市场监督管理局”的联络员。");
    expect(await db.contact.findUniqueOrThrow({ where: { telegramUserId: String(LIAISON.id) }, include: { unit: true } })).toMatchObject({
      role: "liaison",
      name: "王芳",
      telegramChatId: String(LIAISON.id),
      unit: { name: "市场监督管理局" },
    });
    expect(await db.processedUpdate.findUnique({ where: { updateId: 700_001n } })).not.toBeNull();
  });

  it("/tasks and “完成80%” are answered through the webhook, a button tap included", async () => {
    const liaison = api.user(LIAISON.id);
    expect((await deliver(textUpdate("/tasks"))).status).toBe(200);
    const list = await liaison.expect("“市场监督管理局”的任务（共");
    expect(list.text).toContain("任务8");
    expect(list.buttons.length).toBeGreaterThan(0);

    const before = await db.statusUpdate.count();
    expect((await deliver(textUpdate("完成80%"))).status).toBe(200);
    const pick = await liaison.expect("请问您报送的是哪项任务？");
    const task8 = pick.buttons.find((b) => b.text.startsWith("任务8"))!;
    expect(task8).toBeDefined();
    expect((await deliver(callbackUpdate(task8.callback_data, pick.messageId))).status).toBe(200);
    let recorded = await liaison.expect((m) => m.text.includes("已记录：任务8") || m.text.includes("请选择对应的报送事项"));
    if (!recorded.text.includes("已记录")) {
      // Two rounds of task 8 are open at this date: the bot asks which one; the first will do.
      expect((await deliver(callbackUpdate(recorded.buttons[0]!.callback_data, recorded.messageId))).status).toBe(200);
      recorded = await liaison.expect("已记录：任务8");
    }
    expect(recorded.text).toContain("状态：推进中");
    expect(recorded.text).toContain("进度：80%");
    expect(await db.statusUpdate.count()).toBe(before + 1);
    expect(await db.statusUpdate.findFirstOrThrow({ orderBy: { id: "desc" }, include: { task: true } })).toMatchObject({
      status: "in_progress",
      progress: 80,
      source: "telegram-text",
      task: { number: "8" },
    });
    expect(api.callsOf("answerCallbackQuery").length).toBeGreaterThan(0);
  });

  it("the same update_id delivered again (also concurrently) is handled once", async () => {
    const liaison = api.user(LIAISON.id);
    await liaison.received(0);
    const update = textUpdate("/tasks");
    expect((await deliver(update)).status).toBe(200);
    // Telegram redelivers after a timeout; a redelivery can overlap the first attempt.
    const again = await Promise.all([deliver(update), deliver(update)]);
    expect(again.map((r) => r.status)).toEqual([200, 200]);
    const messages = await liaison.received(500);
    expect(messages.filter((m) => m.text.includes("的任务（共"))).toHaveLength(1);
    expect(await db.processedUpdate.count({ where: { updateId: BigInt(update.update_id) } })).toBe(1);

    const pair = textUpdate("/tasks");
    const both = await Promise.all([deliver(pair), deliver(pair)]);
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    expect((await liaison.received(500)).filter((m) => m.text.includes("的任务（共"))).toHaveLength(1);
  });
});
