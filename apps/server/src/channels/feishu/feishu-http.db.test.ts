import { Writable } from "node:stream";
import { serve } from "@hono/node-server";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dispatchReminders } from "@duban/core/reminders/dispatch-reminders";
import { routeByChannel } from "@duban/core/channels/messenger";
import { at, FIXTURE_NOW, liaisonFixture, type LiaisonFixture } from "@duban/core/testing/liaison-fixture";
import { createServerApp } from "../../app.ts";
import { feishuCallbackRoutes } from "./callback.ts";
import { FeishuApi } from "./api.ts";
import { FeishuMessenger } from "./messenger.ts";
import { FeishuEmulator, feishuEncrypt, feishuSignedHeaders } from "./testing/feishu-emulator.ts";

const SECRET = "feishu-app-secret-do-not-log";
const APP_ID = "cli_9f8e7d6c5b4a3921";
const ENCRYPT_KEY = "EncryptKeyDoNotLog0123456789abcd";
const VERIFICATION_TOKEN = "VerificationTokenDoNotLog0123456";
const ZHANG = "ou_zhangsan00000000000000000000001";

describe("飞书 HTTP callback mode: /feishu/events and /feishu/card over 127.0.0.1 (temporary SQLite)", () => {
  let f: LiaisonFixture;
  let emulator: FeishuEmulator;
  let server: ReturnType<typeof serve>;
  let base: string;
  let messenger: FeishuMessenger;
  let liaison: number;
  let reminderId: number;
  let roundId: number;
  let logged: string;
  let listen: (answerWithinMs?: number) => Promise<void>;

  beforeEach(async () => {
    f = await liaisonFixture();
    liaison = await f.addContact({ unit: "市场监督管理局", telegramUserId: null });
    await f.db.contactChannel.create({ data: { contactId: liaison, channel: "feishu", externalId: ZHANG } });
    ({ roundId } = await f.round({ task: "8", unit: "市场监督管理局", periodKey: "2026Q3", progress: true }));
    reminderId = (
      await f.db.reminder.create({
        data: {
          key: `r${roundId}:u:c${liaison}:before-3`,
          kind: "reminder",
          roundId,
          unitId: await f.unitId("市场监督管理局"),
          contactId: liaison,
          rung: "before-3",
          dueAt: at("2026-10-12", "09:00"),
          text: "【督办提醒】季度进度填报\n任务8：建立和夯实城市计量基础\n请于10月15日前填报。",
          nextAttemptAt: at("2026-10-12", "09:00"),
        },
      })
    ).id;
    emulator = new FeishuEmulator({ appId: APP_ID, appSecret: SECRET, members: [ZHANG] });
    await emulator.start();
    logged = "";
    const log = pino({ level: "debug" }, new Writable({ write: (chunk, _encoding, done) => ((logged += String(chunk)), done()) }));
    messenger = new FeishuMessenger(new FeishuApi({ appId: APP_ID, appSecret: SECRET, apiRoot: emulator.url }, { log }));
    listen = async (answerWithinMs?: number) => {
      const app = createServerApp({
        db: f.db,
        now: () => FIXTURE_NOW,
        log,
        consoleDist: "/nonexistent",
        feishu: feishuCallbackRoutes({ config: { encryptKey: ENCRYPT_KEY, verificationToken: VERIFICATION_TOKEN }, appId: APP_ID, messenger, ...(answerWithinMs !== undefined ? { answerWithinMs } : {}) }),
      });
      const port = await new Promise<number>((resolve) => {
        server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => resolve(info.port));
      });
      base = `http://127.0.0.1:${port}`;
      emulator.postTo({ eventsUrl: `${base}/feishu/events`, cardUrl: `${base}/feishu/card`, encryptKey: ENCRYPT_KEY, verificationToken: VERIFICATION_TOKEN });
    };
    await listen();
  });

  afterEach(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await emulator.stop();
    await f.cleanup();
  });

  const deliver = () => dispatchReminders(f.db, routeByChannel({ feishu: messenger }), FIXTURE_NOW);

  it("answers the URL check on both request URLs, only with our Verification Token", async () => {
    for (const path of ["/feishu/events", "/feishu/card"]) {
      const verified = await emulator.verifyUrl(`${base}${path}`);
      expect(verified).toEqual({ status: 200, echoed: true });
    }
    expect(await emulator.verifyUrl(`${base}/feishu/events`, "another-apps-token")).toEqual({ status: 401, echoed: false });
  });

  it("a card tap over HTTP records the status and answers with the spent card; a redelivery is handled once; the percentage as a text lands", async () => {
    expect(await deliver()).toMatchObject({ sent: 1 });
    const card = emulator.sent[0]!;

    // The first answer is lost: 飞书 posts the same event again, which is answered without recording twice.
    const tap = await emulator.tap(card, "推进中", { loseAnswer: true });
    expect(emulator.posts.map((p) => [new URL(p.url).pathname, p.status])).toEqual([
      ["/feishu/card", 200],
      ["/feishu/card", 200],
    ]);
    expect(tap.code).toBe(200);
    expect(tap.data?.toast).toMatchObject({ type: "info", content: "已处理。" });
    const updates = await f.db.statusUpdate.findMany({ where: { contactId: liaison } });
    expect(updates).toEqual([expect.objectContaining({ status: "in_progress", source: "feishu-button", roundId, reminderId })]);
    expect(await f.db.channelEvent.count({ where: { channel: "feishu", eventId: tap.eventId } })).toBe(1);
    await emulator.until(() => emulator.sent.some((m) => m.text?.includes("百分比")));

    // The answer to the question asked back, as a message to /feishu/events.
    const answer = await emulator.text(ZHANG, "60%");
    expect(answer.code).toBe(200);
    expect(emulator.posts.at(-1)?.url).toBe(`${base}/feishu/events`);
    expect(await f.db.statusUpdate.findUniqueOrThrow({ where: { id: updates[0]!.id } })).toMatchObject({ status: "in_progress", progress: 60 });
    await emulator.until(() => emulator.sent.at(-1)?.receive_id === ZHANG && emulator.sent.length >= 3);
  });

  it("a first tap is answered in time with the spent card in place of the reminder", async () => {
    await deliver();
    const card = emulator.sent[0]!;
    const tap = await emulator.tap(card, "已完成");
    expect(tap.code).toBe(200);
    expect(tap.ms).toBeLessThan(3000);
    expect(tap.data?.toast?.type).toBe("success");
    expect(tap.data?.card?.type).toBe("raw");
    expect(JSON.stringify(card.card)).not.toContain("推进中");
    expect(await f.db.statusUpdate.findMany({ where: { contactId: liaison } })).toEqual([expect.objectContaining({ status: "done", source: "feishu-button" })]);
  });

  it("refuses a bad signature, a wrong token, bad JSON and a huge body with a 4xx, changes nothing and logs no secret", async () => {
    await deliver();
    const card = emulator.sent[0]!;
    const button = card.card!.elements.flatMap((e) => e.actions ?? []).find((a) => a.text?.content === "已完成")!;
    const event = (token: string) =>
      JSON.stringify({
        schema: "2.0",
        header: { event_id: "forged-1", token, create_time: "1", event_type: "card.action.trigger", tenant_key: "t", app_id: APP_ID },
        event: { operator: { open_id: ZHANG }, action: { value: button.value, tag: "button" }, context: { open_message_id: card.message_id } },
      });
    const post = (path: string, raw: string, headers: Record<string, string>) => fetch(`${base}${path}`, { method: "POST", headers, body: raw });
    const sealed = JSON.stringify({ encrypt: feishuEncrypt(ENCRYPT_KEY, event(VERIFICATION_TOKEN)) });

    // Signed with another key: refused before decrypting.
    expect((await post("/feishu/card", sealed, feishuSignedHeaders("not-the-encrypt-key", sealed))).status).toBe(401);
    // No signature at all (only the URL check comes unsigned).
    expect((await post("/feishu/card", sealed, { "content-type": "application/json" })).status).toBe(401);
    // Correctly signed, but encrypted with another key: cannot be opened.
    const foreign = JSON.stringify({ encrypt: feishuEncrypt("another-key", event(VERIFICATION_TOKEN)) });
    expect((await post("/feishu/card", foreign, feishuSignedHeaders(ENCRYPT_KEY, foreign))).status).toBe(400);
    // Correctly signed and encrypted, but not our Verification Token.
    const wrongToken = JSON.stringify({ encrypt: feishuEncrypt(ENCRYPT_KEY, event("another-token")) });
    expect((await post("/feishu/card", wrongToken, feishuSignedHeaders(ENCRYPT_KEY, wrongToken))).status).toBe(401);
    // Not JSON; a JSON array.
    expect((await post("/feishu/events", "{not json", feishuSignedHeaders(ENCRYPT_KEY, "{not json"))).status).toBe(400);
    expect((await post("/feishu/events", "[]", feishuSignedHeaders(ENCRYPT_KEY, "[]"))).status).toBe(400);
    // Over the body limit: refused before it is read.
    const huge = JSON.stringify({ encrypt: "A".repeat(600 * 1024) });
    expect((await post("/feishu/events", huge, feishuSignedHeaders(ENCRYPT_KEY, huge))).status).toBe(413);

    expect(await f.db.statusUpdate.count()).toBe(0);
    expect(await f.db.channelEvent.count({ where: { channel: "feishu" } })).toBe(0);
    expect(emulator.sent).toHaveLength(1);
    for (const secret of [ENCRYPT_KEY, VERIFICATION_TOKEN, SECRET]) expect(logged).not.toContain(secret);
    expect(logged).toContain("feishu: callback refused");

    // The same event, sealed and signed as 飞书 does, is taken.
    expect((await post("/feishu/card", sealed, feishuSignedHeaders(ENCRYPT_KEY, sealed))).status).toBe(200);
    expect(await f.db.statusUpdate.count()).toBe(1);
  });

  it("a message whose handling outlasts the deadline is answered at once; the reply follows", async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await listen(50);
    // The reply (a token, then the send) takes 0.8 s: longer than the deadline.
    emulator.options.latencyMs = 400;
    const text = await emulator.text(ZHANG, "任务");
    expect(text).toMatchObject({ code: 200, data: {} });
    expect(text.ms).toBeLessThan(400);
    expect(emulator.sent).toHaveLength(0);
    await emulator.until(() => emulator.sent.some((m) => m.receive_id === ZHANG && m.text?.includes("任务8") === true), 5000);
    expect(emulator.posts).toHaveLength(1);
  });

  it("an event for another app is answered 200 and changes nothing", async () => {
    const answer = await emulator.text(ZHANG, "任务", { appId: "cli_0000000000000000" });
    expect(answer.code).toBe(200);
    expect(await f.db.channelEvent.count({ where: { channel: "feishu" } })).toBe(0);
    expect(emulator.sent).toHaveLength(0);
  });
});
