import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDb, testProviders, type TestDb } from "../testing.ts";
import { botSessionStorage, forgetBotSessionsBefore } from "./bot-sessions.ts";
import { forgetUpdatesBefore, markUpdateHandled } from "./processed-updates.ts";
import { cancelWaitingReminders, claimReminder, dueReminders, queueReminderOnce, queueReminders, recordDelivery, releaseClaim, staleClaims, type NewReminder } from "./reminder-outbox.ts";
import { createRoundOnce } from "./rounds.ts";

const now = new Date("2026-10-12T02:00:00Z");
const minutes = (n: number) => new Date(now.getTime() + n * 60_000);

// SQLite always; PostgreSQL too when DUBAN_TEST_DATABASE is set (npm run test:pg).
describe.each(testProviders())("repositories (temporary %s database)", (provider) => {
  let t: TestDb;
  let unitId: number;
  let contactId: number;
  let deadlineId: number;
  beforeEach(async () => {
    t = await createTestDb({ provider });
    const plan = await t.db.plan.create({ data: { title: "方案", sourceText: "…", sourceHash: "h" } });
    const task = await t.db.task.create({ data: { planId: plan.id, ordinal: 1, number: "1", title: "任务", body: "任务。" } });
    deadlineId = (await t.db.deadline.create({ data: { taskId: task.id, title: "季度进度", kind: "quarterly", offsetDays: 10 } })).id;
    unitId = (await t.db.unit.create({ data: { name: "环保局" } })).id;
    contactId = (await t.db.contact.create({ data: { unitId, role: "liaison", telegramUserId: "7", telegramChatId: "7" } })).id;
  });
  afterEach(async () => {
    await t.cleanup();
  });

  const reminder = (key: string, extra: Partial<NewReminder> = {}): NewReminder => ({ key, kind: "reminder", unitId, contactId, rung: "due", dueAt: now, text: "请报送", now, ...extra });

  it("queues a reminder once per key, from any number of clients", async () => {
    const second = t.connect();
    const results = await Promise.all([queueReminderOnce(t.db, reminder("k1")), queueReminderOnce(second, reminder("k1")), queueReminderOnce(t.db, reminder("k2"))]);
    expect(results.filter(Boolean)).toHaveLength(2);
    expect((await t.db.reminder.findMany({ orderBy: { key: "asc" } })).map((r) => [r.key, r.state, r.nextAttemptAt])).toEqual([
      ["k1", "pending", now],
      ["k2", "pending", now],
    ]);
  });

  it("a reminder is claimed by exactly one of two racing dispatchers, and only when due", async () => {
    await queueReminders(t.db, [reminder("k1", { now: minutes(5) })]);
    expect(await dueReminders(t.db, now, 10)).toEqual([]);
    const id = (await dueReminders(t.db, minutes(5), 10))[0]?.id;
    const second = t.connect();
    const claims = await Promise.all([claimReminder(t.db, id!, "a", minutes(5)), claimReminder(second, id!, "b", minutes(5))]);
    expect(claims.sort()).toEqual([false, true]);
    expect(await t.db.reminder.findUniqueOrThrow({ where: { id: id! } })).toMatchObject({ state: "sending", attempts: 1 });
    expect(await dueReminders(t.db, minutes(5), 10)).toEqual([]);
  });

  it("a dead claim is released once, then claimed again", async () => {
    await queueReminders(t.db, [reminder("k1")]);
    const id = (await dueReminders(t.db, now, 10))[0]?.id;
    await claimReminder(t.db, id!, "crashed", now);
    expect(await staleClaims(t.db, now)).toEqual([]);
    const [stale] = await staleClaims(t.db, minutes(3));
    expect(stale).toMatchObject({ id, claimedBy: "crashed" });
    expect(await releaseClaim(t.db, stale!, minutes(3), "reclaimed")).toBe(true);
    expect(await releaseClaim(t.db, stale!, minutes(3), "reclaimed")).toBe(false);
    expect(await claimReminder(t.db, id!, "next", minutes(3))).toBe(true);
    expect(await t.db.reminder.findUniqueOrThrow({ where: { id: id! } })).toMatchObject({ state: "sending", attempts: 2, claimedBy: "next" });
  });

  it("records every delivery outcome; unreachable marks the contact blocked", async () => {
    await queueReminders(t.db, ["sent", "retry", "fail", "gone"].map((k) => reminder(k)));
    const ids = (await dueReminders(t.db, now, 10)).map((r) => r.id);
    await recordDelivery(t.db, ids[0]!, { state: "sent", at: now, chatMessageId: "42" });
    await recordDelivery(t.db, ids[1]!, { state: "retrying", nextAttemptAt: minutes(1), error: "429" });
    await recordDelivery(t.db, ids[2]!, { state: "failed", error: "400" });
    await recordDelivery(t.db, ids[3]!, { state: "unreachable", error: "403", contactId, at: now });
    const rows = await t.db.reminder.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.state, r.chatMessageId, r.lastError])).toEqual([
      ["sent", "42", null],
      ["retrying", null, "429"],
      ["failed", null, "400"],
      ["unreachable", null, "403"],
    ]);
    expect(await t.db.contact.findUniqueOrThrow({ where: { id: contactId } })).toMatchObject({ status: "blocked", unreachableAt: now });
    // Only what still waits is cancelled.
    expect(await cancelWaitingReminders(t.db, { contactId }, "contact revoked")).toBe(1);
    expect((await t.db.reminder.findUniqueOrThrow({ where: { id: ids[1]! } })).state).toBe("cancelled");
  });

  // Two racing processes are run by core's run-scheduler-pass test; here two passes of one process.
  it("a round is created once per period, with its submissions", async () => {
    const round = { deadlineId, periodKey: "2026Q4", opensAt: now, dueAt: minutes(60), unitIds: [unitId], now };
    const ids = await Promise.all([createRoundOnce(t.db, round), createRoundOnce(t.db, round)]);
    expect(ids.filter((id) => id !== null)).toHaveLength(1);
    expect(await t.db.round.count()).toBe(1);
    expect(await t.db.submission.findMany({ select: { unitId: true, dueAt: true } })).toEqual([{ unitId, dueAt: minutes(60) }]);
    expect(await createRoundOnce(t.db, round)).toBeNull();
  });

  it("an update id is handled once and forgotten when old", async () => {
    expect(await markUpdateHandled(t.db, 100, now)).toBe(true);
    expect(await markUpdateHandled(t.db, 100, now)).toBe(false);
    expect(await markUpdateHandled(t.db, 101, minutes(10))).toBe(true);
    expect(await forgetUpdatesBefore(t.db, minutes(5))).toBe(1);
    expect(await markUpdateHandled(t.db, 100, minutes(20))).toBe(true);
  });

  it("chat sessions are read, written over and deleted by key, as JSON", async () => {
    const store = botSessionStorage<{ step: string; n?: number }>(t.db);
    expect(await store.read("chat:7")).toBeUndefined();
    const before = new Date();
    await store.write("chat:7", { step: "progress", n: 1 });
    await store.write("chat:8", { step: "details" });
    await store.write("chat:7", { step: "details", n: 2 });
    expect(await store.read("chat:7")).toEqual({ step: "details", n: 2 });
    const row = await t.db.botSession.findUniqueOrThrow({ where: { key: "chat:7" } });
    expect(JSON.parse(row.value)).toEqual({ step: "details", n: 2 });
    expect(row.updatedAt.getTime()).toBeGreaterThanOrEqual(before.getTime());
    await store.delete("chat:7");
    await store.delete("chat:7");
    expect(await store.read("chat:7")).toBeUndefined();
    expect(await store.read("chat:8")).toEqual({ step: "details" });
  });

  it("old chat sessions are forgotten", async () => {
    await t.db.botSession.createMany({ data: [{ key: "chat:1", value: "{}", updatedAt: now }, { key: "chat:2", value: "{}", updatedAt: minutes(60) }] });
    expect(await forgetBotSessionsBefore(t.db, minutes(30))).toBe(1);
    expect((await t.db.botSession.findMany()).map((s) => s.key)).toEqual(["chat:2"]);
  });
});
