import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { at } from "@duban/core/testing/liaison-fixture";
import { botHarness, type BotHarness } from "../../test/harness.ts";

describe("reminder buttons and the follow-up (handleUpdate, temporary SQLite)", () => {
  let h: BotHarness;
  let liaison: number;
  beforeEach(async () => {
    h = await botHarness();
    liaison = await h.join(1001, "市场监督管理局", "liaison", "李娜");
  });
  afterEach(async () => {
    await h.cleanup();
  });

  it("a reminder arrives with 已完成 · 推进中 · 有困难 · 稍后提醒", async () => {
    const reminder = await h.remind({ contactId: liaison, task: "8", unit: "市场监督管理局" });
    const sent = h.lastMessage();
    expect(sent?.payload.chat_id).toBe("1001");
    expect(h.buttonsOf(sent).map((b) => b.text)).toEqual(["已完成", "推进中", "有困难", "稍后提醒", "申请延期"]);
    expect(reminder).toMatchObject({ state: "sent", chatMessageId: expect.stringMatching(/^\d+$/) });
  });

  it("推进中 → 60 → a note → 完成报送: recorded at once, confirmed exactly, amended, acknowledged", async () => {
    const reminder = await h.remind({ contactId: liaison, task: "8", unit: "市场监督管理局" });
    const card = h.lastMessage();
    h.drain();

    await h.tap(1001, h.button(card, "推进中"));
    const tapped = h.drain();
    expect(tapped.find((c) => c.method === "answerCallbackQuery")?.payload.text).toBe("已记录");
    const confirmation = tapped.find((c) => c.method === "sendMessage")!;
    expect(confirmation.payload.text).toContain("已记录：任务8“建立和夯实城市计量基础”（季度进度 · 2026年第三季度）");
    expect(confirmation.payload.text).toContain("状态：推进中");
    expect(confirmation.payload.text).toContain("本期已报送，感谢您的配合。");
    expect(confirmation.payload.text).toContain("请回复目前的完成进度");
    expect(h.buttonsOf(confirmation).map((b) => b.text)).toEqual(["跳过"]);

    const update = await h.f.db.statusUpdate.findFirstOrThrow({ where: { contactId: liaison } });
    expect(update).toMatchObject({ status: "in_progress", progress: null, reminderId: reminder.id, roundId: reminder.roundId, source: "telegram-button" });
    const submission = await h.f.db.submission.findFirstOrThrow({ where: { roundId: reminder.roundId!, unitId: reminder.unitId } });
    expect(submission.acknowledgedAt).toEqual(h.now);
    expect(submission.submittedAt).toEqual(h.now);

    await h.send(1001, "60");
    const progress = h.texts()[0]!;
    expect(progress).toContain("已补充记录：\n进度：60%");
    expect(progress).toContain("如需补充指标数值、情况说明");

    await h.send(1001, "已完成现场检查3次，发现问题已督促整改");
    expect(h.texts()[0]).toContain("情况说明：已完成现场检查3次，发现问题已督促整改");

    await h.tap(1001, h.button(h.lastMessage(), "完成报送"));
    expect(h.texts()[0]).toBe("好的，本次报送已完成，感谢您的配合！");

    expect(await h.f.db.statusUpdate.findUniqueOrThrow({ where: { id: update.id } })).toMatchObject({
      status: "in_progress",
      progress: 60,
      note: "已完成现场检查3次，发现问题已督促整改",
    });
    expect(await h.f.db.statusUpdate.count()).toBe(1);
    // The follow-up is over: a number now is read on its own and asked about.
    await h.send(1001, "70");
    expect(h.texts()[0]).toContain("请说明“70”指的是什么");
  });

  it("跳过 the progress, then a photo and a document are stored with file id and name", async () => {
    await h.remind({ contactId: liaison, task: "8", unit: "市场监督管理局" });
    await h.tap(1001, h.button(h.lastMessage(), "推进中"));
    await h.tap(1001, h.button(h.lastMessage(), "跳过"));
    expect(h.texts().at(-1)).toContain("好的，已跳过进度。");
    await h.sendFile(1001, { photo: true, caption: "现场照片" });
    expect(h.texts()[0]).toContain("附件：照片");
    await h.sendFile(1001, { name: "计量检查记录.pdf" });
    expect(h.texts()[0]).toContain("附件：计量检查记录.pdf");
    const attachments = await h.f.db.attachment.findMany({ orderBy: { id: "asc" } });
    expect(attachments).toMatchObject([
      { kind: "photo", telegramFileId: "PHOTO_LARGE", fileName: null, size: 120000 },
      { kind: "document", telegramFileId: "DOC_1", fileName: "计量检查记录.pdf", mimeType: "application/pdf" },
    ]);
    expect((await h.f.db.statusUpdate.findFirstOrThrow()).note).toBe("现场照片");
  });

  it("a progress reply before the quarter's collection opens is recorded, and the liaison is told when it will count", async () => {
    await h.remind({ contactId: liaison, task: "8", unit: "市场监督管理局", periodKey: "2026Q4" });
    await h.tap(1001, h.button(h.lastMessage(), "推进中"));
    const text = h.texts().at(-1)!;
    expect(text).toContain("状态：推进中");
    expect(text).toContain("本期进度将于 12月29日 起正式收集，届时请再报送一次");
    expect(text).not.toContain("已完成”后方视为报送");
    // Finishing does not call it a completed report either.
    await h.tap(1001, h.button(h.lastMessage(), "跳过"));
    await h.tap(1001, h.button(h.lastMessage(), "完成报送"));
    expect(h.texts().at(-1)).toBe("好的，以上情况已记录，感谢您的配合！");
  });

  it("已完成 records 100% and offers details without asking for progress", async () => {
    await h.remind({ contactId: liaison, task: "8", unit: "市场监督管理局" });
    await h.tap(1001, h.button(h.lastMessage(), "已完成"));
    const text = h.texts().at(-1)!;
    expect(text).toContain("状态：已完成\n进度：100%");
    expect(text).toContain("无需补充请点“完成报送”");
  });

  it("稍后提醒 snoozes to the next working morning and acknowledges", async () => {
    const reminder = await h.remind({ contactId: liaison, task: "8", unit: "市场监督管理局" });
    await h.tap(1001, h.button(h.lastMessage(), "稍后提醒"));
    expect(h.texts().at(-1)).toBe("好的，将于 10月13日 09:00 再次提醒您。");
    const submission = await h.f.db.submission.findFirstOrThrow({ where: { roundId: reminder.roundId!, unitId: reminder.unitId } });
    expect(submission.snoozedUntil).toEqual(at("2026-10-13", "09:00"));
    expect(submission.acknowledgedAt).toEqual(h.now);
    expect(submission.submittedAt).toBeNull();
  });

  it("稍后提醒 lands at the start of the configured working hours (WORKING_HOURS=08:00-12:00)", async () => {
    const mornings = await botHarness({ workingHours: { start: "08:00", end: "12:00" } });
    try {
      const contact = await mornings.join(1001, "市场监督管理局", "liaison", "李娜");
      mornings.setNow(at("2026-10-16", "13:00"));
      const reminder = await mornings.remind({ contactId: contact, task: "8", unit: "市场监督管理局" });
      await mornings.tap(1001, mornings.button(mornings.lastMessage(), "稍后提醒"));
      // Friday 13:00 is after hours: the next working morning is Monday at 08:00.
      expect(mornings.texts().at(-1)).toBe("好的，将于 10月19日 08:00 再次提醒您。");
      const submission = await mornings.f.db.submission.findFirstOrThrow({ where: { roundId: reminder.roundId!, unitId: reminder.unitId } });
      expect(submission.snoozedUntil).toEqual(at("2026-10-19", "08:00"));
    } finally {
      await mornings.cleanup();
    }
  });

  it("稍后提醒 after the unit has submitted promises nothing: there is nothing left to remind of", async () => {
    const reminder = await h.remind({ contactId: liaison, task: "8", unit: "市场监督管理局" });
    const card = h.lastMessage();
    await h.tap(1001, h.button(card, "已完成"));
    h.drain();
    await h.tap(1001, h.button(card, "稍后提醒"));
    expect(h.texts().at(-1)).toBe("本期已报送，不会再就此事提醒您。");
    const submission = await h.f.db.submission.findFirstOrThrow({ where: { roundId: reminder.roundId!, unitId: reminder.unitId } });
    expect(submission.snoozedUntil).toBeNull();
    expect(submission.submittedAt).not.toBeNull();
  });

  it("有困难 on a deliverable round: 申请延期 with a reason goes to the office's queue", async () => {
    const reminder = await h.remind({ contactId: liaison, task: "6", unit: "市场监督管理局", progress: false });
    await h.tap(1001, h.button(h.lastMessage(), "有困难"));
    const card = h.lastMessage();
    expect(card?.payload.text).toContain("该事项需“已完成”后方视为报送");
    expect(card?.payload.text).toContain("请简要说明遇到的困难");
    await h.send(1001, "缺少专业分析人员，需统计局协助提供数据");
    await h.tap(1001, h.button(h.lastMessage(), "申请延期"));
    expect(h.texts().at(-1)).toBe("请简要说明申请延期的理由及预计完成时间。");
    await h.send(1001, "数据尚未汇总，预计10月30日前完成");
    expect(h.texts()[0]).toMatch(/^延期申请已提交，办公室审核后会通知您。审核前，原定截止时间（10月\d+日）保持不变。$/);
    const request = await h.f.db.extensionRequest.findFirstOrThrow();
    expect(request).toMatchObject({ roundId: reminder.roundId, contactId: liaison, state: "pending", reason: "数据尚未汇总，预计10月30日前完成" });
    const update = await h.f.db.statusUpdate.findFirstOrThrow();
    expect(update).toMatchObject({ status: "blocked", note: "缺少专业分析人员，需统计局协助提供数据" });
  });

  it("forged, tampered and foreign buttons do nothing but say so", async () => {
    const other = await h.join(2001, "环保局");
    const reminder = await h.remind({ contactId: liaison, task: "8", unit: "市场监督管理局" });
    const genuine = h.button(h.lastMessage(), "已完成");
    h.drain();
    await h.tap(1001, "st|1|d|r1|AAAAAAAAAA");
    await h.tap(1001, genuine.replace(/\|d\|/, "|b|"));
    await h.tap(1001, "hello");
    await h.tap(2001, genuine);
    // Signed for the other contact but pointing at this unit's reminder.
    await h.tap(2001, h.sign({ action: "status", contactId: other, status: "done", ref: { kind: "reminder", id: reminder.id } }));
    const calls = h.drain();
    const alerts = calls.filter((c) => c.method === "answerCallbackQuery").map((c) => c.payload.text);
    expect(alerts.slice(0, 3)).toEqual(["该按钮无效，未作任何记录。", "该按钮无效，未作任何记录。", "该按钮无效，未作任何记录。"]);
    expect(alerts[3]).toBe("该按钮不属于您，未作任何记录。");
    expect(alerts[4]).toBe("该按钮无效，未作任何记录。");
    expect(calls.filter((c) => c.method === "sendMessage").map((c) => c.payload.text)).toEqual(["该事项不属于本单位，未作记录。"]);
    expect(await h.f.db.statusUpdate.count()).toBe(0);
  });

  it("a unit head gets the escalation with status buttons (no snooze) and answers for the unit", async () => {
    const head = await h.join(1002, "市场监督管理局", "head");
    const reminder = await h.remind({ contactId: head, task: "8", unit: "市场监督管理局", kind: "escalation-head" });
    const card = h.lastMessage();
    expect(h.buttonsOf(card).map((b) => b.text)).toEqual(["已完成", "推进中", "有困难", "申请延期"]);
    await h.tap(1002, h.button(card, "已完成"));
    const submission = await h.f.db.submission.findFirstOrThrow({ where: { roundId: reminder.roundId!, unitId: reminder.unitId } });
    expect(submission.submittedAt).toEqual(h.now);
    expect((await h.f.db.statusUpdate.findFirstOrThrow()).contactId).toBe(head);
  });

  it("a failure while handling is logged and the person is told, not left waiting", async () => {
    await h.remind({ contactId: liaison, task: "8", unit: "市场监督管理局" });
    const card = h.lastMessage();
    await h.f.db.$executeRawUnsafe('DROP TABLE "IndicatorValue"');
    await h.f.db.$executeRawUnsafe('DROP TABLE "Attachment"');
    await h.f.db.$executeRawUnsafe('DROP TABLE "StatusUpdate"');
    h.drain();
    await h.tap(1001, h.button(card, "推进中"));
    expect(h.answers().at(-1)?.payload).toMatchObject({ text: "抱歉，系统暂时出现问题，您的消息未能处理，请稍后再试。", show_alert: true });
  });

  it("a command in the middle of a step ends the step", async () => {
    await h.remind({ contactId: liaison, task: "8", unit: "市场监督管理局" });
    await h.tap(1001, h.button(h.lastMessage(), "推进中"));
    await h.send(1001, "/help");
    h.drain();
    await h.send(1001, "60");
    expect(h.texts()[0]).toContain("请说明“60”指的是什么");
    expect((await h.f.db.statusUpdate.findFirstOrThrow()).progress).toBeNull();
  });

  it("a step survives a restart of the bot: the answer after it is still filed where it belongs", async () => {
    await h.remind({ contactId: liaison, task: "8", unit: "市场监督管理局" });
    await h.tap(1001, h.button(h.lastMessage(), "推进中"));
    expect(await h.f.db.botSession.count()).toBe(1);
    h.restart();
    h.drain();
    await h.send(1001, "60");
    expect(h.texts()[0]).toContain("已补充记录：\n进度：60%");
    expect((await h.f.db.statusUpdate.findFirstOrThrow()).progress).toBe(60);
  });

  it("two updates of one chat arriving at once (webhook) are handled in order", async () => {
    await h.remind({ contactId: liaison, task: "8", unit: "市场监督管理局" });
    const progress = h.button(h.lastMessage(), "推进中");
    h.drain();
    await Promise.all([h.tap(1001, progress), h.send(1001, "60")]);
    expect(h.texts().at(-1)).toContain("已补充记录：\n进度：60%");
    expect(await h.f.db.statusUpdate.findFirstOrThrow()).toMatchObject({ status: "in_progress", progress: 60 });
  });

  it("a step expires after 30 minutes, and a finished step leaves nothing stored", async () => {
    await h.remind({ contactId: liaison, task: "8", unit: "市场监督管理局" });
    await h.tap(1001, h.button(h.lastMessage(), "推进中"));
    h.setNow(new Date(h.now.getTime() + 31 * 60 * 1000));
    h.drain();
    await h.send(1001, "60");
    expect(h.texts()[0]).toContain("请说明“60”指的是什么");
    expect((await h.f.db.statusUpdate.findFirstOrThrow()).progress).toBeNull();

    await h.remind({ contactId: liaison, task: "8", unit: "市场监督管理局", periodKey: "2026Q4" });
    await h.tap(1001, h.button(h.lastMessage(), "已完成"));
    await h.tap(1001, h.button(h.lastMessage(), "完成报送"));
    expect(await h.f.db.botSession.count()).toBe(0);
  });
});
