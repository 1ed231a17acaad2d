/**
 * 通知 with receipts, end to end over HTTP: the real bot (long polling) against the local Bot API
 * emulator, a temporary SQLite database, the real dispatcher sending through the TelegramMessenger.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pino from "pino";
import { createInvite } from "@duban/core/invites/create-invite";
import { dispatchReminders } from "@duban/core/reminders/dispatch-reminders";
import { broadcastNotice, listNotices, remindUnreceived } from "@duban/core/notices/notices";
import { FIXTURE_NOW, liaisonFixture, type LiaisonFixture } from "@duban/core/testing/liaison-fixture";
import { createBot } from "../src/create-bot.ts";
import { startBot, type RunningBot } from "../src/start-bot.ts";
import { createTelegramMessenger } from "../src/telegram-messenger.ts";
import { startEmulator, type Emulator } from "./emulator.ts";

const TOKEN = "765432:E2E_NOTICE_TOKEN_abcdefghijklmnop";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("通知 receipts over HTTP against a local Bot API emulator", () => {
  let f: LiaisonFixture;
  let api: Emulator;
  let running: RunningBot;
  let bot: ReturnType<typeof createBot>;
  const clock = FIXTURE_NOW;
  let office: number;

  beforeAll(async () => {
    f = await liaisonFixture();
    office = (await f.db.user.create({ data: { username: "office", passwordHash: "x", role: "staff" } })).id;
    api = await startEmulator(TOKEN);
    bot = createBot(TOKEN, { db: f.db, log: pino({ level: "silent" }), now: () => clock }, { apiRoot: api.apiRoot });
    running = await startBot(bot, { db: f.db, log: pino({ level: "silent" }) });
    for (const [userId, unit] of [[2001, "环保局"], [2002, "农业局"]] as const) {
      const { token } = await createInvite(f.db, { unitName: unit, botUsername: running.username, now: clock });
      await api.user(userId).say(`/start ${token}`);
      await api.user(userId).expect("您已登记为");
    }
  });

  afterAll(async () => {
    await running?.stop();
    await api?.stop();
    await f?.cleanup();
  });

  /** Waits until the bot has made `count` calls of a method (it answers taps asynchronously). */
  async function callsOf(method: string, count: number) {
    for (let i = 0; i < 200 && api.callsOf(method).length < count; i++) await sleep(25);
    return api.callsOf(method);
  }

  it("a notice arrives with 收到; a tap signs it once and the button turns into 已签收; a re-send reaches only who has not signed", async () => {
    const { noticeId } = await broadcastNotice(f.db, { title: "联席会议", text: "请于周五下午3点参加联席会议。", unitIds: null }, clock, office);
    const sent = await dispatchReminders(f.db, createTelegramMessenger(bot), clock);
    expect(sent.sent).toBe(2);

    const env = api.user(2001);
    const notice = await env.expect("【通知】联席会议");
    expect(notice.buttons.map((b) => b.text)).toEqual(["收到"]);
    await env.press(notice.buttons[0]!.callback_data, notice.messageId);
    const [edit] = await callsOf("editMessageReplyMarkup", 1);
    expect(edit!.body.reply_markup.inline_keyboard.flat().map((b: { text: string }) => b.text)).toEqual(["✅ 已签收"]);
    expect(String(edit!.body.message_id)).toBe(String(notice.messageId));
    const answers = await callsOf("answerCallbackQuery", 1);
    expect(answers.at(-1)!.body.text).toBe("已签收，谢谢！");
    const receipts = await f.db.noticeReceipt.findMany({ include: { contact: true } });
    expect(receipts).toHaveLength(1);
    expect(receipts[0]).toMatchObject({ noticeId, receivedAt: clock, contact: { telegramUserId: "2001" } });

    // A second tap (the 已签收 button, or the old one again) records nothing more.
    await env.press(edit!.body.reply_markup.inline_keyboard[0][0].callback_data, notice.messageId);
    expect((await callsOf("answerCallbackQuery", 2)).at(-1)!.body.text).toBe("您已签收过该通知。");
    expect(await f.db.noticeReceipt.count()).toBe(1);
    expect((await listNotices(f.db))[0]).toMatchObject({ receivedUnits: 1, totalUnits: 2 });

    // Someone else's button does nothing.
    const agri = api.user(2002);
    const agriNotice = await agri.expect("【通知】联席会议");
    await agri.press(notice.buttons[0]!.callback_data, agriNotice.messageId);
    expect((await callsOf("answerCallbackQuery", 3)).at(-1)!.body.text).toContain("不属于您");
    expect(await f.db.noticeReceipt.count()).toBe(1);

    // 再次提醒未签收: only 农业局 gets it, once, with its own 收到 button.
    expect((await remindUnreceived(f.db, { noticeId, now: clock, actor: office })).recipients).toBe(1);
    expect((await dispatchReminders(f.db, createTelegramMessenger(bot), clock)).sent).toBe(1);
    const again = await agri.expect("【通知·再次提醒】联席会议");
    expect(await env.received()).toEqual([]);
    await agri.press(again.buttons.find((b) => b.text === "收到")!.callback_data, again.messageId);
    expect((await callsOf("answerCallbackQuery", 4)).at(-1)!.body.text).toBe("已签收，谢谢！");
    expect((await listNotices(f.db))[0]).toMatchObject({ receivedUnits: 2, totalUnits: 2 });
    expect(await agri.received()).toEqual([]);
  });
});
