import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInvite } from "@duban/core/invites/create-invite";
import { RecordingMessenger, routeByChannel } from "@duban/core/channels/messenger";
import { loadBoard } from "@duban/core/board/board";
import { CHANNEL_FILE_MAX_BYTES } from "@duban/core/channels/liaison-conversation";
import { findAttachmentDownload } from "@duban/core/submissions/attachments";
import { runSchedulerPass } from "@duban/core/reminders/run-scheduler-pass";
import { taskDetail } from "@duban/core/board/task-detail";
import { listUnits } from "@duban/core/units/units";
import { FIXTURE_NOW, liaisonFixture, type LiaisonFixture } from "@duban/core/testing/liaison-fixture";
import { DingtalkApi, DingtalkTokenError } from "./api.ts";
import { DingtalkMessenger } from "./messenger.ts";
import { startDingtalkStream, type DingtalkStream } from "./stream.ts";
import { DingtalkEmulator } from "./testing/dingtalk-emulator.ts";

const SECRET = "dingtalk-client-secret-do-not-log";
const CONFIG = { clientId: "dingflowclient0001", clientSecret: SECRET, robotCode: "dingflowclient0001", corpId: "ding0corp0flow" };

/**
 * The liaison flow over real HTTP and a real WebSocket, as in Telegram's end-to-end test:
 * invite → 绑定 sent to the robot → the real scheduler pass → a 互动卡片 (after one throttled
 * answer) → tap 推进中 → 60 → recorded and on the board; beside a Telegram liaison of another
 * unit. Inbound events come over Stream mode through the official SDK, against the emulator.
 */
