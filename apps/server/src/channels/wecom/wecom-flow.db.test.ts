import { randomBytes } from "node:crypto";
import { serve } from "@hono/node-server";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInvite } from "@duban/core/invites/create-invite";
import { RecordingMessenger, routeByChannel } from "@duban/core/channels/messenger";
import { runSchedulerPass } from "@duban/core/reminders/run-scheduler-pass";
import { taskDetail } from "@duban/core/board/task-detail";
import { listUnits } from "@duban/core/units/units";
import { FIXTURE_NOW, liaisonFixture, type LiaisonFixture } from "@duban/core/testing/liaison-fixture";
import { createServerApp } from "../../app.ts";
import { WecomApi } from "./api.ts";
import { WecomMessenger } from "./messenger.ts";
import { WecomEmulator } from "./testing/wecom-emulator.ts";

const CONFIG = { corpId: "wwflow0000000001", agentId: 1000003, secret: "flow-secret", token: "FlowToken", aesKey: randomBytes(32).toString("base64").slice(0, 43) };

/**
 * The liaison flow over HTTP, as in Telegram's end-to-end test: invite → 绑定 in 企业微信 →
 * the real scheduler pass → a card → 推进中 → 60 → recorded and on the task's page; beside a
 * Telegram liaison of another unit, whose reminder goes to Telegram (a recording messenger here).
 */
describe("the 企业微信 liaison flow against the local API emulator (temporary SQLite)", () => {
  let f: LiaisonFixture;
  let emulator: WecomEmulator;
  let server: ReturnType<typeof serve>;
  let callbackUrl: string;
  let messenger: WecomMessenger;
  let task8: number;
  let task6: number;
  const telegram = new RecordingMessenger();

  beforeAll(async () => {
    f = await liaisonFixture();
    task8 = await f.taskId("8");
    task6 = await f.taskId("6");
    // Two deadlines keep the conversation readable, as in the Telegram test.
    await f.db.deadline.updateMany({
      where: { NOT: [{ taskId: task8, cycle: { key: "progress" } }, { taskId: task6, cycle: { key: { startsWith: "task-" } }, kind: "quarterly" }] },
      data: { active: false },
    });
    emulator = new WecomEmulator({ ...CONFIG, members: ["wangfang", "someone-else"] });
    await emulator.start();
    messenger = new WecomMessenger(new WecomApi({ corpId: CONFIG.corpId, agentId: CONFIG.agentId, secret: CONFIG.secret, apiRoot: emulator.url }));
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

  it("绑定 with the office's invitation binds the member; the code works once", async () => {
    const invite = await createInvite(f.db, { unitName: "市场监督管理局", botUsername: "DubanBot", now: FIXTURE_NOW, name: "王芳" });
    await emulator.text(callbackUrl, "wangfang", `绑定 ${invite.token}`);
    expect(emulator.sent.at(-1)?.text?.content).toBe("已绑定为「市场监督管理局」的联络员。督办提醒将发送到这里。");
    const bound = await f.db.contactChannel.findUniqueOrThrow({ where: { channel_externalId: { channel: "wecom", externalId: "wangfang" } }, include: { contact: { include: { unit: true } } } });
    expect(bound.contact).toMatchObject({ name: "王芳", role: "liaison", telegramUserId: null, unit: { name: "市场监督管理局" } });

    // The office sees the liaison as reachable, on 企业微信.
    const unit = (await listUnits(f.db, FIXTURE_NOW)).find((u) => u.name === "市场监督管理局")!;
    expect(unit.contacts.find((c) => c.id === bound.contactId)).toMatchObject({ reachability: "ok", channels: ["wecom"] });

    await emulator.text(callbackUrl, "someone-else", `绑定 ${invite.token}`);
    expect(emulator.sent.at(-1)?.text?.content).toContain("邀请无效、已使用或已过期");
    expect(await f.db.contactChannel.count({ where: { channel: "wecom" } })).toBe(1);
  });

  it("scheduler pass → a card in 企业微信 (and Telegram's reminder to Telegram) → 推进中 → 60 → recorded and on the task's page", async () => {
    await f.addContact({ unit: "环保局", telegramUserId: "2001" });
    const cardsBefore = emulator.sent.length;
    const pass = await runSchedulerPass({ db: f.db, messenger: routeByChannel({ wecom: messenger, telegram }), now: FIXTURE_NOW });
    // Tasks 8 and 6 for 市场监督管理局 in 企业微信; task 6 for 环保局 in Telegram.
    expect(pass.dispatch).toMatchObject({ sent: 3, failed: 0, retrying: 0 });
    const cards = emulator.sent.slice(cardsBefore);
    expect(cards.map((m) => m.touser)).toEqual(["wangfang", "wangfang"]);
    expect(telegram.sent.map((m) => [m.channel, m.chatId])).toEqual([["telegram", "2001"]]);

    const card8 = cards.find((m) => m.template_card?.sub_title_text?.includes("任务8"))!;
    expect(card8.template_card?.button_list.map((b) => b.text)).toEqual(["已完成", "推进中", "有困难", "申请延期", "稍后提醒"]);
    await emulator.tap(callbackUrl, card8, "推进中");
    expect(emulator.updates.at(-1)?.button?.replace_name).toBe("已记录：推进中");
    await emulator.text(callbackUrl, "wangfang", "60");
    expect(emulator.sent.at(-1)?.text?.content).toContain("60%");

    const stored = await f.db.statusUpdate.findFirstOrThrow({ where: { taskId: task8 }, include: { round: true } });
    expect(stored).toMatchObject({ status: "in_progress", progress: 60, source: "wecom-button", round: { periodKey: "2026Q3" } });
    const submission = await f.db.submission.findFirstOrThrow({ where: { roundId: stored.roundId!, unitId: stored.unitId } });
    expect(submission.acknowledgedAt).not.toBeNull();
    const detail = await taskDetail(f.db, task8, FIXTURE_NOW);
    expect(detail.history[0]).toMatchObject({ status: "in_progress", progress: 60, periodKey: "2026Q3", unit: { name: "市场监督管理局" } });
  });
});
