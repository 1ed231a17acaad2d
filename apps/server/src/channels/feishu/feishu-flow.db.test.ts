import { randomBytes } from "node:crypto";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInvite } from "@duban/core/invites/create-invite";
import { loadBoard } from "@duban/core/board/board";
import { CHANNEL_FILE_MAX_BYTES } from "@duban/core/channels/liaison-conversation";
import { findAttachmentDownload } from "@duban/core/submissions/attachments";
import { RecordingMessenger, routeByChannel } from "@duban/core/channels/messenger";
import { runSchedulerPass } from "@duban/core/reminders/run-scheduler-pass";
import { taskDetail } from "@duban/core/board/task-detail";
import { listUnits } from "@duban/core/units/units";
import { FIXTURE_NOW, liaisonFixture, type LiaisonFixture } from "@duban/core/testing/liaison-fixture";
import { FeishuApi } from "./api.ts";
import { connectFeishu, type FeishuConnection } from "./feishu-channel.ts";
import { FeishuMessenger } from "./messenger.ts";
import { FeishuEmulator } from "./testing/feishu-emulator.ts";

const CONFIG = { appId: "cli_a1b2c3d4e5f60718", appSecret: "flow-app-secret" };
const WANG = "ou_7d8a6e6df7621556ce0d21922b676706";

/**
 * The liaison flow over the long connection, as in Telegram's end-to-end test: invite → 绑定 in
 * 飞书 → the real scheduler pass → a card → 推进中 → 60 → recorded, on the task's page and the
 * board; beside a Telegram liaison of another unit, whose reminder goes to Telegram.
 */