describe("the 钉钉 liaison flow against the local OpenAPI + Stream emulator (temporary SQLite)", () => {
  let f: LiaisonFixture;
  let emulator: DingtalkEmulator;
  let api: DingtalkApi;
  let messenger: DingtalkMessenger;
  let stream: DingtalkStream;
  let task8: number;
  let logged = "";
  let failNextFrame = false;
  const telegram = new RecordingMessenger();

  beforeAll(async () => {
    f = await liaisonFixture();
    task8 = await f.taskId("8");
    const task6 = await f.taskId("6");
    // Two deadlines keep the conversation readable, as in the Telegram test.
    await f.db.deadline.updateMany({
      where: { NOT: [{ taskId: task8, cycle: { key: "progress" } }, { taskId: task6, cycle: { key: { startsWith: "task-" } }, kind: "quarterly" }] },
      data: { active: false },
    });
    emulator = new DingtalkEmulator({ ...CONFIG, members: ["wangfang", "zhaolei"], ackTimeoutMs: 1500 });
    await emulator.start();
    api = new DingtalkApi({ clientId: CONFIG.clientId, clientSecret: CONFIG.clientSecret, robotCode: CONFIG.robotCode, apiRoot: emulator.url });
    messenger = new DingtalkMessenger(api);
    const log = pino({ level: "debug" }, new Writable({ write: (chunk, _encoding, done) => ((logged += String(chunk)), done()) }));
    const now = () => {
      if (failNextFrame) {
        failNextFrame = false;
        throw new Error("the database is away for a moment");
      }
      return FIXTURE_NOW;
    };
    stream = startDingtalkStream({ clientId: CONFIG.clientId, clientSecret: CONFIG.clientSecret, apiRoot: emulator.url }, { db: f.db, now, log, robotCode: CONFIG.robotCode, messenger });
    await stream.connected;
    await emulator.connected();
    // Only the two topics Duban reads: no EVENT subscription.
    expect(emulator.subscriptions.sort()).toEqual(["CALLBACK /v1.0/card/instances/callback", "CALLBACK /v1.0/im/bot/messages/get"]);
  });

  afterAll(async () => {
    stream?.stop();
    await emulator?.stop();
    await f?.cleanup();
  });

  it("绑定 with the office's invitation binds the member; the code works once; someone from another organisation is refused", async () => {
    const invite = await createInvite(f.db, { unitName: "市场监督管理局", botUsername: "DubanBot", now: FIXTURE_NOW, name: "王芳" });

    // Another organisation's user sends the code first: refused, nothing written, the code still good.
    const eventsBefore = await f.db.channelEvent.count();
    await emulator.userSends("outsider", `绑定 ${invite.token}`, { corpId: "ding0other0corp" }).acked;
    expect(await f.db.contactChannel.count({ where: { channel: "dingtalk" } })).toBe(0);
    expect(await f.db.channelEvent.count()).toBe(eventsBefore);

    await emulator.userSends("wangfang", `绑定 ${invite.token}`).acked;
    expect(emulator.texts.at(-1)).toMatchObject({ userId: "wangfang", content: "已绑定为「市场监督管理局」的联络员。督办提醒将发送到这里。" });
    const bound = await f.db.contactChannel.findUniqueOrThrow({ where: { channel_externalId: { channel: "dingtalk", externalId: "wangfang" } }, include: { contact: { include: { unit: true } } } });
    expect(bound.contact).toMatchObject({ name: "王芳", role: "liaison", telegramUserId: null, unit: { name: "市场监督管理局" } });
    const unit = (await listUnits(f.db, FIXTURE_NOW)).find((u) => u.name === "市场监督管理局")!;
    expect(unit.contacts.find((c) => c.id === bound.contactId)).toMatchObject({ reachability: "ok", channels: ["dingtalk"] });

    await emulator.userSends("zhaolei", `绑定 ${invite.token}`).acked;
    expect(emulator.texts.at(-1)).toMatchObject({ userId: "zhaolei", content: expect.stringContaining("邀请无效、已使用或已过期") });
    expect(await f.db.contactChannel.count({ where: { channel: "dingtalk" } })).toBe(1);
  });

  it("scheduler pass → a throttled card is retried, then cards in 钉钉 (and Telegram's to Telegram) → 推进中 → 60 → recorded and on the board", async () => {
    await f.addContact({ unit: "环保局", telegramUserId: "2001" });
    emulator.failNext("/v1.0/im/v1.0/robot/interactiveCards/send", 403, "Forbidden.AccessDenied.QpsLimitForApi", "请求过于频繁");
    const route = routeByChannel({ dingtalk: messenger, telegram });
    const first = await runSchedulerPass({ db: f.db, messenger: route, now: FIXTURE_NOW });
    // Tasks 8 and 6 for 市场监督管理局 in 钉钉 (one throttled); task 6 for 环保局 in Telegram.
    expect(first.dispatch).toMatchObject({ sent: 2, retrying: 1, failed: 0 });
    const throttled = await f.db.reminder.findFirstOrThrow({ where: { state: "retrying" } });
    expect(throttled.lastError).toContain("QpsLimitForApi");
    const second = await runSchedulerPass({ db: f.db, messenger: route, now: new Date(throttled.nextAttemptAt.getTime() + 1000) });
    expect(second.dispatch).toMatchObject({ sent: 1, retrying: 0 });
    expect(emulator.cards.map((c) => c.userId)).toEqual(["wangfang", "wangfang"]);
    expect(telegram.sent.map((m) => [m.channel, m.chatId])).toEqual([["telegram", "2001"]]);

    const card8 = emulator.cards.find((c) => c.card.contents.some((part) => part.text?.includes("任务8")))!;
    expect(card8.card.contents.flatMap((c) => c.actions ?? []).map((a) => a.label.text)).toEqual(["已完成", "推进中", "有困难", "申请延期", "稍后提醒"]);
    const tap = emulator.tap(card8, "推进中");
    await tap.acked;
    expect(emulator.updates.at(-1)?.cardBizId).toBe(card8.cardBizId);
    const spent = emulator.updates.at(-1)!.card;
    expect(spent.contents.flatMap((c) => c.actions ?? [])).toEqual([]);
    expect(spent.contents.map((c) => c.text)).toEqual([expect.stringContaining("任务8"), "✔ 已记录：推进中"]);
    expect(emulator.texts.at(-1)?.content).toContain("百分比");

    // 钉钉 pushes the same tap again after a reconnect (a new messageId): handled once.
    await emulator.replay("card", tap.data);
    expect(await f.db.statusUpdate.count({ where: { taskId: task8 } })).toBe(1);
    expect(emulator.updates).toHaveLength(1);

    const textsBefore = emulator.texts.length;
    const sixty = emulator.userSends("wangfang", "60");
    await sixty.acked;
    expect(emulator.texts.at(-1)?.content).toContain("60%");
    await emulator.replay("robot", sixty.data);
    expect(emulator.texts).toHaveLength(textsBefore + 1);

    const stored = await f.db.statusUpdate.findFirstOrThrow({ where: { taskId: task8 }, include: { round: true } });
    expect(stored).toMatchObject({ status: "in_progress", progress: 60, source: "dingtalk-button", round: { periodKey: "2026Q3" } });
    const detail = await taskDetail(f.db, task8, FIXTURE_NOW);
    expect(detail.history[0]).toMatchObject({ status: "in_progress", progress: 60, periodKey: "2026Q3", unit: { name: "市场监督管理局" } });
    const board = await loadBoard(f.db, FIXTURE_NOW, { planId: (await f.db.task.findUniqueOrThrow({ where: { id: task8 } })).planId });
    const unitId = await f.unitId("市场监督管理局");
    expect(board.rows.find((r) => r.taskId === task8)?.cells.find((c) => c.unitId === unitId)).toMatchObject({ status: "in_progress", progress: 60 });
  });

  it("a member who is not bound taps a card: answered politely, nothing recorded", async () => {
    const card = emulator.cards[0]!;
    const before = await f.db.statusUpdate.count();
    await emulator.tap({ ...card, cardBizId: emulator.cards[1]!.cardBizId }, "已完成", { userId: "zhaolei" }).acked;
    expect(await f.db.statusUpdate.count()).toBe(before);
    expect(emulator.texts.at(-1)).toMatchObject({ userId: "zhaolei", content: expect.stringContaining("尚未绑定") });
  });

  it("a frame whose handling failed is not acked: 钉钉 pushes it again and it is handled then, once", async () => {
    failNextFrame = true;
    const textsBefore = emulator.texts.length;
    const pushed = emulator.userSends("wangfang", "你好");
    await pushed.acked;
    expect(emulator.deliveries.get(pushed.messageId)).toBe(2);
    expect(emulator.texts.slice(textsBefore)).toEqual([expect.objectContaining({ userId: "wangfang", content: expect.stringContaining("你好") })]);
    expect(logged).toContain("dingtalk: frame not handled");
  });

  it("the token is cached, fetched again once when refused, and a wrong secret is refused", async () => {

    const fetches = emulator.tokenFetches;
    emulator.expireTokens();
    expect(await messenger.sendText("zhaolei", "测试")).toMatchObject({ ok: true });
    expect(emulator.tokenFetches).toBe(fetches + 1);

    const wrong = new DingtalkApi({ ...CONFIG, clientSecret: "not-the-secret", apiRoot: emulator.url });
    await expect(wrong.accessToken()).rejects.toBeInstanceOf(DingtalkTokenError);
    expect(await new DingtalkMessenger(wrong).sendText("wangfang", "x")).toMatchObject({ ok: false, outcome: "retry", error: expect.stringContaining("invalidClientIdOrSecret") });
  });

  it("a member over the robot's limit is retried later; a userId not in the organisation is unreachable", async () => {
    emulator.setFlowControlled("wangfang", true);
    expect(await messenger.sendText("wangfang", "通知")).toMatchObject({ ok: false, outcome: "retry", retryAfterMs: 60_000 });
    emulator.setFlowControlled("wangfang", false);
    expect(await messenger.sendText("left-the-org", "通知")).toMatchObject({ ok: false, outcome: "unreachable" });
  });

  it("a picture while two tasks are open asks which task; the number and a status file it on that task, bytes kept", async () => {
    const task6 = await f.taskId("6");
    expect((await emulator.userSends("wangfang", "完成报送").acked, emulator.texts.at(-1)?.content)).toContain("本次报送已完成");
    const png = randomBytes(3000);
    const downloadCode = emulator.addFile(png, "image/png", "现场照片.png");
    await emulator.userSendsFile("wangfang", { msgtype: "picture", downloadCode }).acked;
    const question = emulator.texts.at(-1)!.content;
    expect(question).toContain("请问您报送的是哪项任务？请回复序号：");
    expect(emulator.calls).toContain("POST /v1.0/robot/messageFiles/download");
    const number = /^(\d+)\./.exec(question.split("\n").find((line) => line.includes("任务6“"))!)![1]!;
    await emulator.userSends("wangfang", number).acked;
    expect(emulator.texts.at(-1)?.content).toContain("任务6");
    await emulator.userSends("wangfang", "已完成").acked;
    expect(emulator.texts.at(-1)?.content).toContain("附件：现场照片.png");

    const update = await f.db.statusUpdate.findFirstOrThrow({ where: { taskId: task6 }, orderBy: { id: "desc" }, include: { attachments: true } });
    expect(update).toMatchObject({ status: "done", source: "dingtalk-text" });
    expect(update.attachments).toEqual([expect.objectContaining({ kind: "photo", fileName: "现场照片.png", mimeType: "image/png", size: 3000 })]);
    expect(update.attachments[0]!.telegramFileId).toMatch(/^dingtalk:/);
    // On the board's task, and downloadable from Duban: 钉钉's link expires.
    const detail = await taskDetail(f.db, task6, FIXTURE_NOW);
    expect(detail.history[0]?.attachments).toEqual([expect.objectContaining({ id: update.attachments[0]!.id, fileName: "现场照片.png" })]);
    const download = await findAttachmentDownload(f.db, update.attachments[0]!.id);
    expect(Buffer.from(download!.content!).equals(png)).toBe(true);
  });

  it("a file over 10 MB, an expired link or a voice message is refused with a clear answer, nothing stored", async () => {
    expect((await emulator.userSends("wangfang", "完成报送").acked, emulator.texts.at(-1)?.content)).toBeTruthy();
    const before = await f.db.attachment.count();
    const big = emulator.addFile(new Uint8Array(CHANNEL_FILE_MAX_BYTES + 1), "application/pdf", "报告.pdf");
    await emulator.userSendsFile("wangfang", { msgtype: "file", downloadCode: big, fileName: "报告.pdf" }).acked;
    expect(emulator.texts.at(-1)?.content).toContain("超过 10 MB");
    emulator.linkTtlMs = -1;
    const stale = emulator.addFile(randomBytes(100), "image/jpeg");
    await emulator.userSendsFile("wangfang", { msgtype: "picture", downloadCode: stale }).acked;
    expect(emulator.texts.at(-1)?.content).toContain("未能取回");
    emulator.linkTtlMs = 60_000;
    await emulator.userSends("wangfang", "", { message: { msgtype: "audio", content: { downloadCode: "x", duration: 3 } } }).acked;
    expect(emulator.texts.at(-1)?.content).toContain("只能接收图片和文件");
    expect(await f.db.attachment.count()).toBe(before);
  });

  it("no secret or token reaches the log", () => {
    expect(logged).toContain("dingtalk: card tap");
    expect(logged).toContain("dingtalk: message from outside the organisation refused");
    for (const secret of [SECRET, "tok-"]) expect(logged).not.toContain(secret);
  });
});
