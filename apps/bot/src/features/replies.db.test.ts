import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { botHarness, type BotHarness } from "../../test/harness.ts";

describe("free text and replies to reminders (handleUpdate, temporary SQLite)", () => {
  let h: BotHarness;
  let liaison: number;
  beforeEach(async () => {
    h = await botHarness();
    liaison = await h.join(1001, "市场监督管理局");
  });
  afterEach(async () => {
    await h.cleanup();
  });

  it("“受检率96.5%” is recorded as task 8's indicator value, found among all the unit's tasks", async () => {
    await h.send(1001, "受检率96.5%");
    const text = h.texts()[0]!;
    expect(text).toContain("已记录：任务8“建立和夯实城市计量基础”（季度进度 · 2026年第三季度）");
    expect(text).toContain("国家重点管理计量器具受检率：96.5%");
    expect(text).toContain("状态：推进中");
    const update = await h.f.db.statusUpdate.findFirstOrThrow({ include: { values: { include: { indicator: true } }, round: true } });
    expect(update).toMatchObject({ taskId: await h.f.taskId("8"), source: "telegram-text", status: "in_progress", round: { periodKey: "2026Q3" } });
    expect(update.values.map((v) => [v.indicator.name, v.value])).toEqual([["国家重点管理计量器具受检率", 96.5]]);
  });

  it("a value alone keeps the unit's last status, and says so", async () => {
    await h.send(1001, "受检率96.5%");
    await h.tap(1001, h.button(h.lastMessage(), "跳过"));
    await h.tap(1001, h.button(h.lastMessage(), "完成报送"));
    h.drain();
    // Q3 is submitted now; 2026Q4 is the next owed round.
    await h.send(1001, "检测项目16项");
    const text = h.texts()[0]!;
    expect(text).toContain("计量检测项目：16项");
    expect(text).toContain("状态：推进中（沿用最近一次报送的状态）");
    expect(text).toContain("2026年第四季度");
  });

  it("a reply to a reminder is filed under that reminder's task and round", async () => {
    // Task 6 owes two rounds (progress and the analysis report); the reply names neither.
    const reminder = await h.remind({ contactId: liaison, task: "6", unit: "市场监督管理局", progress: false });
    await h.send(1001, "已完成，报告已上报", { replyTo: Number(reminder.chatMessageId) });
    const text = h.texts().at(-1)!;
    expect(text).toContain("已记录：任务6“开展好质量分析工作”（每季度质量分析报告 · 2026年第三季度）");
    expect(text).toContain("状态：已完成");
    expect(text).toContain("情况说明：报告已上报");
    const update = await h.f.db.statusUpdate.findFirstOrThrow();
    expect(update).toMatchObject({ roundId: reminder.roundId, reminderId: reminder.id, taskId: await h.f.taskId("6"), status: "done", note: "报告已上报", source: "telegram-reply" });
    const submission = await h.f.db.submission.findFirstOrThrow({ where: { roundId: reminder.roundId!, unitId: reminder.unitId } });
    expect(submission).toMatchObject({ submittedAt: h.now, acknowledgedAt: h.now });
  });

  it("“收到” in reply to a reminder is 签收 only", async () => {
    const reminder = await h.remind({ contactId: liaison, task: "8", unit: "市场监督管理局" });
    await h.send(1001, "收到", { replyTo: Number(reminder.chatMessageId) });
    expect(h.texts().at(-1)).toContain("已签收");
    const submission = await h.f.db.submission.findFirstOrThrow({ where: { roundId: reminder.roundId!, unitId: reminder.unitId } });
    expect(submission).toMatchObject({ acknowledgedAt: h.now, submittedAt: null });
    expect(await h.f.db.statusUpdate.count()).toBe(0);
  });

  it("words without a status: the bot asks, then records the status with the words", async () => {
    const reminder = await h.remind({ contactId: liaison, task: "8", unit: "市场监督管理局" });
    await h.send(1001, "正在整理检定数据", { replyTo: Number(reminder.chatMessageId) });
    const question = h.lastMessage();
    expect(question?.payload.text).toContain("请问这项工作目前的状态是？");
    expect(await h.f.db.statusUpdate.count()).toBe(0);
    await h.tap(1001, h.button(question, "推进中"));
    expect(await h.f.db.statusUpdate.findFirstOrThrow()).toMatchObject({ status: "in_progress", note: "正在整理检定数据", reminderId: reminder.id });
  });

  it("a status without a task: the bot asks which task, then which round when two are owed", async () => {
    await h.send(1001, "推进中，完成70%");
    const pick = h.lastMessage();
    expect(pick?.payload.text).toBe("请问您报送的是哪项任务？");
    await h.tap(1001, h.button(pick, "任务6“开展好质量分析工作”"));
    const rounds = h.lastMessage();
    expect(rounds?.payload.text).toContain("该任务有多项待报送事项，请选择：");
    const labels = h.buttonsOf(rounds).map((b) => b.text);
    expect(labels.some((l) => l.startsWith("每季度质量分析报告 · 2026年第三季度"))).toBe(true);
    await h.tap(1001, h.button(rounds, labels.find((l) => l.startsWith("每季度质量分析报告"))!));
    const text = h.texts().at(-1)!;
    expect(text).toContain("每季度质量分析报告 · 2026年第三季度");
    expect(text).toContain("进度：70%");
    expect(text).toContain("该事项需“已完成”后方视为报送");
    expect(await h.f.db.statusUpdate.findFirstOrThrow({ include: { round: { include: { deadline: { include: { cycle: true } } } } } })).toMatchObject({
      status: "in_progress",
      progress: 70,
      round: { periodKey: "2026Q3", deadline: { cycle: { key: expect.stringMatching(/^task-\d+-quarterly/) } } },
    });
  });

  it("unclear values are asked about, never guessed", async () => {
    await h.send(1001, "60");
    await h.send(1001, "满意度95%");
    const [bare, unknown] = h.texts();
    expect(bare).toBe("请说明“60”指的是什么，例如“进度60%”或“受检率60%”。");
    expect(unknown).toContain("未找到与“满意度”对应的指标");
    expect(unknown).toContain("· 国家重点管理计量器具受检率");
    expect(await h.f.db.statusUpdate.count()).toBe(0);
  });

  it("a progress step rejects a percentage over 100 and keeps waiting", async () => {
    await h.remind({ contactId: liaison, task: "8", unit: "市场监督管理局" });
    await h.tap(1001, h.button(h.lastMessage(), "推进中"));
    h.drain();
    await h.send(1001, "160");
    await h.send(1001, "65%");
    const [range, ok] = h.texts();
    expect(range).toBe("进度应为 0–100 之间的数字，请重新输入。");
    expect(ok).toContain("进度：65%");
  });

  it("other message types are answered with a hint", async () => {
    await h.handle({ message: { message_id: 9, date: 0, chat: { id: 1001, type: "private", first_name: "x" }, from: { id: 1001, is_bot: false, first_name: "x" }, sticker: { file_id: "s", file_unique_id: "s", width: 1, height: 1, is_animated: false, is_video: false, type: "regular" } } } as any);
    expect(h.texts()[0]).toContain("未能识别您发送的内容");
  });

  it("a file sent on its own: the bot asks the task and the status, then stores it with the update", async () => {
    await h.sendFile(1001, { name: "第三季度检定台账.xlsx" });
    const pick = h.lastMessage();
    expect(pick?.payload.text).toBe("请问您报送的是哪项任务？");
    await h.tap(1001, h.button(pick, h.buttonsOf(pick).find((b) => b.text.startsWith("任务8“"))!.text));
    const ask = h.lastMessage();
    expect(ask?.payload.text).toContain("请问这项工作目前的状态是？");
    await h.tap(1001, h.button(ask, "推进中"));
    expect(h.texts().at(-1)).toContain("附件：第三季度检定台账.xlsx");
    const update = await h.f.db.statusUpdate.findFirstOrThrow({ include: { attachments: true } });
    expect(update).toMatchObject({ taskId: await h.f.taskId("8"), status: "in_progress", attachments: [{ telegramFileId: "DOC_1", fileName: "第三季度检定台账.xlsx" }] });
  });
  it("a file waiting for its task joins the next message: an indicator value files both under task 8", async () => {
    await h.sendFile(1001, { name: "检定台账.xlsx" });
    expect(h.lastMessage()?.payload.text).toBe("请问您报送的是哪项任务？");
    await h.send(1001, "受检率96.5%");
    const text = h.texts().at(-1)!;
    expect(text).toContain("国家重点管理计量器具受检率：96.5%");
    expect(text).toContain("附件：检定台账.xlsx");
    const attachment = await h.f.db.attachment.findFirstOrThrow({ include: { statusUpdate: true } });
    expect(attachment).toMatchObject({ telegramFileId: "DOC_1", statusUpdate: { taskId: await h.f.taskId("8"), status: "in_progress" } });
  });

  it("“收到”, “60” and a photo captioned “好的” while a file waits: nothing is dropped, both files go with the report", async () => {
    await h.sendFile(1001, { name: "检定台账.xlsx" });
    h.drain();
    await h.send(1001, "收到");
    const [kept, again] = h.texts();
    expect(kept).toBe("您发送的 1 个附件尚未记录，仍为您保留，回答后将一并记录。");
    expect(again).toBe("请问您报送的是哪项任务？");
    await h.send(1001, "60");
    expect(h.texts()).toEqual(["请说明“60”指的是什么，例如“进度60%”或“受检率60%”。\n\n您发送的 1 个附件尚未记录，仍为您保留，回答后将一并记录。"]);
    // An acknowledgement as a caption does not drop the photo either: it is its note.
    await h.sendFile(1001, { photo: true, caption: "好的" });
    const pick = h.lastMessage();
    expect(pick?.payload.text).toBe("请问您报送的是哪项任务？");
    expect(await h.f.db.attachment.count()).toBe(0);
    await h.tap(1001, h.button(pick, h.buttonsOf(pick).find((b) => b.text.startsWith("任务8“"))!.text));
    await h.tap(1001, h.button(h.lastMessage(), "推进中"));
    const update = await h.f.db.statusUpdate.findFirstOrThrow({ include: { attachments: { orderBy: { id: "asc" } } } });
    expect(update).toMatchObject({ taskId: await h.f.taskId("8"), status: "in_progress", note: "好的" });
    expect(update.attachments.map((a) => a.telegramFileId)).toEqual(["DOC_1", "PHOTO_LARGE"]);
  });

  it("a photo captioned “收到” in reply to a reminder is kept; “完成80%” typed instead of a status files it under that task", async () => {
    const reminder = await h.remind({ contactId: liaison, task: "8", unit: "市场监督管理局" });
    await h.sendFile(1001, { photo: true, caption: "收到", replyTo: Number(reminder.chatMessageId) });
    expect(h.lastMessage()?.payload.text).toContain("请问这项工作目前的状态是？");
    expect(await h.f.db.statusUpdate.count()).toBe(0);
    await h.send(1001, "完成80%");
    expect(h.texts().at(-1)).toContain("进度：80%");
    const update = await h.f.db.statusUpdate.findFirstOrThrow({ include: { attachments: true } });
    expect(update).toMatchObject({ taskId: await h.f.taskId("8"), roundId: reminder.roundId, reminderId: reminder.id, status: "in_progress", progress: 80, note: "收到" });
    expect(update.attachments.map((a) => a.telegramFileId)).toEqual(["PHOTO_LARGE"]);
  });
  it("a status tapped on an earlier reminder's card while a file waits: the file goes with it; 稍后提醒 keeps it waiting", async () => {
    const reminder = await h.remind({ contactId: liaison, task: "8", unit: "市场监督管理局" });
    const card = h.lastMessage();
    await h.sendFile(1001, { name: "检定台账.xlsx", caption: "第三季度" });
    expect(h.lastMessage()?.payload.text).toBe("请问您报送的是哪项任务？");
    h.drain();
    await h.tap(1001, h.button(card, "稍后提醒"));
    expect(h.texts().at(-1)).toContain("您发送的 1 个附件尚未记录，仍为您保留，回答后将一并记录。");
    expect(await h.f.db.statusUpdate.count()).toBe(0);
    await h.tap(1001, h.button(card, "已完成"));
    const update = await h.f.db.statusUpdate.findFirstOrThrow({ include: { attachments: true } });
    expect(update).toMatchObject({ taskId: await h.f.taskId("8"), roundId: reminder.roundId, status: "done", note: "第三季度", attachments: [{ telegramFileId: "DOC_1" }] });
  });
  it("/report while a file waits for its task: the task chosen there gets the file", async () => {
    await h.sendFile(1001, { name: "检定台账.xlsx" });
    await h.send(1001, "/report");
    const list = h.lastMessage();
    expect(list?.payload.text).toBe("请选择要报送进展的任务：");
    await h.tap(1001, h.button(list, h.buttonsOf(list).find((b) => b.text.startsWith("任务8“"))!.text));
    await h.tap(1001, h.button(h.lastMessage(), "已完成"));
    const update = await h.f.db.statusUpdate.findFirstOrThrow({ include: { attachments: true } });
    expect(update).toMatchObject({ taskId: await h.f.taskId("8"), status: "done", attachments: [{ telegramFileId: "DOC_1" }] });
  });
});
