import { Writable } from "node:stream";
import { pino, type Logger } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { dispatchReminders } from "@duban/core/reminders/dispatch-reminders";
import { routeByChannel } from "@duban/core/channels/messenger";
import { at, FIXTURE_NOW, liaisonFixture, type LiaisonFixture } from "@duban/core/testing/liaison-fixture";
import { FeishuApi } from "./api.ts";
import { connectFeishu, type FeishuConnection } from "./feishu-channel.ts";
import { FeishuMessenger } from "./messenger.ts";
import { FeishuEmulator } from "./testing/feishu-emulator.ts";

const SECRET = "feishu-app-secret-do-not-log";
const CONFIG = { appId: "cli_9f8e7d6c5b4a3921", appSecret: SECRET };
const ZHANG = "ou_zhangsan00000000000000000000001";
const LI = "ou_lisi000000000000000000000000002";

describe("飞书 channel against the local emulator (temporary SQLite)", () => {
  let f: LiaisonFixture;
  let emulator: FeishuEmulator;
  let messenger: FeishuMessenger;
  let connection: FeishuConnection | null;
  let liaison: number;
  let reminderId: number;
  let roundId: number;
  let logged: string;
  let log: Logger;

  const connect = (options: { answerWithinMs?: number; appSecret?: string } = {}) =>
    new Promise<void>((resolve, reject) => {
      connection = connectFeishu(
        { ...CONFIG, appSecret: options.appSecret ?? SECRET, apiRoot: emulator.url },
        { db: f.db, now: () => FIXTURE_NOW, log, messenger, ...(options.answerWithinMs !== undefined ? { answerWithinMs: options.answerWithinMs } : {}) },
        { onReady: resolve, onError: reject },
      );
    });

  beforeEach(async () => {
    f = await liaisonFixture();
    liaison = await f.addContact({ unit: "市场监督管理局", telegramUserId: null });
    await f.db.contactChannel.create({ data: { contactId: liaison, channel: "feishu", externalId: ZHANG } });
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
    emulator = new FeishuEmulator({ ...CONFIG, members: [ZHANG, LI] });
    await emulator.start();
    logged = "";
    log = pino({ level: "debug" }, new Writable({ write: (chunk, _encoding, done) => ((logged += String(chunk)), done()) }));
    messenger = new FeishuMessenger(new FeishuApi({ ...CONFIG, apiRoot: emulator.url }, { log }));
    connection = null;
  });

  afterEach(async () => {
    connection?.stop();
    await emulator.stop();
    await f.cleanup();
  });

  const deliver = (now = FIXTURE_NOW) => dispatchReminders(f.db, routeByChannel({ feishu: messenger }), now);

  it("a reminder is an interactive card to the open_id; a tap answers in time and records; an event replayed after a reconnect is handled once", async () => {
    await connect();
    expect(await deliver()).toMatchObject({ sent: 1, retrying: 0, failed: 0 });
    const card = emulator.sent[0]!;
    expect(card).toMatchObject({ receive_id: ZHANG, msg_type: "interactive" });
    expect(card.card?.config?.update_multi).toBe(true);
    expect(await f.db.reminder.findUniqueOrThrow({ where: { id: reminderId } })).toMatchObject({ state: "sent", chatMessageId: card.message_id });

    // The answer to the first delivery is lost with the connection: the SDK reconnects and 飞书 pushes the event again.
    const tap = await emulator.tap(card, "推进中", { loseAnswer: true });
    expect(emulator.endpointPulls).toBe(2);
    expect(emulator.connections).toBe(2);
    expect(tap.data?.toast).toMatchObject({ type: "info", content: "已处理。" });
    const updates = await f.db.statusUpdate.findMany({ where: { contactId: liaison } });
    expect(updates).toEqual([expect.objectContaining({ status: "in_progress", source: "feishu-button", roundId, reminderId })]);
    expect(await f.db.channelEvent.count({ where: { channel: "feishu", eventId: tap.eventId } })).toBe(1);
    await emulator.until(() => emulator.sent.at(-1)?.text?.includes("百分比") === true);
    expect(emulator.sent.filter((m) => m.text?.includes("百分比"))).toHaveLength(1);

    expect((await emulator.text(ZHANG, "60%")).code).toBe(200);
    expect(await f.db.statusUpdate.findUniqueOrThrow({ where: { id: updates[0]!.id } })).toMatchObject({ status: "in_progress", progress: 60 });
  });

  it("申请延期 on the card, then the reason as a text: the office gets the request", async () => {
    await connect();
    await deliver();
    const tap = await emulator.tap(emulator.sent[0]!, "申请延期");
    expect(tap.data?.toast?.content).toContain("延期理由");
    await emulator.until(() => emulator.sent.at(-1)?.text?.includes("延期理由") === true);
    await emulator.text(ZHANG, "需等待省局检测数据，预计延后一周");
    expect(await f.db.extensionRequest.findMany({ where: { roundId } })).toEqual([expect.objectContaining({ contactId: liaison, reason: "需等待省局检测数据，预计延后一周", state: "pending" })]);
  });

  it("99991400 (HTTP 429, the app's limit) waits x-ogw-ratelimit-reset and is retried; the per-user 5 QPS answer is a retry too", async () => {
    emulator.failNext("/open-apis/im/v1/messages", 429, 99991400, "request trigger frequency limit", { "x-ogw-ratelimit-reset": "3" });
    expect(await deliver()).toMatchObject({ sent: 0, retrying: 1 });
    const waiting = await f.db.reminder.findUniqueOrThrow({ where: { id: reminderId } });
    expect(waiting).toMatchObject({ state: "retrying", lastError: expect.stringContaining("99991400") });
    expect(waiting.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(FIXTURE_NOW.getTime() + 3000);
    expect(await deliver(new Date(waiting.nextAttemptAt.getTime() + 1))).toMatchObject({ sent: 1 });
    expect(emulator.sent.map((m) => m.receive_id)).toEqual([ZHANG]);

    // Six replies to one person at once: 飞书 takes five in a second and refuses the sixth (230020),
    // which the conversation waits out and sends, so no answer is lost.
    const before = emulator.sent.length;
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => messenger.sendText(LI, `消息 ${i}`)));
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(emulator.sent.slice(before).map((m) => m.text).sort()).toEqual(Array.from({ length: 6 }, (_, i) => `消息 ${i}`));
    expect(emulator.userRateRefusals).toBe(1);
  });

  it("the instance keeps under the app's 50/s: 55 messages to 11 people meet no 99991400", async () => {
    const people = Array.from({ length: 11 }, (_, i) => `ou_member${String(i).padStart(2, "0")}`);
    emulator.options.members.push(...people);
    const results = await Promise.all(people.flatMap((openId) => Array.from({ length: 5 }, () => messenger.sendText(openId, "通知"))));
    expect(results.filter((r) => !r.ok)).toEqual([]);
  });

  it("an expired tenant_access_token is fetched again and the call retried once; a wrong secret waits and is not logged", async () => {
    await messenger.sendText(LI, "你好");
    expect(emulator.tokenFetches).toBe(1);
    emulator.expireTokens();
    expect(await deliver()).toMatchObject({ sent: 1 });
    expect(emulator.tokenFetches).toBe(2);

    const wrong = new FeishuMessenger(new FeishuApi({ ...CONFIG, appSecret: "not-the-secret", apiRoot: emulator.url }, { log }));
    const result = await wrong.sendText(LI, "你好");
    expect(result).toMatchObject({ ok: false, outcome: "retry", error: expect.stringContaining("10014") });
    expect(JSON.stringify(result)).not.toContain("not-the-secret");
    expect(logged).not.toContain("not-the-secret");
  });

  it("an open_id outside the app's availability is unreachable; writing to the bot makes the liaison reachable again", async () => {
    await connect();
    await f.db.contactChannel.updateMany({ where: { contactId: liaison }, data: { externalId: "ou_left_the_company" } });
    expect(await deliver()).toMatchObject({ unreachable: 1 });
    expect(await f.db.contact.findUniqueOrThrow({ where: { id: liaison } })).toMatchObject({ status: "blocked" });
    await f.db.contactChannel.updateMany({ where: { contactId: liaison }, data: { externalId: ZHANG } });
    await emulator.text(ZHANG, "你好");
    expect(await f.db.contact.findUniqueOrThrow({ where: { id: liaison } })).toMatchObject({ status: "active", unreachableAt: null });
    expect(emulator.sent.at(-1)?.text).toContain("哪项任务");
  });

  it("refuses what is not 飞书's for this app: a wrong secret gets no connection, a socket without a ticket is turned away, another app's event writes nothing", async () => {
    await expect(connect({ appSecret: "forged-secret" })).rejects.toThrow(/pullConnectConfig failed/);
    expect(emulator.connected).toBe(0);
    connection?.stop();
    const stranger = new WebSocket(`${emulator.url.replace(/^http/, "ws")}/ws?device_id=1&service_id=1&ticket=guessed`);
    const refused = await new Promise<boolean>((resolve) => {
      stranger.on("open", () => resolve(false));
      stranger.on("error", () => resolve(true));
    });
    expect(refused).toBe(true);

    await connect();
    await deliver();
    const foreign = await emulator.tap(emulator.sent[0]!, "已完成", { appId: "cli_0000000000000bad" });
    expect(foreign).toMatchObject({ code: 200, data: null });
    await emulator.text(ZHANG, "60", { appId: "cli_0000000000000bad" });
    expect(await f.db.statusUpdate.count()).toBe(0);
    expect(await f.db.channelEvent.count()).toBe(0);
    expect(logged).toContain("feishu: event for another app refused");
  });

  it("a stranger's tap is answered politely and records nothing; a picture 飞书 no longer has, or a sticker, gets a clear answer", async () => {
    await connect();
    await deliver();
    const tap = await emulator.tap(emulator.sent[0]!, "已完成", { openId: LI });
    expect(tap.data?.toast).toMatchObject({ type: "warning", content: expect.stringContaining("尚未绑定") });
    expect(await f.db.statusUpdate.count()).toBe(0);
    await emulator.text(ZHANG, "", { messageType: "image" });
    expect(emulator.sent.at(-1)).toMatchObject({ receive_id: ZHANG, text: expect.stringContaining("未能取回") });
    await emulator.text(ZHANG, "", { messageType: "sticker", content: { file_key: "v2_sticker" } });
    expect(emulator.sent.at(-1)).toMatchObject({ receive_id: ZHANG, text: expect.stringContaining("只能接收图片和文件") });
    expect(await f.db.attachment.count()).toBe(0);
  });

  it("updateCard PATCHes a sent 共享卡片; a text message is not a card", async () => {
    await deliver();
    const card = emulator.sent[0]!;
    expect(await messenger.updateCard({ channel: "feishu", chatId: ZHANG, ref: card.message_id, label: "已记录：已完成" })).toMatchObject({ ok: true });
    expect(emulator.patches).toHaveLength(1);
    expect(card.card?.elements.at(-1)?.elements?.[0]?.content).toBe("已记录：已完成");
    const text = await messenger.sendText(ZHANG, "你好");
    const refused = await messenger.updateCard({ channel: "feishu", chatId: ZHANG, ref: text.ok ? text.messageId : "", label: "x" });
    expect(refused).toMatchObject({ ok: false, outcome: "failed", error: expect.stringContaining("230001") });
  });

  it("no secret or token reaches the log", async () => {
    await connect();
    await deliver();
    await emulator.tap(emulator.sent[0]!, "已完成");
    expect(logged).toContain("feishu: card tap");
    expect(emulator.issuedTokens().length).toBeGreaterThan(0);
    for (const secret of [SECRET, ...emulator.issuedTokens(), "ticket="]) expect(logged).not.toContain(secret);
  });
});
