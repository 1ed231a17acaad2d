import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURE_NOW, liaisonFixture, type LiaisonFixture } from "../testing/liaison-fixture.ts";
import { converse, tapCard, type ChannelFile, type Liaison } from "./liaison-conversation.ts";

/**
 * Files are never dropped by the text channels' conversation (企业微信, 钉钉, 飞书 share it): a file
 * waiting for its task or status joins whatever the liaison sends next, through `converse` on a
 * temporary SQLite database.
 */
describe("a waiting file in the channels' conversation (converse, temporary SQLite)", () => {
  let f: LiaisonFixture;
  let task8: number;
  let people = 0;
  const photo = (name: string): ChannelFile => ({ kind: "photo", ref: `wecom:${name}`, fileName: name, mimeType: "image/png", content: new Uint8Array([1, 2, 3]) });

  /** A new liaison of 市场监督管理局 on 企业微信, and what they say. */
  const liaison = async () => {
    const externalId = `liaison-${++people}`;
    const contactId = await f.addContact({ unit: "市场监督管理局", name: externalId });
    await f.db.contactChannel.create({ data: { contactId, channel: "wecom", externalId, createdAt: FIXTURE_NOW } });
    const who: Liaison = { channel: "wecom", externalId, contactId, now: FIXTURE_NOW };
    return {
      contactId,
      say: (text: string) => converse(f.db, who, { text }),
      send: (file: ChannelFile, caption = "") => converse(f.db, who, { text: caption, file }),
      tap: (action: Parameters<typeof tapCard>[2]) => tapCard(f.db, who, action),
    };
  };
  const numberOf = (list: string, needle: string) => /^(\d+)\./.exec(list.split("\n").find((l) => l.includes(needle))!)![1]!;
  const updateOf = (contactId: number) => f.db.statusUpdate.findFirstOrThrow({ where: { contactId }, include: { attachments: { orderBy: { id: "asc" } }, round: true } });

  beforeAll(async () => {
    f = await liaisonFixture();
    task8 = await f.taskId("8");
  });
  afterAll(async () => {
    await f.cleanup();
  });

  it("“完成80%”, a number not in the list, “收到” and a photo captioned “好的” while a photo waits: both photos are filed with the 80%", async () => {
    const l = await liaison();
    expect(await l.send(photo("现场1.png"))).toContain("请问您报送的是哪项任务？请回复序号：");
    const list = await l.say("完成80%");
    expect(list).toContain("请问您报送的是哪项任务？请回复序号：");
    expect(await l.say("99")).toMatch(/^请回复列表中的序号（1–\d+）。\n\n您发送的 1 个附件尚未记录/);
    const again = await l.say("收到");
    expect(again.split("\n")[0]).toBe("您发送的 1 个附件尚未记录，仍为您保留，回答后将一并记录。");
    expect(again).toContain("请问您报送的是哪项任务？请回复序号：");
    expect(await l.send(photo("现场2.png"), "好的")).toContain("请问您报送的是哪项任务？请回复序号：");
    expect(await f.db.attachment.count({ where: { statusUpdate: { contactId: l.contactId } } })).toBe(0);
    const reply = await l.say(numberOf(list, "任务8“"));
    expect(reply).toContain("已记录：任务8");
    expect(reply).toContain("进度：80%");
    const update = await updateOf(l.contactId);
    expect(update).toMatchObject({ taskId: task8, status: "in_progress", progress: 80, note: "好的", source: "wecom-text" });
    expect(update.attachments.map((a) => a.telegramFileId)).toEqual(["wecom:现场1.png", "wecom:现场2.png"]);
  });

  it("a status tapped on a reminder card while a photo waits files it under that reminder's task; 稍后提醒 leaves it waiting", async () => {
    const l = await liaison();
    const { roundId } = await f.round({ task: "8", unit: "市场监督管理局", periodKey: "2026Q3", progress: true });
    const unitId = await f.unitId("市场监督管理局");
    const reminder = await f.db.reminder.create({
      data: { key: `test:${l.contactId}`, kind: "progress", roundId, unitId, contactId: l.contactId, rung: "due", dueAt: FIXTURE_NOW, text: "请报送", state: "sent", nextAttemptAt: FIXTURE_NOW, sentAt: FIXTURE_NOW },
    });
    expect(await l.send(photo("现场.png"), "三季度")).toContain("请问您报送的是哪项任务？请回复序号：");
    const later = await l.tap({ type: "snooze", reminderId: reminder.id });
    expect(later.outcome.kind).toBe("snoozed");
    expect(later.text).toContain("您发送的 1 个附件尚未记录，仍为您保留，回答后将一并记录。");
    expect(await f.db.statusUpdate.count({ where: { contactId: l.contactId } })).toBe(0);
    const done = await l.tap({ type: "status", reminderId: reminder.id, status: "done" });
    expect(done.outcome.kind).toBe("recorded");
    const update = await updateOf(l.contactId);
    expect(update).toMatchObject({ taskId: task8, roundId, status: "done", note: "三季度", source: "wecom-button" });
    expect(update.attachments.map((a) => a.telegramFileId)).toEqual(["wecom:现场.png"]);
  });

  it("a photo captioned “收到” is kept; 帮助 and 完成报送 while its status is asked keep it; “已完成” files it", async () => {
    const l = await liaison();
    const list = await l.send(photo("台账.png"), "收到");
    expect(list).toContain("请问您报送的是哪项任务？请回复序号：");
    expect(await l.say(numberOf(list, "任务8“"))).toContain("请问这项工作目前的状态是？");
    const help = await l.say("帮助");
    expect(help).toContain("任务 — 查看本单位任务");
    expect(help).toContain("您发送的 1 个附件尚未记录");
    const asked = await l.say("完成报送");
    expect(asked).toContain("您发送的 1 个附件尚未记录");
    expect(asked).toContain("请问这项工作目前的状态是？");
    expect(await l.say("已完成")).toContain("已记录：任务8");
    const update = await updateOf(l.contactId);
    expect(update).toMatchObject({ taskId: task8, status: "done", note: "收到" });
    expect(update.attachments.map((a) => a.telegramFileId)).toEqual(["wecom:台账.png"]);
  });

  it("an indicator value sent instead of the status files the waiting photo with it", async () => {
    const l = await liaison();
    const list = await l.send(photo("检定.png"));
    await l.say(numberOf(list, "任务8“"));
    expect(await l.say("受检率96.5%")).toContain("附件：检定.png");
    const update = await updateOf(l.contactId);
    expect(update.taskId).toBe(task8);
    expect(update.attachments.map((a) => a.telegramFileId)).toEqual(["wecom:检定.png"]);
  });

  it("a photo sent when the reason for an extension is asked is filed with that task; no request without words", async () => {
    const l = await liaison();
    const owed = await l.say("申请延期");
    expect(owed).toContain("请问要为哪一项申请延期？请回复序号：");
    // Task 8 is reported by now (the tests above): task 7's third quarter is still owed.
    const line = owed.split("\n").find((x) => x.includes("任务7") && x.includes("第三季度"))!;
    expect(await l.say(/^(\d+)\./.exec(line)![1]!)).toContain("请简要说明延期理由");
    const reply = await l.send(photo("设备.png"));
    expect(reply).toContain("本次未提交延期申请");
    expect(reply).toContain("请问这项工作目前的状态是？");
    await l.say("有困难");
    const update = await updateOf(l.contactId);
    expect(update).toMatchObject({ taskId: await f.taskId("7"), status: "blocked", round: { periodKey: "2026Q3" } });
    expect(update.attachments.map((a) => a.telegramFileId)).toEqual(["wecom:设备.png"]);
    expect(await f.db.extensionRequest.count({ where: { contactId: l.contactId } })).toBe(0);
  });
});
