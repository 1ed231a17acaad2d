import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { serve } from "@hono/node-server";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dispatchReminders } from "@duban/core/reminders/dispatch-reminders";
import { routeByChannel } from "@duban/core/channels/messenger";
import { at, FIXTURE_NOW, liaisonFixture, type LiaisonFixture } from "@duban/core/testing/liaison-fixture";
import { createServerApp } from "../../app.ts";
import { WecomApi } from "./api.ts";
import { WecomMessenger } from "./messenger.ts";
import { WecomEmulator } from "./testing/wecom-emulator.ts";

const SECRET = "wecom-app-secret-do-not-log";
const CONFIG = {
  corpId: "ww1234567890abcdef",
  agentId: 1000002,
  secret: SECRET,
  token: "CallbackTokenDoNotLog",
  // EncodingAESKey: 43 characters, the Base64 of a 32-byte AES key without its "=".
  aesKey: randomBytes(32).toString("base64").slice(0, 43),
};

describe("企业微信 channel against the local API emulator (temporary SQLite)", () => {
  let f: LiaisonFixture;
  let emulator: WecomEmulator;
  let server: ReturnType<typeof serve>;
  let callbackUrl: string;
  let messenger: WecomMessenger;
  let api: WecomApi;
  let liaison: number;
  let reminderId: number;
  let roundId: number;
  let logged: string;

  beforeEach(async () => {
    f = await liaisonFixture();
    liaison = await f.addContact({ unit: "市场监督管理局", telegramUserId: null });
    await f.db.contactChannel.create({ data: { contactId: liaison, channel: "wecom", externalId: "zhangsan" } });
    ({ roundId } = await f.round({ task: "8", unit: "市场监督管理局", periodKey: "2026Q3", progress: true }));
    const reminder = await f.db.reminder.create({
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
    });
    reminderId = reminder.id;

    emulator = new WecomEmulator({ ...CONFIG, members: ["zhangsan", "lisi"] });
    await emulator.start();
    api = new WecomApi({ corpId: CONFIG.corpId, agentId: CONFIG.agentId, secret: CONFIG.secret, apiRoot: emulator.url });
    messenger = new WecomMessenger(api);
    logged = "";
    const log = pino({ level: "debug" }, new Writable({ write: (chunk, _encoding, done) => ((logged += String(chunk)), done()) }));
    const app = createServerApp({
      db: f.db,
      now: () => FIXTURE_NOW,
      log,
      consoleDist: "/nonexistent",
      wecom: { config: { corpId: CONFIG.corpId, token: CONFIG.token, aesKey: CONFIG.aesKey }, messenger },
    });
    const port = await new Promise<number>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => resolve(info.port));
    });
    callbackUrl = `http://127.0.0.1:${port}/wecom/callback`;
  });

  afterEach(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await emulator.stop();
    await f.cleanup();
  });

  const deliver = () => dispatchReminders(f.db, routeByChannel({ wecom: messenger }), FIXTURE_NOW);

  it("a reminder goes out as a 按钮交互型 card to the liaison's userid; 推进中 is recorded, the card updated, 60% filed", async () => {
    expect(await deliver()).toMatchObject({ sent: 1, retrying: 0, failed: 0 });
    expect(emulator.sent).toHaveLength(1);
    const card = emulator.sent[0]!;
    expect(card).toMatchObject({ touser: "zhangsan", agentid: CONFIG.agentId, msgtype: "template_card" });
    expect(card.template_card?.card_type).toBe("button_interaction");
    expect(card.template_card?.button_list.map((b) => b.text)).toEqual(["已完成", "推进中", "有困难", "申请延期", "稍后提醒"]);
    expect(card.template_card?.sub_title_text).toContain("任务8");
    expect(await f.db.reminder.findUniqueOrThrow({ where: { id: reminderId } })).toMatchObject({ state: "sent", chatMessageId: card.msgid });

    const createTime = 1_800_000_000;
    const tap = await emulator.tap(callbackUrl, card, "推进中", { createTime });
    expect(tap.status).toBe(200);
    const updates = await f.db.statusUpdate.findMany({ where: { contactId: liaison } });
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ status: "in_progress", source: "wecom-button", roundId, reminderId });
    expect(emulator.updates).toEqual([expect.objectContaining({ userids: ["zhangsan"], agentid: CONFIG.agentId, button: { replace_name: "已记录：推进中" } })]);
    expect(emulator.sent.at(-1)?.text?.content).toContain("百分比");

    // 企业微信 retries a callback it got no answer to: the same event is handled once.
    expect((await emulator.tap(callbackUrl, card, "推进中", { createTime })).status).toBe(200);
    expect(await f.db.statusUpdate.count({ where: { contactId: liaison } })).toBe(1);
    expect(emulator.updates).toHaveLength(1);

    expect((await emulator.text(callbackUrl, "zhangsan", "60%")).status).toBe(200);
    expect(await f.db.statusUpdate.findUniqueOrThrow({ where: { id: updates[0]!.id } })).toMatchObject({ status: "in_progress", progress: 60 });
    expect(emulator.sent.at(-1)?.text?.content).toContain("60%");
  });

  it("申请延期 on the card, then the reason as a text: the office gets the request", async () => {
    await deliver();
    await emulator.tap(callbackUrl, emulator.sent[0]!, "申请延期");
    expect(emulator.sent.at(-1)?.text?.content).toContain("延期理由");
    await emulator.text(callbackUrl, "zhangsan", "需等待省局检测数据，预计延后一周");
    expect(await f.db.extensionRequest.findMany({ where: { roundId } })).toEqual([expect.objectContaining({ contactId: liaison, reason: "需等待省局检测数据，预计延后一周", state: "pending" })]);
  });

  it("an expired access_token is fetched again and the call retried once", async () => {
    await messenger.sendText("lisi", "你好");
    expect(emulator.tokenFetches).toBe(1);
    emulator.expireTokens();
    expect(await deliver()).toMatchObject({ sent: 1 });
    expect(emulator.tokenFetches).toBe(2);
    expect(emulator.sent.at(-1)?.touser).toBe("zhangsan");
  });

  it("45009 (rate limit) waits and retries later; a userid not in the corp is unreachable", async () => {
    emulator.failNext("/cgi-bin/message/send", 45009, "api freq out of limit");
    expect(await deliver()).toMatchObject({ sent: 0, retrying: 1 });
    const waiting = await f.db.reminder.findUniqueOrThrow({ where: { id: reminderId } });
    expect(waiting.state).toBe("retrying");
    expect(waiting.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(FIXTURE_NOW.getTime() + 60_000);
    expect(waiting.lastError).toContain("45009");

    await f.db.contactChannel.updateMany({ where: { contactId: liaison }, data: { externalId: "left-the-corp" } });
    expect(await dispatchReminders(f.db, routeByChannel({ wecom: messenger }), new Date(waiting.nextAttemptAt.getTime() + 1))).toMatchObject({ unreachable: 1 });
    expect((await f.db.reminder.findUniqueOrThrow({ where: { id: reminderId } })).state).toBe("unreachable");
    expect(await f.db.contact.findUniqueOrThrow({ where: { id: liaison } })).toMatchObject({ status: "blocked" });

    // Back in the corp, the member writes to the app: reachable again.
    await f.db.contactChannel.updateMany({ where: { contactId: liaison }, data: { externalId: "zhangsan" } });
    await emulator.text(callbackUrl, "zhangsan", "你好");
    expect(await f.db.contact.findUniqueOrThrow({ where: { id: liaison } })).toMatchObject({ status: "active", unreachableAt: null });
  });

  it("a channel not configured in this instance keeps its reminders waiting", async () => {
    expect(await dispatchReminders(f.db, routeByChannel({}), FIXTURE_NOW)).toMatchObject({ sent: 0, retrying: 1 });
    expect((await f.db.reminder.findUniqueOrThrow({ where: { id: reminderId } })).lastError).toContain("wecom is not configured");
  });

  it("a forged signature or another corp's message is refused with 403 and nothing is written", async () => {
    await deliver();
    const card = emulator.sent[0]!;
    const forged = await emulator.tap(callbackUrl, card, "已完成", { tamper: { signature: "0".repeat(40) } });
    expect(forged.status).toBe(403);
    const foreign = await emulator.tap(callbackUrl, card, "已完成", { tamper: { corpId: "wwsomeoneelse000000" } });
    expect(foreign.status).toBe(403);
    const unsigned = await fetch(callbackUrl, { method: "POST", body: "<xml><Encrypt><![CDATA[abc]]></Encrypt></xml>" });
    expect(unsigned.status).toBe(403);
    expect(await f.db.statusUpdate.count()).toBe(0);
    expect(await f.db.channelEvent.count()).toBe(0);
    expect(emulator.updates).toHaveLength(0);
  });

  it("a stranger's tap is answered politely and records nothing", async () => {
    await deliver();
    const card = { ...emulator.sent[0]!, touser: "lisi" };
    expect((await emulator.tap(callbackUrl, card, "已完成")).status).toBe(200);
    expect(await f.db.statusUpdate.count()).toBe(0);
    expect(emulator.sent.at(-1)).toMatchObject({ touser: "lisi", text: { content: expect.stringContaining("尚未绑定") } });
  });

  it("URL verification answers the decrypted echostr; a bad one is refused", async () => {
    const ok = await emulator.verifyUrl(callbackUrl, "echo-1234567890");
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("echo-1234567890");
    const bad = await fetch(`${callbackUrl}?msg_signature=${"0".repeat(40)}&timestamp=1&nonce=2&echostr=abc`);
    expect(bad.status).toBe(403);
  });

  it("the callback has a body limit, and no secret reaches the log", async () => {
    const huge = await fetch(callbackUrl, { method: "POST", body: `<xml><Encrypt><![CDATA[${"A".repeat(100 * 1024)}]]></Encrypt></xml>` });
    expect(huge.status).toBe(413);
    await deliver();
    await emulator.tap(callbackUrl, emulator.sent[0]!, "已完成");
    await emulator.tap(callbackUrl, emulator.sent[0]!, "已完成", { tamper: { signature: "f".repeat(40) } });
    expect(logged).toContain("wecom: card tap");
    expect(logged).toContain("wecom: callback refused");
    for (const secret of [SECRET, CONFIG.token, CONFIG.aesKey, "tok-"]) expect(logged).not.toContain(secret);
  });
});
