import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { botHarness, type BotHarness } from "../../test/harness.ts";

describe("申请延期 and kept progress (handleUpdate, temporary SQLite)", () => {
  let h: BotHarness;
  let liaison: number;
  beforeEach(async () => {
    h = await botHarness();
    liaison = await h.join(1001, "市场监督管理局", "liaison", "李娜");
  });
  afterEach(async () => {
    await h.cleanup();
  });

  it("推进中 60% → a photo → 推进中 again keeps the 60% and does not ask for it again", async () => {
    await h.remind({ contactId: liaison, task: "8", unit: "市场监督管理局" });
    const card = h.lastMessage();
    await h.tap(1001, h.button(card, "推进中"));
    await h.send(1001, "60");
    await h.sendFile(1001, { photo: true });
    h.drain();

    await h.tap(1001, h.button(card, "推进中"));
    const text = h.texts().at(-1)!;
    expect(text).toContain("状态：推进中\n进度：60%");
    expect(text).not.toContain("请回复目前的完成进度");
    const latest = await h.f.db.statusUpdate.findFirstOrThrow({ orderBy: { id: "desc" } });
    expect(latest).toMatchObject({ status: "in_progress", progress: 60 });
    expect(await h.f.db.statusUpdate.count()).toBe(2);
  });

  it("a reminder carries 申请延期 on a row of its own; tapping it asks the reason", async () => {
    const reminder = await h.remind({ contactId: liaison, task: "6", unit: "市场监督管理局", progress: false });
    const card = h.lastMessage();
    const rows = (card?.payload.reply_markup.inline_keyboard as Array<Array<{ text: string }>>).map((row) => row.map((b) => b.text));
    expect(rows).toEqual([["已完成", "推进中"], ["有困难", "稍后提醒"], ["申请延期"]]);
    h.drain();
    await h.tap(1001, h.button(card, "申请延期"));
    expect(h.texts().at(-1)).toBe("请简要说明申请延期的理由及预计完成时间。");
    await h.send(1001, "检测设备未到货，预计11月底完成");
    expect(h.texts().at(-1)).toContain("延期申请已提交");
    expect(await h.f.db.extensionRequest.findFirstOrThrow()).toMatchObject({ roundId: reminder.roundId, reason: "检测设备未到货，预计11月底完成", state: "pending" });
  });

  it("typing 申请延期 in reply to a reminder asks the reason for that item, then files the request", async () => {
    const reminder = await h.remind({ contactId: liaison, task: "6", unit: "市场监督管理局", progress: false });
    h.drain();
    await h.send(1001, "申请延期", { replyTo: Number(reminder.chatMessageId) });
    const asked = h.texts().at(-1)!;
    expect(asked).toContain("任务6");
    expect(asked).toContain("请简要说明申请延期的理由");
    expect(await h.f.db.statusUpdate.count()).toBe(0);
    await h.send(1001, "人员不足，需延后两周");
    expect(h.texts().at(-1)).toContain("延期申请已提交");
    expect(await h.f.db.extensionRequest.findFirstOrThrow()).toMatchObject({ roundId: reminder.roundId, reason: "人员不足，需延后两周" });
    expect(await h.f.db.statusUpdate.count()).toBe(0);
  });

  it("typing 申请延期 with a reason, not in reply: the owed items are listed and the one picked is filed with that reason", async () => {
    await h.send(1001, "申请延期，因检测设备未到货");
    const list = h.lastMessage();
    expect(list?.payload.text).toBe("请选择要申请延期的事项：");
    const items = h.buttonsOf(list);
    expect(items.length).toBeGreaterThan(1);
    expect(await h.f.db.statusUpdate.count()).toBe(0);
    await h.tap(1001, items[0]!.callback_data);
    expect(h.texts().at(-1)).toContain("延期申请已提交");
    expect(await h.f.db.extensionRequest.findFirstOrThrow()).toMatchObject({ reason: "因检测设备未到货", state: "pending" });
  });

  it("/help mentions 申请延期", async () => {
    await h.send(1001, "/help");
    expect(h.texts().at(-1)).toContain("申请延期");
  });

  it("有困难 on an item still owed: the text offers 申请延期 and the button is there", async () => {
    await h.remind({ contactId: liaison, task: "6", unit: "市场监督管理局", progress: false });
    await h.tap(1001, h.button(h.lastMessage(), "有困难"));
    const answer = h.lastMessage();
    expect(answer?.payload.text).toContain("如需延期，可点“申请延期”");
    expect(h.buttonsOf(answer).map((b) => b.text)).toEqual(["申请延期", "完成报送"]);
  });

  it("有困难 answering a progress round: 申请延期 is offered only with its button", async () => {
    await h.remind({ contactId: liaison, task: "8", unit: "市场监督管理局" });
    await h.tap(1001, h.button(h.lastMessage(), "有困难"));
    const answer = h.lastMessage();
    const offered = String(answer?.payload.text).includes("申请延期");
    expect(h.buttonsOf(answer).some((b) => b.text === "申请延期")).toBe(offered);
    if (offered) {
      await h.tap(1001, h.button(answer, "申请延期"));
      expect(h.texts().at(-1)).toBe("请简要说明申请延期的理由及预计完成时间。");
    }
  });

  it("in English: help, the reminder's button and a typed request", async () => {
    await h.f.db.contact.update({ where: { id: liaison }, data: { language: "en" } });
    await h.send(1001, "/help");
    expect(h.texts().at(-1)).toContain("Ask for extension");
    const reminder = await h.remind({ contactId: liaison, task: "6", unit: "市场监督管理局", progress: false });
    expect(h.buttonsOf(h.lastMessage()).map((b) => b.text)).toContain("Ask for extension");
    h.drain();
    await h.send(1001, "request extension: supplier delay", { replyTo: Number(reminder.chatMessageId) });
    expect(h.texts().at(-1)).toContain("Your extension request has been sent");
    expect(await h.f.db.extensionRequest.findFirstOrThrow()).toMatchObject({ roundId: reminder.roundId, reason: "supplier delay" });
  });
  it("a photo sent when the reason is asked is filed with that task; no request is sent without words", async () => {
    const reminder = await h.remind({ contactId: liaison, task: "8", unit: "市场监督管理局" });
    await h.tap(1001, h.button(h.lastMessage(), "申请延期"));
    h.drain();
    await h.sendFile(1001, { photo: true });
    const question = h.lastMessage();
    const [kept, ask] = h.texts();
    expect(kept).toContain("本次未提交延期申请");
    expect(ask).toContain("请问这项工作目前的状态是？");
    await h.send(1001, "/help");
    expect(h.texts().at(-1)).toContain("您发送的 1 个附件尚未记录");
    await h.tap(1001, h.button(question, "有困难"));
    const update = await h.f.db.statusUpdate.findFirstOrThrow({ include: { attachments: true } });
    expect(update).toMatchObject({ taskId: await h.f.taskId("8"), roundId: reminder.roundId, status: "blocked" });
    expect(update.attachments.map((a) => a.telegramFileId)).toEqual(["PHOTO_LARGE"]);
    expect(await h.f.db.extensionRequest.count()).toBe(0);
  });
});
