/**
 * End to end over HTTP against the telegram-test-api emulator (real bot, long polling, real
 * scheduler pass and TelegramMessenger): the progress kept after a photo, and 申请延期 typed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pino from "pino";
import { createInvite } from "@duban/core/invites/create-invite";
import { runSchedulerPass } from "@duban/core/reminders/run-scheduler-pass";
import { FIXTURE_NOW, liaisonFixture, type LiaisonFixture } from "@duban/core/testing/liaison-fixture";
import { createBot } from "../src/create-bot.ts";
import { startBot, type RunningBot } from "../src/start-bot.ts";
import { createTelegramMessenger } from "../src/telegram-messenger.ts";
import { startEmulator, type Emulator } from "./emulator.ts";

const TOKEN = "654322:E2E_EXTENSION_TOKEN_abcdefghijklm";

describe("申请延期 and kept progress over HTTP against a local Bot API emulator", () => {
  let f: LiaisonFixture;
  let api: Emulator;
  let running: RunningBot;
  let bot: ReturnType<typeof createBot>;
  const clock = FIXTURE_NOW;
  let task8: number;
  let task6: number;

  beforeAll(async () => {
    f = await liaisonFixture();
    task8 = await f.taskId("8");
    task6 = await f.taskId("6");
    // Two deadlines: task 8's quarterly progress and task 6's quarterly analysis report.
    await f.db.deadline.updateMany({
      where: { NOT: [{ taskId: task8, cycle: { key: "progress" } }, { taskId: task6, cycle: { key: { startsWith: "task-" } }, kind: "quarterly" }] },
      data: { active: false },
    });
    api = await startEmulator(TOKEN);
    bot = createBot(TOKEN, { db: f.db, log: pino({ level: "silent" }), now: () => clock }, { apiRoot: api.apiRoot });
    running = await startBot(bot, { db: f.db, log: pino({ level: "silent" }) });
    const { token } = await createInvite(f.db, { unitName: "市场监督管理局", botUsername: running.username, now: clock, name: "李娜" });
    const liaison = api.user(1001, "李娜");
    await liaison.say(`/start ${token}`);
    await liaison.expect("您已登记为“市场监督管理局”的联络员");
    await runSchedulerPass({ db: f.db, messenger: createTelegramMessenger(bot), now: clock });
  });

  afterAll(async () => {
    await running?.stop();
    await api?.stop();
    await f?.cleanup();
  });

  it("推进中 60% → a photo → 推进中 again: the 60% stays and is not asked again", async () => {
    const liaison = api.user(1001);
    const reminder = await liaison.expect((m) => m.text.includes("任务8："));
    expect(reminder.buttons.map((b) => b.text)).toContain("申请延期");
    const inProgress = reminder.buttons.find((b) => b.text === "推进中")!.callback_data;
    await liaison.press(inProgress, reminder.messageId);
    await liaison.expect("请回复目前的完成进度");
    await liaison.say("60");
    await liaison.expect("进度：60%");
    await liaison.sendPhoto("PHOTO_SITE");
    await liaison.expect("附件：照片");

    await liaison.press(inProgress, reminder.messageId);
    const again = await liaison.expect("已记录：任务8");
    expect(again.text).toContain("进度：60%");
    expect(again.text).not.toContain("请回复目前的完成进度");
    const latest = await f.db.statusUpdate.findFirstOrThrow({ where: { taskId: task8 }, orderBy: { id: "desc" } });
    expect(latest).toMatchObject({ status: "in_progress", progress: 60 });
  });

  it("“申请延期” typed in reply to task 6's reminder asks the reason, then files the request", async () => {
    const liaison = api.user(1001);
    const reminder = await liaison.expect((m) => m.text.includes("任务6："));
    await liaison.say("申请延期", reminder.messageId);
    const asked = await liaison.expect("请简要说明申请延期的理由");
    expect(asked.text).toContain("任务6");
    await liaison.say("检测设备未到货，预计11月底完成");
    await liaison.expect("延期申请已提交");
    const request = await f.db.extensionRequest.findFirstOrThrow({ include: { round: { include: { deadline: true } } } });
    expect(request).toMatchObject({ reason: "检测设备未到货，预计11月底完成", state: "pending", round: { deadline: { taskId: task6 } } });
    expect(await f.db.statusUpdate.count({ where: { taskId: task6 } })).toBe(0);
  });
});
