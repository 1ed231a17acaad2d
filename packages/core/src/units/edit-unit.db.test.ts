import { afterEach, describe, expect, it } from "vitest";
import { FIXTURE_NOW, liaisonFixture, type LiaisonFixture } from "../testing/liaison-fixture.ts";
import { mergeUnit, renameUnit } from "./edit-unit.ts";

let fx: LiaisonFixture | null = null;
afterEach(async () => {
  await fx?.cleanup();
  fx = null;
});
const now = FIXTURE_NOW;

describe("unit editing", () => {
  it("renames a unit everywhere, audited; a name another unit has is refused", async () => {
    fx = await liaisonFixture();
    const unitId = await fx.unitId("交运局");
    await renameUnit(fx.db, { unitId, name: "交通运输局", now, actor: 1 });
    expect((await fx.db.unit.findUniqueOrThrow({ where: { id: unitId } })).name).toBe("交通运输局");
    const [audit] = await fx.db.auditEvent.findMany({ where: { action: "unit.rename" } });
    expect(JSON.parse(audit!.detail!)).toEqual({ from: "交运局", to: "交通运输局" });
    await expect(renameUnit(fx.db, { unitId, name: "住建局", now, actor: 1 })).rejects.toMatchObject({ code: "conflict" });
  });

  it("merges a unit into another: contacts, assignments, submissions, history and reminders follow; shared tasks and rounds fold into one", async () => {
    fx = await liaisonFixture();
    const source = await fx.unitId("环保局");
    const target = await fx.unitId("住建局");
    const contactId = await fx.addContact({ unit: "环保局", telegramUserId: "777" });
    const task16 = await fx.taskId("16");
    await fx.db.statusUpdate.create({ data: { taskId: task16, unitId: source, contactId, status: "in_progress", source: "bot" } });
    // Task 6: both support; the source's round answered, the target's not.
    const s6 = await fx.round({ task: "6", unit: "环保局", periodKey: "2026Q3", progress: true });
    const t6 = await fx.round({ task: "6", unit: "住建局", periodKey: "2026Q3", progress: true });
    const answeredAt = new Date(now.getTime() - 3600_000);
    await fx.db.submission.update({ where: { id: s6.submissionId }, data: { submittedAt: answeredAt, lastStatus: "in_progress" } });
    const reminder = await fx.db.reminder.create({ data: { key: "merge-test", kind: "ladder", roundId: s6.roundId, unitId: source, rung: "T-3", dueAt: now, text: "x", nextAttemptAt: now } });
    const sourceTasks = await fx.db.assignment.count({ where: { unitId: source } });
    const shared = await fx.db.assignment.count({ where: { unitId: source, task: { assignments: { some: { unitId: target } } } } });
    const targetBefore = await fx.db.assignment.count({ where: { unitId: target } });

    const detail = await mergeUnit(fx.db, { unitId: source, intoUnitId: target, now, actor: 1 });

    expect(await fx.db.unit.findUnique({ where: { id: source } })).toBeNull();
    expect((await fx.db.contact.findUniqueOrThrow({ where: { id: contactId } })).unitId).toBe(target);
    expect(await fx.db.statusUpdate.count({ where: { unitId: target, taskId: task16 } })).toBe(1);
    expect(await fx.db.assignment.count({ where: { unitId: target } })).toBe(targetBefore + sourceTasks - shared);
    expect(shared).toBeGreaterThan(0);
    expect(detail.foldedAssignments).toBe(shared);
    // One submission per round: the target's, carrying the source's earlier answer.
    expect(await fx.db.submission.findUnique({ where: { id: s6.submissionId } })).toBeNull();
    expect(await fx.db.submission.findUniqueOrThrow({ where: { id: t6.submissionId } })).toMatchObject({ submittedAt: answeredAt, lastStatus: "in_progress" });
    expect(await fx.db.reminder.findUniqueOrThrow({ where: { id: reminder.id } })).toMatchObject({ unitId: target, state: "cancelled" });
    const [audit] = await fx.db.auditEvent.findMany({ where: { action: "unit.merge" } });
    expect(JSON.parse(audit!.detail!)).toMatchObject({ from: "环保局", into: "住建局", contacts: 1, statusUpdates: 1, reminders: 1 });
    await expect(mergeUnit(fx.db, { unitId: target, intoUnitId: target, now, actor: 1 })).rejects.toMatchObject({ code: "conflict" });
  });
});
