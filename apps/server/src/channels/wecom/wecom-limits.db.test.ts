import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dispatchReminders } from "@duban/core/reminders/dispatch-reminders";
import { routeByChannel } from "@duban/core/channels/messenger";
import { FIXTURE_NOW, liaisonFixture, type LiaisonFixture } from "@duban/core/testing/liaison-fixture";
import { queueRemindersOnce } from "@duban/db/repositories/reminder-outbox";
import { CHANNEL_LIMITS, channelPacers } from "@duban/domain/channel-limits";
import { WecomApi } from "./api.ts";
import { WecomMessenger } from "./messenger.ts";
import { WecomEmulator } from "./testing/wecom-emulator.ts";

const CONFIG = { corpId: "wwlimits00000001", agentId: 1000004, secret: "limits-secret", token: "LimitsToken", aesKey: "a".repeat(43) };
const MINUTE = 60_000;

/**
 * 企业微信 drops what exceeds 30 messages a minute (1,000 an hour) to one member while answering
 * ok, so the delivery loop must hold back before it sends. The emulator enforces the documented
 * limits on its own clock; the pacer and the emulator share a clock the test moves.
 */
describe("企业微信's per-member limit in the delivery loop (temporary SQLite, local API emulator)", () => {
  let f: LiaisonFixture;
  let emulator: WecomEmulator;
  let messenger: ReturnType<typeof routeByChannel>;
  let clock = 0;
  const contacts = new Map<string, number>();

  beforeEach(async () => {
    f = await liaisonFixture();
    clock = FIXTURE_NOW.getTime();
    for (const userId of ["lihua", "wangfang"]) {
      const contact = await f.addContact({ unit: "市场监督管理局", telegramUserId: null });
      await f.db.contactChannel.create({ data: { contactId: contact, channel: "wecom", externalId: userId } });
      contacts.set(userId, contact);
    }
    emulator = new WecomEmulator({ ...CONFIG, members: ["lihua", "wangfang"], limits: { perMember: CHANNEL_LIMITS.wecom.recipient }, clock: () => clock });
    await emulator.start();
    messenger = routeByChannel({ wecom: new WecomMessenger(new WecomApi({ corpId: CONFIG.corpId, agentId: CONFIG.agentId, secret: CONFIG.secret, apiRoot: emulator.url })) });
  });
  afterEach(async () => {
    await emulator.stop();
    await f.cleanup();
  });

  /** `n` notices to a member, all due now. */
  async function queueNotices(userId: string, n: number, now: Date) {
    const unitId = await f.unitId("市场监督管理局");
    const contactId = contacts.get(userId)!;
    await queueRemindersOnce(
      f.db,
      Array.from({ length: n }, (_, i) => ({ key: `notice-limit-${userId}-${now.getTime()}-${i}:c${contactId}`, kind: "notice", unitId, contactId, rung: "notice", dueAt: now, text: `通知 ${i + 1}：请于本周五前报送材料`, now })),
    );
  }

  /** The most messages the member received in any minute. */
  function busiestMinute(userId: string): number {
    const times = emulator.deliveredAt.get(userId) ?? [];
    return Math.max(0, ...times.map((t) => times.filter((u) => u >= t && u < t + MINUTE).length));
  }

  it("40 notices to one member: 30 now, 10 deferred a minute (not sent, no attempt counted), then sent; none dropped", { timeout: 60_000 }, async () => {
    const pacing = { pacerOf: channelPacers(), clock: () => clock };
    await queueNotices("lihua", 40, FIXTURE_NOW);
    const first = await dispatchReminders(f.db, messenger, FIXTURE_NOW, { pacing });
    expect(first).toMatchObject({ sent: 30, deferred: 10, failed: 0, retrying: 0 });
    expect(emulator.deliveredAt.get("lihua")).toHaveLength(30);
    const waiting = await f.db.reminder.findMany({ where: { state: "pending" } });
    expect(waiting).toHaveLength(10);
    for (const r of waiting) {
      expect(r).toMatchObject({ attempts: 0, claimedBy: null });
      expect(r.nextAttemptAt.getTime() - FIXTURE_NOW.getTime()).toBeGreaterThanOrEqual(MINUTE - 1000);
    }
    // Nothing more before the minute is over, even when asked again.
    clock += 30_000;
    const early = await dispatchReminders(f.db, messenger, new Date(clock), { pacing });
    expect(early.sent).toBe(0);

    clock = FIXTURE_NOW.getTime() + MINUTE + 1000;
    const later = await dispatchReminders(f.db, messenger, new Date(clock), { pacing });
    expect(later).toMatchObject({ sent: 10, deferred: 0 });
    expect(emulator.deliveredAt.get("lihua")).toHaveLength(40);
    expect(emulator.dropped).toEqual([]);
    expect(busiestMinute("lihua")).toBe(30);
    expect(await f.db.reminder.count({ where: { state: "sent" } })).toBe(40);
  });

  it("without pacing the emulator drops the excess while answering ok (what the pacing prevents)", { timeout: 60_000 }, async () => {
    await queueNotices("wangfang", 35, FIXTURE_NOW);
    const summary = await dispatchReminders(f.db, messenger, FIXTURE_NOW);
    // 企业微信 said ok to all 35 …
    expect(summary).toMatchObject({ sent: 35, deferred: 0 });
    // … and 5 never arrived.
    expect(emulator.deliveredAt.get("wangfang")).toHaveLength(30);
    expect(emulator.dropped).toHaveLength(5);
  });

  it("an app-wide ceiling is answered 45009 and the send is retried later", { timeout: 60_000 }, async () => {
    const limited = new WecomEmulator({ ...CONFIG, members: ["lihua"], limits: { perMember: [], app: { count: 3, ms: MINUTE } }, clock: () => clock });
    await limited.start();
    try {
      const viaLimited = routeByChannel({ wecom: new WecomMessenger(new WecomApi({ corpId: CONFIG.corpId, agentId: CONFIG.agentId, secret: CONFIG.secret, apiRoot: limited.url })) });
      await queueNotices("lihua", 5, FIXTURE_NOW);
      const summary = await dispatchReminders(f.db, viaLimited, FIXTURE_NOW);
      expect(summary).toMatchObject({ sent: 3, retrying: 2 });
      expect(limited.tooMany).toBe(2);
      const retried = await f.db.reminder.findMany({ where: { state: "retrying" } });
      expect(retried.map((r) => r.lastError)).toEqual(["45009: api freq out of limit", "45009: api freq out of limit"]);
    } finally {
      await limited.stop();
    }
  });
});