describe("the 飞书 liaison flow against the local emulator, over the SDK's long connection (temporary SQLite)", () => {
  let f: LiaisonFixture;
  let emulator: FeishuEmulator;
  let connection: FeishuConnection;
  let messenger: FeishuMessenger;
  let task8: number;
  let task6: number;
  const telegram = new RecordingMessenger();
  // 飞书 refuses a sixth message to one user within a second (230020): the replies of a test's steps stay below it.
  const quiet = () => new Promise((resolve) => setTimeout(resolve, 1000));

  beforeAll(async () => {
    f = await liaisonFixture();
    task8 = await f.taskId("8");
    task6 = await f.taskId("6");
    // Two deadlines keep the conversation readable, as in the Telegram test.
    await f.db.deadline.updateMany({
      where: { NOT: [{ taskId: task8, cycle: { key: "progress" } }, { taskId: task6, cycle: { key: { startsWith: "task-" } }, kind: "quarterly" }] },
      data: { active: false },
    });
    emulator = new FeishuEmulator({ ...CONFIG, members: [WANG, "ou_someone_else"] });
    await emulator.start();
    messenger = new FeishuMessenger(new FeishuApi({ ...CONFIG, apiRoot: emulator.url }));
    await new Promise<void>((resolve, reject) => {
      connection = connectFeishu({ ...CONFIG, apiRoot: emulator.url }, { db: f.db, now: () => FIXTURE_NOW, log: pino({ level: "silent" }), messenger }, { onReady: resolve, onError: reject });
    });
  });

  afterAll(async () => {
    connection.stop();
    await emulator.stop();
    await f.cleanup();
  });

  it("绑定 with the office's invitation binds the 飞书 user; the code works once", async () => {
    const invite = await createInvite(f.db, { unitName: "市场监督管理局", botUsername: "DubanBot", now: FIXTURE_NOW, name: "王芳" });
    expect((await emulator.text(WANG, `绑定 ${invite.token}`)).code).toBe(200);
    expect(emulator.sent.at(-1)).toMatchObject({ receive_id: WANG, text: "已绑定为「市场监督管理局」的联络员。督办提醒将发送到这里。" });
    const bound = await f.db.contactChannel.findUniqueOrThrow({ where: { channel_externalId: { channel: "feishu", externalId: WANG } }, include: { contact: { include: { unit: true } } } });
    expect(bound.contact).toMatchObject({ name: "王芳", role: "liaison", telegramUserId: null, unit: { name: "市场监督管理局" } });

    const unit = (await listUnits(f.db, FIXTURE_NOW)).find((u) => u.name === "市场监督管理局")!;
    expect(unit.contacts.find((c) => c.id === bound.contactId)).toMatchObject({ reachability: "ok", channels: ["feishu"] });

    await emulator.text("ou_someone_else", `绑定 ${invite.token}`);
    expect(emulator.sent.at(-1)).toMatchObject({ receive_id: "ou_someone_else", text: expect.stringContaining("邀请无效、已使用或已过期") });
    expect(await f.db.contactChannel.count({ where: { channel: "feishu" } })).toBe(1);
  });

  it("scheduler pass → a card in 飞书 (and Telegram's to Telegram) → 推进中 → 60 → recorded, on the task's page and the board", async () => {
    await f.addContact({ unit: "环保局", telegramUserId: "2001" });
    const before = emulator.sent.length;
    const pass = await runSchedulerPass({ db: f.db, messenger: routeByChannel({ feishu: messenger, telegram }), now: FIXTURE_NOW });
    expect(pass.dispatch).toMatchObject({ sent: 3, failed: 0, retrying: 0 });
    const cards = emulator.sent.slice(before);
    expect(cards.map((m) => [m.receive_id, m.msg_type])).toEqual([
      [WANG, "interactive"],
      [WANG, "interactive"],
    ]);
    expect(telegram.sent.map((m) => [m.channel, m.chatId])).toEqual([["telegram", "2001"]]);

    const card8 = cards.find((m) => m.card?.elements[0]?.text?.content?.includes("任务8"))!;
    expect(card8.card?.elements[1]?.actions?.map((a) => a.text?.content)).toEqual(["已完成", "推进中", "有困难", "申请延期", "稍后提醒"]);
    const tap = await emulator.tap(card8, "推进中");
    // Answered within 飞书's 3 seconds, with a toast and the card whose buttons are spent.
    expect(tap.code).toBe(200);
    expect(tap.ms).toBeLessThan(3000);
    expect(tap.data?.toast).toMatchObject({ type: "success", content: expect.stringContaining("状态：推进中") });
    expect(card8.card?.elements.some((e) => e.tag === "action")).toBe(false);
    expect(card8.card?.elements.at(-1)?.elements?.[0]?.content).toBe("已记录：推进中");
    expect(card8.card?.elements[0]?.text?.content).toContain("任务8");
    // The question asked back also stays in the conversation.
    await emulator.until(() => emulator.sent.at(-1)?.text?.includes("百分比") === true);

    await emulator.text(WANG, "60");
    expect(emulator.sent.at(-1)?.text).toContain("60%");

    const stored = await f.db.statusUpdate.findFirstOrThrow({ where: { taskId: task8 }, include: { round: true } });
    expect(stored).toMatchObject({ status: "in_progress", progress: 60, source: "feishu-button", round: { periodKey: "2026Q3" } });
    const detail = await taskDetail(f.db, task8, FIXTURE_NOW);
    expect(detail.history[0]).toMatchObject({ status: "in_progress", progress: 60, periodKey: "2026Q3", unit: { name: "市场监督管理局" } });
    const board = await loadBoard(f.db, FIXTURE_NOW);
    const unitId = await f.unitId("市场监督管理局");
    expect(board.rows.find((r) => r.taskId === task8)?.cells.find((c) => c.unitId === unitId)).toMatchObject({ status: "in_progress", progress: 60 });
  });

  it("a picture while two tasks are open asks which task; the number and a status file it on that task, bytes kept", async () => {
    await quiet();
    expect((await emulator.text(WANG, "完成报送"), emulator.sent.at(-1)?.text)).toContain("本次报送已完成");
    const png = randomBytes(4096);
    const sent = await emulator.sendFile(WANG, { type: "image", bytes: png, contentType: "image/png" });
    expect(sent.code).toBe(200);
    const question = emulator.sent.at(-1)!.text!;
    expect(question).toContain("请问您报送的是哪项任务？请回复序号：");
    expect(emulator.calls).toContain(`GET /open-apis/im/v1/messages/${sent.messageId}/resources/${sent.key}`);
    const number = /^(\d+)\./.exec(question.split("\n").find((line) => line.includes("任务6“"))!)![1]!;
    await emulator.text(WANG, number);
    expect(emulator.sent.at(-1)?.text).toContain("任务6");
    await emulator.text(WANG, "已完成");
    expect(emulator.sent.at(-1)?.text).toContain("附件：图片");

    const update = await f.db.statusUpdate.findFirstOrThrow({ where: { taskId: task6 }, orderBy: { id: "desc" }, include: { attachments: true } });
    expect(update).toMatchObject({ status: "done", source: "feishu-text" });
    expect(update.attachments).toEqual([expect.objectContaining({ kind: "photo", telegramFileId: `feishu:${sent.key}`, mimeType: "image/png", size: 4096 })]);
    const detail = await taskDetail(f.db, task6, FIXTURE_NOW);
    expect(detail.history[0]?.attachments).toEqual([expect.objectContaining({ id: update.attachments[0]!.id, kind: "photo" })]);
    const download = await findAttachmentDownload(f.db, update.attachments[0]!.id);
    expect(Buffer.from(download!.content!).equals(png)).toBe(true);
  });

  it("a file keeps its name; over 10 MB it is refused with a clear answer and nothing is stored", async () => {
    await quiet();
    await emulator.text(WANG, "完成报送");
    // The token expired meanwhile: the download fetches a new one and is retried once.
    emulator.expireTokens();
    const fetches = emulator.tokenFetches;
    const pdf = await emulator.sendFile(WANG, { type: "file", bytes: randomBytes(1500), contentType: "application/pdf", fileName: "整改报告.pdf" });
    expect(pdf.code).toBe(200);
    expect(emulator.tokenFetches).toBe(fetches + 1);
    const question = emulator.sent.at(-1)!.text!;
    await emulator.text(WANG, /^(\d+)\./.exec(question.split("\n").find((line) => line.includes("任务8“"))!)![1]!);
    await emulator.text(WANG, "有困难");
    expect(emulator.sent.at(-1)?.text).toContain("附件：整改报告.pdf");
    const update = await f.db.statusUpdate.findFirstOrThrow({ where: { taskId: task8 }, orderBy: { id: "desc" }, include: { attachments: true } });
    expect(update).toMatchObject({ status: "blocked", attachments: [expect.objectContaining({ kind: "document", fileName: "整改报告.pdf", mimeType: "application/pdf", size: 1500 })] });

    await quiet();
    await emulator.text(WANG, "完成报送");
    const before = await f.db.attachment.count();
    await emulator.sendFile(WANG, { type: "file", bytes: new Uint8Array(CHANNEL_FILE_MAX_BYTES + 1), contentType: "application/pdf", fileName: "大文件.pdf" });
    expect(emulator.sent.at(-1)?.text).toContain("超过 10 MB");
    expect(await f.db.attachment.count()).toBe(before);
  });
});
