import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { recordStatus } from "../submissions/record-status.ts";
import { requestExtension } from "../submissions/request-extension.ts";
import { coordinateBlocker } from "../submissions/coordinate-blocker.ts";
import { createUser } from "../users/create-user.ts";
import { at, FIXTURE_NOW, liaisonFixture, type LiaisonFixture } from "../testing/liaison-fixture.ts";
import { archivePlan } from "../plans/plans.ts";
import { officeAlerts } from "./office-alerts.ts";

describe("office alerts (temporary SQLite)", () => {
  let f: LiaisonFixture;
  beforeEach(async () => {
    f = await liaisonFixture();
  });
  afterEach(() => f.cleanup());

  it("counts pending extensions and open 有困难 — a blocker coordinated or answered by a later report no longer counts", async () => {
    const now = FIXTURE_NOW;
    const env = await f.addContact({ unit: "环保局", telegramUserId: "7001" });
    const water = await f.addContact({ unit: "水务局", telegramUserId: "7002" });
    const market = await f.addContact({ unit: "市场监督管理局", telegramUserId: "7003" });
    const task16 = await f.taskId("16");
    const task12 = await f.taskId("12");
    const round = await f.round({ task: "16", unit: "环保局", periodKey: "2026Q3", progress: true });
    await requestExtension(f.db, { contactId: env, roundId: round.roundId, reason: "数据待省厅反馈", now });
    // Open: the unit's latest word is 有困难.
    await recordStatus(f.db, { contactId: water, taskId: task16, status: "blocked", note: "资金缺口", source: "telegram-text", now });
    // Answered by a later report.
    await recordStatus(f.db, { contactId: market, taskId: task12, status: "blocked", note: "人手不足", source: "telegram-text", now });
    await recordStatus(f.db, { contactId: market, taskId: task12, status: "in_progress", progress: 50, source: "telegram-text", now });
    // Coordinated by the office.
    const office = (await createUser(f.db, { username: "office", password: "office password", role: "staff", now, actor: null })).id;
    const coordinated = await recordStatus(f.db, { contactId: env, taskId: task16, status: "blocked", note: "设备故障", source: "telegram-text", now });
    await coordinateBlocker(f.db, { statusUpdateId: coordinated.statusUpdateId, note: "已协调维修" }, now, office);

    const alerts = await officeAlerts(f.db, { now, since: null });
    expect(alerts.counts).toMatchObject({ pendingExtensions: 1, openBlockers: 1, extensionsAndBlockers: 2 });
    expect(alerts.sinceLastVisit).toBeNull();
  });

  it("counts red cells (owed and past due) and unreachable liaisons, and lists what falls due this week", async () => {
    const before = await officeAlerts(f.db, { now: FIXTURE_NOW, since: null });
    expect(before.counts.redCells).toBe(0);
    // The 2026Q3 progress rounds fall due this week, one line per round with how many units still owe it.
    expect(before.dueThisWeek.length).toBeGreaterThan(0);
    const task8 = await f.taskId("8");
    const item = before.dueThisWeek.find((d) => d.taskId === task8 && d.periodKey === "2026Q3");
    const owedOnTask8 = await f.db.submission.count({ where: { roundId: item?.roundId, submittedAt: null } });
    expect(item?.owed).toBe(owedOnTask8);
    expect(before.dueThisWeek.map((d) => d.dueAt.getTime())).toEqual([...before.dueThisWeek.map((d) => d.dueAt.getTime())].sort((a, b) => a - b));

    const market = await f.addContact({ unit: "市场监督管理局", telegramUserId: "7003" });
    await f.db.contact.update({ where: { id: market }, data: { status: "blocked", unreachableAt: FIXTURE_NOW } });
    // A week later every unsubmitted 2026Q3 submission is past due: one red cell per task × unit.
    const later = at("2026-10-20", "10:00");
    const owed = await f.db.submission.findMany({ where: { submittedAt: null, dueAt: { lt: later } }, select: { unitId: true, round: { select: { deadline: { select: { taskId: true } } } } } });
    const expected = new Set(owed.map((s) => `${s.round.deadline.taskId}:${s.unitId}`)).size;
    expect(expected).toBeGreaterThan(0);
    // One unit reports on task 8: its cell leaves the red count.
    const round = await f.round({ task: "8", unit: "市场监督管理局", periodKey: "2026Q3", progress: true });
    await recordStatus(f.db, { contactId: market, taskId: task8, roundId: round.roundId, status: "done", source: "telegram-text", now: at("2026-10-13", "10:00") });
    const after = await officeAlerts(f.db, { now: later, since: null });
    expect(after.counts.redCells).toBe(expected - 1);
    expect(after.counts.unreachableContacts).toBe(1);

    // Archiving the plan takes its red cells and due rounds off the office's alerts.
    const plan = await f.db.plan.findFirstOrThrow();
    await archivePlan(f.db, { planId: plan.id, now: later, actor: { actorType: "system", actorId: "test" } });
    const archived = await officeAlerts(f.db, { now: later, since: null });
    expect(archived.counts.redCells).toBe(0);
    expect((await officeAlerts(f.db, { now: FIXTURE_NOW, since: null })).dueThisWeek).toEqual([]);
  });

  it("says what came in since the last visit: liaisons' reports and extension requests, newest first", async () => {
    const env = await f.addContact({ unit: "环保局", telegramUserId: "7001" });
    const task16 = await f.taskId("16");
    await recordStatus(f.db, { contactId: env, taskId: task16, status: "in_progress", progress: 20, source: "telegram-text", now: at("2026-10-10", "10:00") });
    const lastVisit = at("2026-10-11", "09:00");
    await recordStatus(f.db, { contactId: env, taskId: task16, status: "in_progress", progress: 60, note: "已完成脱硫改造", source: "telegram-text", now: at("2026-10-12", "09:00") });
    const round = await f.round({ task: "16", unit: "环保局", periodKey: "2026Q3", progress: true });
    await requestExtension(f.db, { contactId: env, roundId: round.roundId, reason: "监测数据待反馈", now: at("2026-10-12", "09:30") });

    const alerts = await officeAlerts(f.db, { now: FIXTURE_NOW, since: lastVisit });
    expect(alerts.sinceLastVisit).toMatchObject({ reports: 1, extensionRequests: 1 });
    expect(alerts.sinceLastVisit?.recent.map((r) => [r.unit.name, r.progress, r.note])).toEqual([["环保局", 60, "已完成脱硫改造"]]);
  });
});
