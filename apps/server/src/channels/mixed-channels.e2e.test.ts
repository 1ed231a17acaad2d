import { randomBytes } from "node:crypto";
import { Api } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TelegramMessenger } from "@duban/bot/telegram-messenger";
import { routeByChannel } from "@duban/core/channels/messenger";
import { runSchedulerPass } from "@duban/core/reminders/run-scheduler-pass";
import { at, liaisonFixture, type LiaisonFixture } from "@duban/core/testing/liaison-fixture";
import { startEmulator, type Emulator } from "../../../bot/test/emulator.ts";
import { WecomApi } from "./wecom/api.ts";
import { WecomMessenger } from "./wecom/messenger.ts";
import { WecomEmulator } from "./wecom/testing/wecom-emulator.ts";

const TOKEN = "123456789:MIXED_TOKEN_abcdefghijklmnopqrstuvwxyz";
const WECOM = { corpId: "wwmixed000000001", agentId: 1000005, secret: "mixed-secret", token: "MixedToken", aesKey: randomBytes(32).toString("base64").slice(0, 43) };

/**
 * One unit, two channels: its liaison on 企业微信 and its head (一把手) on Telegram. One real
 * scheduler pass, through routeByChannel to both adapters, each against its emulator (the
 * 企业微信 API emulator, the Telegram Bot API emulator): the liaison gets the overdue reminder as
 * a card in 企业微信, the head the escalation with status buttons in Telegram.
 */
describe("a unit with its liaison on 企业微信 and its head on Telegram (temporary SQLite, both emulators)", () => {
  let f: LiaisonFixture;
  let wecom: WecomEmulator;
  let telegram: Emulator;

  beforeAll(async () => {
    f = await liaisonFixture();
    wecom = new WecomEmulator({ ...WECOM, members: ["wangfang"] });
    await wecom.start();
    telegram = await startEmulator(TOKEN);
  }, 60_000);

  afterAll(async () => {
    await telegram?.stop();
    await wecom?.stop();
    await f?.cleanup();
  });

  it("one pass: the reminder reaches the liaison in 企业微信 and the escalation reaches the head in Telegram", async () => {
    const task6 = await f.taskId("6");
    // Only task 6's 2026Q3 quarterly report (due Tue 20 Oct): three workdays later the head is told.
    await f.db.deadline.updateMany({ where: { NOT: { taskId: task6, cycle: { key: { startsWith: "task-" } }, kind: "quarterly" } }, data: { active: false } });
    const liaison = await f.addContact({ unit: "市场监督管理局", name: "王芳" });
    await f.db.contactChannel.create({ data: { contactId: liaison, channel: "wecom", externalId: "wangfang" } });
    const head = await f.addContact({ unit: "市场监督管理局", role: "head", name: "赵局长", telegramUserId: "4001" });
    await f.db.contactChannel.create({ data: { contactId: head, channel: "telegram", externalId: "4001" } });
    const headChat = telegram.user(4001, "赵局长");

    const messenger = routeByChannel({
      wecom: new WecomMessenger(new WecomApi({ corpId: WECOM.corpId, agentId: WECOM.agentId, secret: WECOM.secret, apiRoot: wecom.url })),
      telegram: new TelegramMessenger(new Api(TOKEN, { apiRoot: telegram.apiRoot }), TOKEN),
    });
    const pass = await runSchedulerPass({ db: f.db, messenger, now: at("2026-10-23", "10:00") });
    expect(pass.dispatch).toMatchObject({ sent: 2, failed: 0, retrying: 0 });

    const sent = await f.db.reminder.findMany({ where: { state: "sent" }, orderBy: { id: "asc" } });
    expect(sent.map((r) => [r.contactId, r.kind])).toEqual(expect.arrayContaining([[liaison, "reminder"], [head, "escalation-head"]]));
    expect(sent).toHaveLength(2);

    expect(wecom.sent.map((m) => [m.touser, m.msgtype])).toEqual([["wangfang", "template_card"]]);
    expect(wecom.sent[0]!.template_card?.sub_title_text).toContain("任务6");
    expect(wecom.sent[0]!.template_card?.button_list.map((b) => b.text)).toContain("稍后提醒");

    const escalation = await headChat.expect("任务6");
    expect(escalation.text).toBe(sent.find((r) => r.contactId === head)!.text);
    // The head answers for the unit but does not snooze it (as the bot's own escalation test).
    expect(escalation.buttons.map((b) => b.text)).toEqual(["已完成", "推进中", "有困难", "申请延期"]);
    expect(telegram.callsOf("sendMessage").map((c) => String(c.body.chat_id))).toEqual(["4001"]);
  });
});
