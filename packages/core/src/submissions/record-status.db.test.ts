import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { amendStatusUpdate, countsAsSubmission, lastReportedStatus, recordStatus, RecordStatusError } from "./record-status.ts";
import { at, liaisonFixture, type LiaisonFixture } from "../testing/liaison-fixture.ts";

const now = at("2026-10-12", "10:00");

describe("recordStatus (temporary SQLite)", () => {
  let f: LiaisonFixture;
  let liaison: number;
  let task8: number;
  beforeEach(async () => {
    f = await liaisonFixture();
    liaison = await f.addContact({ unit: "市场监督管理局", telegramUserId: "1001" });
    task8 = await f.taskId("8");
  });
  afterEach(async () => {
    await f.cleanup();
  });

  it("decides what counts as the unit's submission", () => {
    expect(countsAsSubmission({ progressRound: true, windowOpen: true }, "in_progress")).toBe(true);
    expect(countsAsSubmission({ progressRound: true, windowOpen: true }, "blocked")).toBe(true);
    expect(countsAsSubmission({ progressRound: true, windowOpen: false }, "in_progress")).toBe(false);
    expect(countsAsSubmission({ progressRound: true, windowOpen: false }, "done")).toBe(true);
    expect(countsAsSubmission({ progressRound: false, windowOpen: true }, "in_progress")).toBe(false);
    expect(countsAsSubmission({ progressRound: false, windowOpen: false }, "done")).toBe(true);
  });

  it("an early progress reply (Q4 round, in October) is kept but does not submit the quarter", async () => {
    const { roundId, submissionId } = await f.round({ task: "8", unit: "市场监督管理局", periodKey: "2026Q4", progress: true });
    const recorded = await recordStatus(f.db, { contactId: liaison, taskId: task8, roundId, status: "in_progress", progress: 30, source: "t", now });
    expect(recorded).toMatchObject({ submitted: false, newlySubmitted: false, progress: 30 });
    // It says when the quarter's answers are collected: the first rung. Q4 progress is due 5 workdays
    // after the quarter (7 January 2027: no 2027 holidays are known, so 1 January counts); 7 workdays
    // before that is Tuesday 29 December 2026, at 09:00.
    expect(recorded.countsFrom).toEqual(at("2026-12-29", "09:00"));
    expect(await f.db.submission.findUniqueOrThrow({ where: { id: submissionId } })).toMatchObject({ submittedAt: null, acknowledgedAt: now, lastStatus: "in_progress" });
  });

  it("after the office's 催办 a progress reply counts, even before the first rung", async () => {
    const { roundId, submissionId } = await f.round({ task: "8", unit: "市场监督管理局", periodKey: "2026Q4", progress: true });
    const unitId = await f.unitId("市场监督管理局");
    await f.db.reminder.create({ data: { key: `urge-${roundId}`, kind: "urge", roundId, unitId, contactId: liaison, rung: "urge-1", dueAt: now, text: "催办", nextAttemptAt: now, state: "sent" } });
    const recorded = await recordStatus(f.db, { contactId: liaison, taskId: task8, roundId, status: "in_progress", progress: 30, source: "t", now });
    expect(recorded).toMatchObject({ submitted: true, newlySubmitted: true, countsFrom: null });
    expect((await f.db.submission.findUniqueOrThrow({ where: { id: submissionId } })).submittedAt).toEqual(now);
  });

  it("the reporting window opens with the first rung, placed within the configured working hours", async () => {
    // 2026Q3 progress is due 13 October; its first rung (7 workdays before) is Monday 28 September at 09:00.
    const { roundId, submissionId } = await f.round({ task: "8", unit: "市场监督管理局", periodKey: "2026Q3", progress: true });
    const early = at("2026-09-28", "10:00");
    const reply = { contactId: liaison, taskId: task8, roundId, status: "in_progress" as const, source: "t", now: early };
    // With WORKING_HOURS=13:00-17:00 that rung waits until 13:00: at 10:00 the window is not open yet.
    expect(await recordStatus(f.db, { ...reply, workingHours: { start: "13:00", end: "17:00" } })).toMatchObject({ submitted: false });
    expect(await recordStatus(f.db, reply)).toMatchObject({ submitted: true, newlySubmitted: true });
    expect((await f.db.submission.findUniqueOrThrow({ where: { id: submissionId } })).submittedAt).toEqual(early);
  });

  it("the office records a status for a unit (after a phone call), audited as the user", async () => {
    const { roundId, submissionId } = await f.round({ task: "8", unit: "市场监督管理局", periodKey: "2026Q3", progress: true });
    const user = await f.db.user.create({ data: { username: "clerk", role: "staff", passwordHash: "x" } });
    const unitId = await f.unitId("市场监督管理局");
    const recorded = await recordStatus(f.db, { unitId, userId: user.id, taskId: task8, roundId, status: "blocked", note: "电话：缺少检测设备", source: "console", now });
    expect(recorded).toMatchObject({ status: "blocked", submitted: true });
    const update = await f.db.statusUpdate.findUniqueOrThrow({ where: { id: recorded.statusUpdateId } });
    expect(update).toMatchObject({ contactId: null, userId: user.id, unitId, source: "console" });
    expect((await f.db.submission.findUniqueOrThrow({ where: { id: submissionId } })).submittedAt).toEqual(now);
    expect(await f.db.auditEvent.count({ where: { action: "status.record", actorType: "user", actorId: String(user.id) } })).toBe(1);
    await expect(recordStatus(f.db, { taskId: task8, status: "done", source: "console", now })).rejects.toThrow(/contactId/);
  });

  it("records a progress reply: the update, its values, the submission, 签收 and the audit log", async () => {
    const { roundId, submissionId } = await f.round({ task: "8", unit: "市场监督管理局", periodKey: "2026Q3", progress: true });
    const indicator = await f.db.indicator.findFirstOrThrow({ where: { taskId: task8, name: "国家重点管理计量器具受检率" } });
    const recorded = await recordStatus(f.db, {
      contactId: liaison,
      taskId: task8,
      roundId,
      status: "in_progress",
      progress: 60,
      note: "已完成现场检查3次",
      values: [{ indicatorId: indicator.id, value: 96.5 }],
      attachments: [{ kind: "document", telegramFileId: "FILE1", fileName: "检查记录.pdf", mimeType: "application/pdf", size: 1200 }],
      source: "telegram-button",
      now,
    });
    expect(recorded).toMatchObject({
      task: { number: "8", title: "建立和夯实城市计量基础" },
      round: { id: roundId, periodKey: "2026Q3", progressRound: true },
      status: "in_progress",
      progress: 60,
      note: "已完成现场检查3次",
      values: [{ name: "国家重点管理计量器具受检率", value: 96.5, measureUnit: "%" }],
      attachments: [{ kind: "document", fileName: "检查记录.pdf" }],
      submitted: true,
      newlySubmitted: true,
    });
    const submission = await f.db.submission.findUniqueOrThrow({ where: { id: submissionId } });
    expect(submission).toMatchObject({ submittedAt: now, acknowledgedAt: now, lastStatus: "in_progress" });
    expect(await f.db.auditEvent.count({ where: { action: "status.record", entityId: String(recorded.statusUpdateId) } })).toBe(1);
    expect(await lastReportedStatus(f.db, { unitId: await f.unitId("市场监督管理局"), taskId: task8 })).toBe("in_progress");
  });

  it("a deliverable round (task 6's analysis report) is submitted only by 已完成", async () => {
    const task6 = await f.taskId("6");
    const { roundId, submissionId } = await f.round({ task: "6", unit: "市场监督管理局", periodKey: "2026Q3", progress: false });
    const first = await recordStatus(f.db, { contactId: liaison, taskId: task6, roundId, status: "in_progress", progress: 50, source: "telegram-button", now });
    expect(first).toMatchObject({ submitted: false, newlySubmitted: false });
    expect(await f.db.submission.findUniqueOrThrow({ where: { id: submissionId } })).toMatchObject({ submittedAt: null, acknowledgedAt: now, lastStatus: "in_progress" });

    const later = new Date(now.getTime() + 3600_000);
    const amended = await amendStatusUpdate(f.db, { statusUpdateId: first.statusUpdateId, contactId: liaison, status: "done", now: later });
    expect(amended).toMatchObject({ status: "done", progress: 50, submitted: true, newlySubmitted: true });
    expect((await f.db.submission.findUniqueOrThrow({ where: { id: submissionId } })).submittedAt).toEqual(later);
  });

  it("done without a percentage means 100%", async () => {
    const { roundId } = await f.round({ task: "8", unit: "市场监督管理局", periodKey: "2026Q3", progress: true });
    expect(await recordStatus(f.db, { contactId: liaison, taskId: task8, roundId, status: "done", source: "t", now })).toMatchObject({ progress: 100 });
  });

  it("amends progress, values, note and files onto the same update", async () => {
    const { roundId } = await f.round({ task: "8", unit: "市场监督管理局", periodKey: "2026Q3", progress: true });
    const first = await recordStatus(f.db, { contactId: liaison, taskId: task8, roundId, status: "in_progress", source: "t", now });
    await amendStatusUpdate(f.db, { statusUpdateId: first.statusUpdateId, contactId: liaison, progress: 60, now });
    await amendStatusUpdate(f.db, { statusUpdateId: first.statusUpdateId, contactId: liaison, note: "第一条", now });
    const last = await amendStatusUpdate(f.db, {
      statusUpdateId: first.statusUpdateId,
      contactId: liaison,
      note: "第二条",
      attachments: [{ kind: "photo", telegramFileId: "PHOTO1" }],
      now,
    });
    expect(last).toMatchObject({ status: "in_progress", progress: 60, note: "第一条\n第二条", attachments: [{ kind: "photo", fileName: null }] });
    expect(await f.db.statusUpdate.count()).toBe(1);
  });

  it("refuses other units' tasks, rounds of another task, foreign indicators and someone else's update", async () => {
    const env = await f.addContact({ unit: "环保局", telegramUserId: "2001" });
    await expect(recordStatus(f.db, { contactId: env, taskId: task8, status: "done", source: "t", now })).rejects.toMatchObject({ code: "not-your-task" });

    const task6Round = await f.round({ task: "6", unit: "市场监督管理局", periodKey: "2026Q3", progress: true });
    await expect(recordStatus(f.db, { contactId: liaison, taskId: task8, roundId: task6Round.roundId, status: "done", source: "t", now })).rejects.toMatchObject({
      code: "round-mismatch",
    });
    const otherIndicator = await f.db.indicator.findFirstOrThrow({ where: { taskId: { not: task8 } } });
    await expect(
      recordStatus(f.db, { contactId: liaison, taskId: task8, status: "in_progress", values: [{ indicatorId: otherIndicator.id, value: 1 }], source: "t", now }),
    ).rejects.toBeInstanceOf(RecordStatusError);

    const mine = await recordStatus(f.db, { contactId: liaison, taskId: task8, status: "in_progress", source: "t", now });
    await expect(amendStatusUpdate(f.db, { statusUpdateId: mine.statusUpdateId, contactId: env, note: "x", now })).rejects.toMatchObject({ code: "not-yours" });
    expect(await f.db.statusUpdate.count()).toBe(1);
  });

  it("a member of a collective (联席会议成员单位) answers the collective's task while it is assigned", async () => {
    const env = await f.addContact({ unit: "环保局", telegramUserId: "2001" });
    const collective = await f.db.unit.create({ data: { name: "质量工作联席会议成员单位", collective: true } });
    await f.db.unitMember.create({ data: { collectiveId: collective.id, memberId: await f.unitId("环保局") } });
    await expect(recordStatus(f.db, { contactId: env, taskId: task8, status: "done", source: "t", now })).rejects.toMatchObject({ code: "not-your-task" });
    const assignment = await f.db.assignment.create({ data: { taskId: task8, unitId: collective.id, role: "support", ordinal: 9 } });
    expect(await recordStatus(f.db, { contactId: env, taskId: task8, status: "in_progress", source: "t", now })).toMatchObject({ status: "in_progress", task: { id: task8 } });
    await f.db.assignment.update({ where: { id: assignment.id }, data: { active: false } });
    await expect(recordStatus(f.db, { contactId: env, taskId: task8, status: "done", source: "t", now })).rejects.toMatchObject({ code: "not-your-task" });
  });

  it("a unit head answers for the unit", async () => {
    const head = await f.addContact({ unit: "市场监督管理局", role: "head", telegramUserId: "1002" });
    const { roundId } = await f.round({ task: "8", unit: "市场监督管理局", periodKey: "2026Q3", progress: true });
    expect(await recordStatus(f.db, { contactId: head, taskId: task8, roundId, status: "blocked", note: "缺少设备", source: "t", now })).toMatchObject({ submitted: true });
  });
});
