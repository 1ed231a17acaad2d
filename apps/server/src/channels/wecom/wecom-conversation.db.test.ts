import { randomBytes } from "node:crypto";
import { serve } from "@hono/node-server";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findAttachmentDownload } from "@duban/core/submissions/attachments";
import { CHANNEL_FILE_MAX_BYTES } from "@duban/core/channels/liaison-conversation";
import { importPlan } from "@duban/core/plans/import-plan";
import { BUSINESS_PLAN_TEXT } from "@duban/core/testing/extra-plans";
import { at, FIXTURE_NOW, liaisonFixture, type LiaisonFixture } from "@duban/core/testing/liaison-fixture";
import { createServerApp } from "../../app.ts";
import { WecomApi } from "./api.ts";
import { WecomMessenger } from "./messenger.ts";
import { WecomEmulator } from "./testing/wecom-emulator.ts";

const CONFIG = { corpId: "wwconv0000000001", agentId: 1000004, secret: "conv-secret", token: "ConvToken", aesKey: randomBytes(32).toString("base64").slice(0, 43) };

/**
 * The rest of the liaison's conversation in 企业微信, over HTTP against the API emulator, through
 * core's liaison-conversation (the same flows every text channel gets): 帮助, 任务 grouped by plan,
 * free text read by the domain's reply parser, a picture fetched by MediaId and kept with the
 * report, a file over the limit refused, a number to choose the task, 申请延期 with its reason,
 * and English.
 */
