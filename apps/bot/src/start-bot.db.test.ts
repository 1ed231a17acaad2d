import { afterEach, beforeEach, describe, expect, it } from "vitest";
import pino from "pino";
import { botHarness, type BotHarness } from "../test/harness.ts";
import { startBot, telegramWebhookHandler } from "./start-bot.ts";

describe("startBot and the webhook handler (temporary SQLite)", () => {
  let h: BotHarness;
  beforeEach(async () => {
    h = await botHarness({ failMethods: ["setMyCommands"] });
  });
  afterEach(async () => {
    await h.cleanup();
  });

  it("starts even when setMyCommands fails, and registers the webhook with its secret", async () => {
    await h.f.db.processedUpdate.createMany({ data: [{ updateId: 1n, at: new Date(h.now.getTime() - 8 * 24 * 3600 * 1000) }, { updateId: 2n, at: h.now }] });
    await h.f.db.botSession.createMany({ data: [{ key: "chat:1", value: "{}", updatedAt: new Date(h.now.getTime() - 2 * 3600 * 1000) }, { key: "chat:2", value: "{}", updatedAt: h.now }] });
    const running = await startBot(h.bot, { db: h.f.db, log: pino({ level: "silent" }), now: () => h.now, webhook: { url: "https://duban.example/telegram/webhook", secretToken: "s3cret" } });
    expect(running).toMatchObject({ mode: "webhook", username: "duban_test_bot" });
    const methods = h.calls.map((c) => c.method);
    expect(methods).toContain("setMyCommands");
    expect(h.calls.find((c) => c.method === "setWebhook")?.payload).toMatchObject({ url: "https://duban.example/telegram/webhook", secret_token: "s3cret" });
    // Update ids older than a week are pruned.
    expect((await h.f.db.processedUpdate.findMany()).map((u) => u.updateId)).toEqual([2n]);
    // So are chat sessions older than a step can live.
    expect((await h.f.db.botSession.findMany()).map((s) => s.key)).toEqual(["chat:2"]);
  });

  it("the webhook handler refuses a wrong secret and handles a right one", async () => {
    const handler = telegramWebhookHandler(h.bot, "s3cret");
    const update = { update_id: 900, message: { message_id: 1, date: 0, chat: { id: 9999, type: "private", first_name: "x" }, from: { id: 9999, is_bot: false, first_name: "x" }, text: "你好" } };
    const post = (secret: string | null) =>
      handler(
        new Request("http://127.0.0.1/telegram/webhook", {
          method: "POST",
          headers: { "content-type": "application/json", ...(secret ? { "X-Telegram-Bot-Api-Secret-Token": secret } : {}) },
          body: JSON.stringify(update),
        }),
      );
    expect((await post(null)).status).toBe(401);
    expect((await post("wrong")).status).toBe(401);
    expect(h.texts()).toEqual([]);
    expect((await post("s3cret")).status).toBe(200);
    expect(h.texts()[0]).toContain("本服务仅供受邀单位的联络人使用");
    // Telegram redelivering the same update: handled once.
    expect((await post("s3cret")).status).toBe(200);
    expect(h.texts()).toEqual([]);
  });
});
