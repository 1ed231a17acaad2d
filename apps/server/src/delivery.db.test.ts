import { Api } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { apiThrottler } from "@grammyjs/transformer-throttler";
import { telegramThrottle } from "@duban/bot/create-bot";
import { TelegramMessenger } from "@duban/bot/telegram-messenger";
import { dispatchReminders } from "@duban/core/reminders/dispatch-reminders";
import { runSchedulerPass } from "@duban/core/reminders/run-scheduler-pass";
import { at } from "@duban/core/testing/liaison-fixture";
import { insertScalePlan } from "@duban/core/testing/scale-fixture";
import { createTestDb, type TestDb } from "@duban/db/testing";
import { startRateLimitedTelegram, type RateLimitedTelegram } from "../bench/rate-limited-telegram.ts";

const TOKEN = "123456:delivery-test-token";

describe("delivery against a rate-limited Bot API (temporary SQLite)", () => {
  let t: TestDb;
  let telegram: RateLimitedTelegram | null = null;
  beforeEach(async () => {
    t = await createTestDb({ provider: "sqlite" });
  });
  afterEach(async () => {
    await telegram?.close();
    await t.cleanup();
  });

  it("a hung Telegram call times out and is retried later, while the other chats are sent meanwhile", { timeout: 60_000 }, async () => {
    const now = at("2027-01-05", "10:00");
    const plan = await insertScalePlan(t.db, { tasks: 1, unitsPerTask: 6, contacts: true, createdAt: at("2026-07-01", "08:00") });
    await runSchedulerPass({ db: t.db, messenger: null, now });
    const contacts = await t.db.contact.findMany({ where: { id: { in: plan.contactIds } }, orderBy: { id: "asc" } });
    const hungChat = contacts[0]!.telegramChatId!;
    telegram = await startRateLimitedTelegram({ latencyMs: 20, hang: new Set([hungChat]) });
    // The per-call timeout (grammY's timeoutSeconds) is what turns a hung call into a retry.
    const api = new Api(TOKEN, { apiRoot: telegram.apiRoot, timeoutSeconds: 10 });
    api.config.use(apiThrottler(telegramThrottle()));

    const dispatching = dispatchReminders(t.db, new TelegramMessenger(api, TOKEN), now);
    // The five other chats get their message while the first call is still hanging (its claim open).
    await expect.poll(() => t.db.reminder.count({ where: { state: "sent" } }), { timeout: 9_000, interval: 50 }).toBe(5);
    expect(telegram.received.size).toBe(5);
    expect((await t.db.reminder.findMany({ where: { state: "sending" }, select: { contactId: true } })).map((r) => r.contactId)).toEqual([contacts[0]!.id]);

    // Then the hung call times out: the reminder waits for a later attempt, nothing is lost.
    const summary = await dispatching;
    expect(summary).toMatchObject({ sent: 5, retrying: 1, failed: 0 });
    const hung = await t.db.reminder.findFirstOrThrow({ where: { contactId: contacts[0]!.id } });
    expect(hung.state).toBe("retrying");
    expect(hung.nextAttemptAt.getTime()).toBeGreaterThan(now.getTime());
    expect(telegram.received.has(hungChat)).toBe(false);
  });
});