describe("the 企业微信 liaison conversation against the local API emulator (temporary SQLite)", () => {
  let f: LiaisonFixture;
  let emulator: WecomEmulator;
  let server: ReturnType<typeof serve>;
  let callbackUrl: string;
  let task8: number;
  let task6: number;
  let contactId: number;
  const said = () => emulator.sent.at(-1)?.text?.content ?? "";
  const send = async (content: string) => {
    expect((await emulator.text(callbackUrl, "wangfang", content)).status).toBe(200);
    return said();
  };

  beforeAll(async () => {
    f = await liaisonFixture();
    task8 = await f.taskId("8");
    task6 = await f.taskId("6");
    // Task 8's progress round and task 6's quarterly report stay owed; a second plan gives 任务 its groups.
    await f.db.deadline.updateMany({
      where: { NOT: [{ taskId: task8, cycle: { key: "progress" } }, { taskId: task6, cycle: { key: { startsWith: "task-" } }, kind: "quarterly" }] },
      data: { active: false },
    });
    await importPlan(f.db, BUSINESS_PLAN_TEXT, at("2026-07-02", "08:00"));
    contactId = await f.addContact({ unit: "市场监督管理局", name: "王芳" });
    await f.db.contactChannel.create({ data: { contactId, channel: "wecom", externalId: "wangfang", createdAt: FIXTURE_NOW } });
    emulator = new WecomEmulator({ ...CONFIG, members: ["wangfang"] });
    await emulator.start();
    const messenger = new WecomMessenger(new WecomApi({ corpId: CONFIG.corpId, agentId: CONFIG.agentId, secret: CONFIG.secret, apiRoot: emulator.url }));
    const app = createServerApp({
      db: f.db,
      now: () => FIXTURE_NOW,
      log: pino({ level: "silent" }),
      consoleDist: "/nonexistent",
      wecom: { config: { corpId: CONFIG.corpId, token: CONFIG.token, aesKey: CONFIG.aesKey }, messenger },
    });
    const port = await new Promise<number>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => resolve(info.port));
    });
    callbackUrl = `http://127.0.0.1:${port}/wecom/callback`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await emulator.stop();
    await f.cleanup();
  });

  it("帮助 explains; 任务 lists the unit's tasks grouped under each plan's short title", async () => {
    const help = await send("帮助");
    expect(help).toContain("任务 — 查看本单位任务");
    expect(help).toContain("申请延期");

    const list = await send("我的任务");
    expect(list).toMatch(/^“市场监督管理局”的任务（共 \d+ 项）：/);
    const headings = list.split("\n").filter((line) => line.startsWith("📁"));
    expect(headings).toHaveLength(2);
    expect(headings[1]).toContain("营商环境");
    // Task 8 is listed under the first plan, with its role and next due date.
    const planOf = (needle: string) => list.slice(0, list.indexOf(needle)).split("\n").filter((line) => line.startsWith("📁")).length;
    expect(planOf("任务8“")).toBe(1);
    expect(list).toMatch(/任务8“建立和夯实城市计量基础”（牵头）\n\s+尚未报送 · (下一截止|已逾期)/);
  });

  it("an indicator value names its task and is recorded; a picture sent next is kept with that report", async () => {
    const reply = await send("受检率96.5%");
    expect(reply).toContain("已记录：任务8“建立和夯实城市计量基础”");
    const update = await f.db.statusUpdate.findFirstOrThrow({ where: { taskId: task8, contactId }, include: { values: { include: { indicator: true } } } });
    expect(update.source).toBe("wecom-text");
    expect(update.values.map((v) => [v.indicator.name, v.value])).toEqual([[expect.stringContaining("受检率"), 96.5]]);

    const png = randomBytes(2048);
    const mediaId = emulator.addMedia(png, "image/png", "现场照片.png");
    await emulator.media(callbackUrl, "wangfang", "image", mediaId);
    expect(said()).toContain("已补充记录");
    expect(said()).toContain("附件：现场照片.png");
    expect(emulator.calls).toContain("/cgi-bin/media/get");
    const [attachment] = await f.db.attachment.findMany({ where: { statusUpdateId: update.id } });
    expect(attachment).toMatchObject({ kind: "photo", telegramFileId: `wecom:${mediaId}`, mimeType: "image/png", size: 2048 });
    // The console's download reads the stored bytes: 企业微信 forgets the MediaId after 3 days.
    const download = await findAttachmentDownload(f.db, attachment!.id);
    expect(Buffer.from(download!.content!).equals(png)).toBe(true);

    expect(await send("完成报送")).toContain("本次报送已完成");
    // Said again with nothing open, it records nothing (not 已完成 on some task).
    const updates = await f.db.statusUpdate.count();
    expect(await send("完成报送")).toContain("收到，谢谢");
    expect(await f.db.statusUpdate.count()).toBe(updates);
  });

  it("a file over the limit, or one 企业微信 no longer has, is refused with a clear reply and nothing is stored", async () => {
    const before = await f.db.attachment.count();
    const big = emulator.addMedia(new Uint8Array(CHANNEL_FILE_MAX_BYTES + 1), "application/pdf", "报告.pdf");
    await emulator.media(callbackUrl, "wangfang", "file", big, "报告.pdf");
    expect(said()).toContain("超过 10 MB");
    await emulator.media(callbackUrl, "wangfang", "image", "media-unknown");
    expect(said()).toContain("未能取回");
    expect(await f.db.attachment.count()).toBe(before);
  });

  it("free text without a named task asks for it by number; the number files it", async () => {
    expect(await send("60")).toContain("请说明“60”指的是什么");
    const question = await send("完成80%");
    expect(question).toContain("请问您报送的是哪项任务？请回复序号：");
    const line = question.split("\n").find((l) => l.includes("任务6“"))!;
    const number = /^(\d+)\./.exec(line)![1]!;
    const reply = await send(number);
    expect(reply).toContain("已记录：任务6");
    expect(reply).toContain("进度：80%");
    const update = await f.db.statusUpdate.findFirstOrThrow({ where: { taskId: task6, contactId } });
    expect(update).toMatchObject({ progress: 80, source: "wecom-text" });
    expect(await send("完成报送")).toContain("本次报送已完成");
  });

  it("申请延期 with its reason: the liaison picks which owed item by number, the request goes to the office", async () => {
    const question = await send("申请延期，检测设备尚未到货");
    expect(question).toContain("请问要为哪一项申请延期？请回复序号：");
    const owed = question.split("\n").slice(1);
    expect(owed.length).toBeGreaterThan(1);
    const number = /^(\d+)\./.exec(owed.find((l) => l.includes("任务6") && l.includes("第三季度"))!)![1]!;
    expect(await send(number)).toContain("延期申请已提交");
    const request = await f.db.extensionRequest.findFirstOrThrow({ where: { contactId }, include: { round: { include: { deadline: true } } } });
    expect(request).toMatchObject({ reason: "检测设备尚未到货", state: "pending", round: { periodKey: "2026Q3", deadline: { taskId: task6 } } });
  });

  it("English switches the contact's language; replies follow it", async () => {
    expect(await send("English")).toBe("Language set to English.");
    expect((await f.db.contact.findUniqueOrThrow({ where: { id: contactId } })).language).toBe("en");
    expect(await send("tasks")).toMatch(/^Tasks of 市场监督管理局 \(\d+\):/);
    expect(await send("中文")).toBe("已切换为中文。");
  });
});
