/**
 * Several plans in one office, end to end over HTTP against the Bot API emulator: a liaison of a
 * unit that owes tasks in two plans gets reminders naming each plan and sees both in /tasks.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pino from "pino";
import { importPlan } from "@duban/core/plans/import-plan";
import { createInvite } from "@duban/core/invites/create-invite";
import { runSchedulerPass } from "@duban/core/reminders/run-scheduler-pass";
import { BUSINESS_PLAN_TEXT, RIVER_PLAN_TEXT } from "@duban/core/testing/extra-plans";
import { at, FIXTURE_NOW, liaisonFixture, type LiaisonFixture } from "@duban/core/testing/liaison-fixture";
import { shortPlanTitle } from "@duban/domain/short-title";
import { createBot } from "../src/create-bot.ts";
import { startBot, type RunningBot } from "../src/start-bot.ts";
import { createTelegramMessenger } from "../src/telegram-messenger.ts";
import { startEmulator, type Emulator } from "./emulator.ts";

const TOKEN = "654322:E2E_PLANS_TOKEN_abcdefghijklmnop";

describe("a liaison answering for two plans, over a local Bot API emulator", { timeout: 120_000 }, () => {
  let f: LiaisonFixture;
  let api: Emulator;
  let running: RunningBot;
  let bot: ReturnType<typeof createBot>;
  const clock = FIXTURE_NOW;
  let seedTitle: string;

  beforeAll(async () => {
    f = await liaisonFixture();
    seedTitle = shortPlanTitle((await f.db.plan.findFirstOrThrow()).title);
    await importPlan(f.db, BUSINESS_PLAN_TEXT, at("2026-07-02", "08:00"));
    await importPlan(f.db, RIVER_PLAN_TEXT, at("2026-07-03", "08:00"));
    api = await startEmulator(TOKEN);
    bot = createBot(TOKEN, { db: f.db, log: pino({ level: "silent" }), now: () => clock }, { apiRoot: api.apiRoot });
    running = await startBot(bot, { db: f.db, log: pino({ level: "silent" }) });
  }, 240_000);

  afterAll(async () => {
    await running?.stop();
    await api?.stop();
    await f?.cleanup();
  });

  it("reminders name each plan, and /tasks lists the unit's tasks grouped by plan", async () => {
    const { token } = await createInvite(f.db, { unitName: "市场监督管理局", botUsername: running.username, now: clock, name: "李娜" });
    const liaison = api.user(1001, "李娜");
    await liaison.say(`/start ${token}`);
    await liaison.expect("您已登记为“市场监督管理局”的联络员");

    const pass = await runSchedulerPass({ db: f.db, messenger: createTelegramMessenger(bot), now: clock });
    expect(pass.dispatch.sent).toBeGreaterThan(0);
    const reminders = (await liaison.received(1500)).filter((m) => m.text.includes("督办提醒"));
    // Due together, the unit's reminders of both plans come as one digest, grouped by plan.
    expect(reminders).toHaveLength(1);
    const digest = reminders[0]!;
    expect(digest.text).toMatch(/^【督办提醒】本单位有 \d+ 项事项待报送：\n📁《/);
    const seedAt = digest.text.indexOf(`📁《${seedTitle}》`);
    const businessAt = digest.text.indexOf("📁《同江市优化营商环境》");
    expect(seedAt).toBeGreaterThan(0);
    expect(businessAt).toBeGreaterThan(seedAt);
    expect(digest.text.slice(businessAt)).toContain("· 任务1：推行企业开办一网通办");
    expect(digest.text.slice(seedAt, businessAt)).toMatch(/· 任务\d+：/);
    // The river plan has no task for this unit: nothing of it reaches this liaison.
    expect(digest.text).not.toContain("河长制");
    // Its buttons, one per round, name the plan and follow the text's order.
    const labels = digest.buttons.map((b) => b.text);
    expect(labels.some((l) => l.startsWith(`《${seedTitle}》任务`))).toBe(true);
    const lastSeed = labels.map((l) => l.startsWith(`《${seedTitle}》`)).lastIndexOf(true);
    const firstBusiness = labels.findIndex((l) => l.startsWith("《同江市优化营商环境》任务1"));
    expect(firstBusiness).toBeGreaterThan(lastSeed);

    await liaison.say("/tasks");
    const list = await liaison.expect(/的任务（共 \d+ 项）/);
    const seedHeading = list.text.indexOf(`📁《${seedTitle}》`);
    const businessHeading = list.text.indexOf("📁《同江市优化营商环境》");
    expect(seedHeading).toBeGreaterThan(0);
    expect(businessHeading).toBeGreaterThan(seedHeading);
    expect(list.text.slice(businessHeading)).toContain("任务1“推行企业开办一网通办”（牵头）");
    expect(list.text.slice(seedHeading, businessHeading)).toContain("任务8“建立和夯实城市计量基础”");
  });
});
