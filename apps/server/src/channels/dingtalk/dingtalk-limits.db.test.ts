import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dispatchReminders } from "@duban/core/reminders/dispatch-reminders";
import { routeByChannel } from "@duban/core/channels/messenger";
import { FIXTURE_NOW, liaisonFixture, type LiaisonFixture } from "@duban/core/testing/liaison-fixture";
import { queueRemindersOnce } from "@duban/db/repositories/reminder-outbox";
import { CHANNEL_LIMITS, channelPacers } from "@duban/domain/channel-limits";
import { DingtalkApi } from "./api.ts";
import { DingtalkMessenger } from "./messenger.ts";
import { DingtalkEmulator } from "./testing/dingtalk-emulator.ts";

const CONFIG = { clientId: "dinglimitsclient01", clientSecret: "limits-secret", robotCode: "dinglimitsclient01", corpId: "ding0corp0limits" };

/**
 * 钉钉 delivers the same content to a member once a day and drops repeats while answering
 * success, so the pacer remembers what went today. A send the platform refused (its 20/s) reached
 * nobody: its retry must go the same day, not wait for tomorrow.
 */
describe("钉钉's once-a-day rule in the delivery loop (temporary SQLite, local API emulator)", () => {
  let f: LiaisonFixture;
  let emulator: DingtalkEmulator;

  beforeEach(async () => {
    f = await liaisonFixture();
    emulator = new DingtalkEmulator({ ...CONFIG, members: ["wangfang"], limits: { app: CHANNEL_LIMITS.dingtalk.app[0]!, identicalOncePerDay: true } });
    await emulator.start();
  });
  afterEach(async () => {
    await emulator.stop();
    await f.cleanup();
  });

  it("a send refused for rate is retried the same day and delivered once; a repeat of a delivered text waits a day", async () => {
    const contactId = await f.addContact({ unit: "市场监督管理局", telegramUserId: null });
    await f.db.contactChannel.create({ data: { contactId, channel: "dingtalk", externalId: "wangfang" } });
    const unitId = await f.unitId("市场监督管理局");
    const notice = (key: string) => ({ key, kind: "notice", unitId, contactId, rung: "notice", dueAt: FIXTURE_NOW, text: "通知：请于本周五前报送三季度材料", now: FIXTURE_NOW });
    await queueRemindersOnce(f.db, [notice("notice-a")]);
    const messenger = routeByChannel({ dingtalk: new DingtalkMessenger(new DingtalkApi({ ...CONFIG, apiRoot: emulator.url })) });
    let clock = FIXTURE_NOW.getTime();
    const pacing = { pacerOf: channelPacers(), clock: () => clock };

    emulator.failNext("/v1.0/robot/oToMessages/batchSend", 403, "Forbidden.AccessDenied.QpsLimitForApi", "请求过于频繁");
    expect(await dispatchReminders(f.db, messenger, FIXTURE_NOW, { pacing })).toMatchObject({ sent: 0, retrying: 1 });
    const waiting = await f.db.reminder.findUniqueOrThrow({ where: { key: "notice-a" } });
    clock = waiting.nextAttemptAt.getTime() + 1000;
    expect(await dispatchReminders(f.db, messenger, new Date(clock), { pacing })).toMatchObject({ sent: 1, retrying: 0, deferred: 0 });
    expect(emulator.texts.map((t) => t.userId)).toEqual(["wangfang"]);

    // The same text again today is held to tomorrow rather than dropped by 钉钉.
    await queueRemindersOnce(f.db, [{ ...notice("notice-b"), dueAt: new Date(clock), now: new Date(clock) }]);
    expect(await dispatchReminders(f.db, messenger, new Date(clock), { pacing })).toMatchObject({ sent: 0, deferred: 1 });
    expect(emulator.dropped).toEqual([]);
  });
});
