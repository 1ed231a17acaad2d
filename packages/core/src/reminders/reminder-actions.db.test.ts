import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { acknowledgeReminder, ReminderAccessError } from "./acknowledge-reminder.ts";
import { markContactReachable, markContactUnreachable } from "./mark-contact-unreachable.ts";
import { requestExtension } from "../submissions/request-extension.ts";
import { snoozeReminder } from "./snooze-reminder.ts";
import { recordStatus } from "../submissions/record-status.ts";
import { at, liaisonFixture, type LiaisonFixture } from "../testing/liaison-fixture.ts";

describe("acknowledge, snooze, extension, reachability (temporary SQLite)", () => {
  let f: LiaisonFixture;
  let liaison: number;
  let reminderId: number;
  let roundId: number;
  let submissionId: number;
  beforeEach(async () => {
    f = await liaisonFixture();
    liaison = await f.addContact({ unit: "市场监督管理局", telegramUserId: "1001" });
    ({ roundId, submissionId } = await f.round({ task: "8", unit: "市场监督管理局", periodKey: "2026Q3", progress: true }));
    const reminder = await f.db.reminder.create({
      data: { key: "k", kind: "reminder", roundId, unitId: await f.unitId("市场监督管理局"), contactId: liaison, rung: "before-3", dueAt: at("2026-10-12", "09:00"), text: "t", nextAttemptAt: at("2026-10-12", "09:00"), state: "sent", chatMessageId: "77" },
    });
    reminderId = reminder.id;
  });
  afterEach(async () => {
    await f.cleanup();
  });

  it("签收 is recorded the first time only", async () => {
    const t1 = at("2026-10-12", "10:00");
    expect(await acknowledgeReminder(f.db, { reminderId, contactId: liaison, now: t1 })).toEqual({ acknowledged: true });
    expect(await acknowledgeReminder(f.db, { reminderId, contactId: liaison, now: at("2026-10-12", "11:00") })).toEqual({ acknowledged: false });
    expect((await f.db.submission.findUniqueOrThrow({ where: { id: submissionId } })).acknowledgedAt).toEqual(t1);
    expect(await f.db.auditEvent.count({ where: { action: "reminder.acknowledge" } })).toBe(1);
  });

  it("another unit's contact cannot act on the reminder", async () => {
    const other = await f.addContact({ unit: "环保局", telegramUserId: "2001" });
    await expect(acknowledgeReminder(f.db, { reminderId, contactId: other, now: at("2026-10-12", "10:00") })).rejects.toBeInstanceOf(ReminderAccessError);
  });

  it("稍后提醒 lands on the next working morning, across the weekend", async () => {
    // Friday 2026-10-16 afternoon → Monday 2026-10-19 09:00.
    const { until } = await snoozeReminder(f.db, { reminderId, contactId: liaison, now: at("2026-10-16", "15:00") });
    expect(until).toEqual(at("2026-10-19", "09:00"));
    const submission = await f.db.submission.findUniqueOrThrow({ where: { id: submissionId } });
    expect(submission.snoozedUntil).toEqual(until);
    expect(submission.acknowledgedAt).toEqual(at("2026-10-16", "15:00"));
  });

  it("稍后提醒 before office hours is the same morning; on National Day it waits for the first workday", async () => {
    expect((await snoozeReminder(f.db, { reminderId, contactId: liaison, now: at("2026-10-13", "07:30") })).until).toEqual(at("2026-10-13", "09:00"));
    const holiday = await snoozeReminder(f.db, { reminderId, contactId: liaison, now: at("2026-10-02", "10:00") });
    expect(holiday.until!.getTime()).toBeGreaterThan(at("2026-10-07", "23:59").getTime());
  });

  it("申请延期 goes to the office's queue and keeps the original due date", async () => {
    const before = await f.db.submission.findUniqueOrThrow({ where: { id: submissionId } });
    const now = at("2026-10-12", "10:00");
    const { extensionRequestId, dueAt } = await requestExtension(f.db, { contactId: liaison, roundId, reason: "检测设备送检，需延后一周", now });
    expect(dueAt).toEqual(before.dueAt);
    expect(await f.db.extensionRequest.findUniqueOrThrow({ where: { id: extensionRequestId } })).toMatchObject({ state: "pending", reason: "检测设备送检，需延后一周", contactId: liaison });
    expect((await f.db.submission.findUniqueOrThrow({ where: { id: submissionId } })).dueAt).toEqual(before.dueAt);
    await expect(requestExtension(f.db, { contactId: liaison, roundId, reason: "再次申请", now })).rejects.toMatchObject({ code: "already-pending" });
    await expect(requestExtension(f.db, { contactId: liaison, roundId, reason: " ", now })).rejects.toMatchObject({ code: "invalid-reason" });
  });

  it("no extension once submitted, nor for a round the unit does not owe", async () => {
    const now = at("2026-10-12", "10:00");
    await recordStatus(f.db, { contactId: liaison, taskId: await f.taskId("8"), roundId, status: "done", source: "t", now });
    await expect(requestExtension(f.db, { contactId: liaison, roundId, reason: "来不及", now })).rejects.toMatchObject({ code: "already-submitted" });
    const env = await f.addContact({ unit: "环保局", telegramUserId: "2001" });
    await expect(requestExtension(f.db, { contactId: env, roundId, reason: "来不及", now })).rejects.toMatchObject({ code: "not-owed" });
  });

  it("403 marks the contact unreachable; writing again makes them reachable", async () => {
    const now = at("2026-10-12", "10:00");
    expect(await markContactUnreachable(f.db, { telegramChatId: "1001", reason: "403 blocked", now })).toEqual({ marked: true });
    expect(await f.db.contact.findUniqueOrThrow({ where: { id: liaison } })).toMatchObject({ status: "blocked", unreachableAt: now });
    expect(await markContactUnreachable(f.db, { contactId: liaison, reason: "again", now })).toEqual({ marked: false });
    expect(await markContactReachable(f.db, { contactId: liaison, now })).toEqual({ marked: true });
    expect(await f.db.contact.findUniqueOrThrow({ where: { id: liaison } })).toMatchObject({ status: "active", unreachableAt: null });
  });
});
