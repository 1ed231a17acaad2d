/**
 * End to end over HTTP: the real bot (long polling, auto-retry, throttler) against the
 * telegram-test-api emulator on 127.0.0.1, a temporary SQLite database with the seed plan,
 * and the real scheduler pass delivering reminders through the TelegramMessenger.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pino from "pino";
import { createInvite } from "@duban/core/invites/create-invite";
import { runSchedulerPass } from "@duban/core/reminders/run-scheduler-pass";
import { taskDetail } from "@duban/core/board/task-detail";
import { at, FIXTURE_NOW, liaisonFixture, type LiaisonFixture } from "@duban/core/testing/liaison-fixture";
import { urgeRound } from "@duban/core/rounds/urge-round";
import { createBot } from "../src/create-bot.ts";
import { startBot, type RunningBot } from "../src/start-bot.ts";
import { createTelegramMessenger } from "../src/telegram-messenger.ts";
import { startEmulator, type Emulator } from "./emulator.ts";

const TOKEN = "654321:E2E_TEST_TOKEN_abcdefghijklmnop";

describe("the liaison bot over HTTP against a local Bot API emulator", () => {
  let f: LiaisonFixture;
  let api: Emulator;
  let running: RunningBot;
  let bot: ReturnType<typeof createBot>;
  let clock = FIXTURE_NOW;
  let task8: number;
  let task6: number;
  const invite = (unit: string, extra: { name?: string; now?: Date } = {}) =>
    createInvite(f.db, { unitName: unit, botUsername: running.username, now: extra.now ?? clock, ...(extra.name ? { name: extra.name } : {}) });

  beforeAll(async () => {
    f = await liaisonFixture();
    task8 = await f.taskId("8");
    task6 = await f.taskId("6");
    // Keep two deadlines so the chat stays readable: task 8's quarterly progress and task 6's quarterly analysis report.
    await f.db.deadline.updateMany({
      where: { NOT: [{ taskId: task8, cycle: { key: "progress" } }, { taskId: task6, cycle: { key: { startsWith: "task-" } }, kind: "quarterly" }] },
      data: { active: false },
    });
    api = await startEmulator(TOKEN);
    bot = createBot(TOKEN, { db: f.db, log: pino({ level: "silent" }), now: () => clock }, { apiRoot: api.apiRoot });
    running = await startBot(bot, { db: f.db, log: pino({ level: "silent" }) });
  });

  afterAll(async () => {
    await running?.stop();
    await api?.stop();
    await f?.cleanup();
  });

  it("starts although the emulator has no setMyCommands, and polls", async () => {
    expect(running).toMatchObject({ mode: "polling", username: "TestNameBot" });
    expect(api.callsOf("setMyCommands").length).toBeGreaterThan(0);
    for (let i = 0; i < 100 && api.callsOf("getUpdates").length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(api.callsOf("getUpdates").length).toBeGreaterThan(0);
  });

  it("invite → /start <token> → bound to the unit; a stranger is refused", async () => {
    const { token, link } = await invite("市场监督管理局", { name: "李娜" });
    expect(link).toBe(`https://t.me/TestNameBot?start=${token}`);
    const liaison = api.user(1001, "李娜");
    await liaison.say(`/start ${token}`);
    await liaison.expect("李娜，您好！您已登记为“市场监督管理局”的联络员。");
    expect(await f.db.contact.findUniqueOrThrow({ where: { telegramUserId: "1001" }, include: { unit: true } })).toMatchObject({
      role: "liaison",
      telegramChatId: "1001",
      unit: { name: "市场监督管理局" },
    });

    const stranger = api.user(9001);
    await stranger.say("你好，请问任务8的进展");
    const refusal = await stranger.expect("本服务仅供受邀单位的联络人使用");
    expect(refusal.text).not.toMatch(/任务|监督管理局|质量/);
  });

  it("used and expired tokens are refused", async () => {
    const used = await invite("环保局");
    const first = api.user(1101);
    await first.say(`/start ${used.token}`);
    await first.expect("您已登记为“环保局”的联络员");
    const second = api.user(1102);
    await second.say(`/start ${used.token}`);
    await second.expect("该邀请链接无效或已失效");
    const expired = await invite("环保局", { now: new Date(clock.getTime() - 15 * 24 * 3600 * 1000) });
    const third = api.user(1103);
    await third.say(`/start ${expired.token}`);
    await third.expect("该邀请链接无效或已失效");
    expect(await f.db.contact.count({ where: { telegramUserId: { in: ["1102", "1103"] } } })).toBe(0);
  });

  it("scheduler tick → reminder with buttons → 推进中 → 60 → note → recorded, and visible to the office", async () => {
    const liaison = api.user(1001);
    const pass = await runSchedulerPass({ db: f.db, messenger: createTelegramMessenger(bot), now: clock });
    // Task 8 and task 6 for 市场监督管理局; task 6 also for 环保局's liaison who joined above.
    expect(pass.dispatch.sent).toBe(3);
    const reminder = await liaison.expect((m) => m.text.includes("任务8："));
    expect(reminder.text).toContain("【督办提醒】");
    expect(reminder.buttons.map((b) => b.text)).toEqual(["已完成", "推进中", "有困难", "稍后提醒", "申请延期"]);

    await liaison.press(reminder.buttons.find((b) => b.text === "推进中")!.callback_data, reminder.messageId);
    const confirmation = await liaison.expect("已记录：任务8");
    expect(confirmation.text).toContain("状态：推进中");
    expect(confirmation.text).toContain("请回复目前的完成进度");

    await liaison.say("60");
    expect((await liaison.expect("已补充记录")).text).toContain("进度：60%");
    await liaison.say("本季度完成计量器具检定1200台件，正在开展专项检查");
    const noted = await liaison.expect("情况说明：本季度完成计量器具检定1200台件，正在开展专项检查");
    await liaison.press(noted.buttons.find((b) => b.text === "完成报送")!.callback_data, noted.messageId);
    await liaison.expect("好的，本次报送已完成，感谢您的配合！");

    const stored = await f.db.statusUpdate.findFirstOrThrow({ where: { taskId: task8 }, include: { round: true } });
    expect(stored).toMatchObject({ status: "in_progress", progress: 60, note: "本季度完成计量器具检定1200台件，正在开展专项检查", round: { periodKey: "2026Q3" } });
    const submission = await f.db.submission.findFirstOrThrow({ where: { roundId: stored.roundId!, unitId: stored.unitId } });
    expect(submission.submittedAt).not.toBeNull();
    expect(submission.acknowledgedAt).not.toBeNull();
    // What the console's tasks.get procedure returns for the task.
    const detail = await taskDetail(f.db, task8, clock);
    expect(detail.history[0]).toMatchObject({ status: "in_progress", progress: 60, periodKey: "2026Q3", unit: { name: "市场监督管理局" } });
  });

  it("free text “受检率96.5%” is recorded as task 8's indicator value", async () => {
    const liaison = api.user(1001);
    await liaison.say("受检率96.5%");
    const confirmation = await liaison.expect("国家重点管理计量器具受检率：96.5%");
    expect(confirmation.text).toContain("已记录：任务8");
    const value = await f.db.indicatorValue.findFirstOrThrow({ include: { indicator: true, statusUpdate: true } });
    expect(value).toMatchObject({ value: 96.5, indicator: { name: "国家重点管理计量器具受检率", taskId: task8 }, statusUpdate: { source: "telegram-text" } });
    // No status in the message: the unit's last one is kept and said so.
    expect(confirmation.text).toContain("状态：推进中（沿用最近一次报送的状态）");
    // The last known percentage (60% above) is kept, so it is not asked again.
    expect(confirmation.text).toContain("进度：60%");
    await liaison.press(confirmation.buttons.find((b) => b.text === "完成报送")!.callback_data, confirmation.messageId);
    // Filed under the Q4 round, whose collection has not opened: recorded, not a completed report.
    await liaison.expect("好的，以上情况已记录");
  });

  it("a reply to the task 6 reminder is filed under that reminder's round", async () => {
    const liaison = api.user(1001);
    const reminderRow = await f.db.reminder.findFirstOrThrow({ where: { state: "sent", round: { deadline: { taskId: task6 } } }, include: { round: true } });
    const reminder = await liaison.expect((m) => m.messageId === Number(reminderRow.chatMessageId));
    expect(reminder.text).toContain("任务6：开展好质量分析工作");
    await liaison.say("已完成，报告已上报市政府", Number(reminderRow.chatMessageId));
    const confirmation = await liaison.expect("已记录：任务6");
    expect(confirmation.text).toContain("每季度质量分析报告 · 2026年第三季度");
    expect(confirmation.text).toContain("情况说明：报告已上报市政府");
    const stored = await f.db.statusUpdate.findFirstOrThrow({ where: { taskId: task6 } });
    expect(stored).toMatchObject({ roundId: reminderRow.roundId, reminderId: reminderRow.id, status: "done", source: "telegram-reply" });
    const submission = await f.db.submission.findFirstOrThrow({ where: { roundId: reminderRow.roundId!, unitId: reminderRow.unitId } });
    expect(submission.submittedAt).not.toBeNull();
  });

  it("forged callback data is refused and records nothing", async () => {
    const liaison = api.user(1001);
    const before = await f.db.statusUpdate.count();
    const answered = api.callsOf("answerCallbackQuery").length;
    await liaison.press("st|1|d|r1|forgedsig0", 1);
    const deadline = Date.now() + 5000;
    while (api.callsOf("answerCallbackQuery").length === answered && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(api.callsOf("answerCallbackQuery").at(-1)?.body).toMatchObject({ text: "该按钮无效，未作任何记录。", show_alert: true });
    expect(await f.db.statusUpdate.count()).toBe(before);
  });

  it("a 429 is retried after retry_after and the message arrives once", async () => {
    const liaison = api.user(1001);
    await liaison.received();
    clock = at("2026-10-12", "15:00");
    // 催办 of task 6's Q4 analysis report (still owed), to 市场监督管理局 only.
    const q4 = await f.round({ task: "6", unit: "市场监督管理局", periodKey: "2026Q4", progress: false });
    await urgeRound(f.db, { roundId: q4.roundId, unitIds: [await f.unitId("市场监督管理局")], now: clock, actor: { actorType: "user", actorId: 1 } });
    api.failNext("sendMessage", 429, { ok: false, error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } });
    const attempts = api.callsOf("sendMessage").length;
    const started = Date.now();
    const pass = await runSchedulerPass({ db: f.db, messenger: createTelegramMessenger(bot), now: clock });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(pass.dispatch).toMatchObject({ sent: 1, retrying: 0, failed: 0 });
    expect(api.callsOf("sendMessage").length - attempts).toBe(2);
    const urge = await liaison.expect("【催办】");
    expect(urge.buttons.map((b) => b.text)).toEqual(["已完成", "推进中", "有困难", "稍后提醒", "申请延期"]);
    expect((await liaison.received(500)).filter((m) => m.text.includes("【催办】"))).toEqual([]);
  });

  it("a 403 marks the contact unreachable for the office", async () => {
    clock = at("2026-10-12", "15:30");
    const q4 = await f.round({ task: "6", unit: "市场监督管理局", periodKey: "2026Q4", progress: false });
    await urgeRound(f.db, { roundId: q4.roundId, unitIds: [await f.unitId("市场监督管理局")], now: clock, actor: { actorType: "user", actorId: 1 } });
    api.failNext("sendMessage", 403, { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" });
    const pass = await runSchedulerPass({ db: f.db, messenger: createTelegramMessenger(bot), now: clock });
    expect(pass.dispatch.unreachable).toBe(1);
    expect(await f.db.contact.findUniqueOrThrow({ where: { telegramUserId: "1001" } })).toMatchObject({ status: "blocked" });
  });
});
