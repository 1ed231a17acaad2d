import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { shortPlanTitle } from "@duban/domain/short-title";
import { coordinateBlocker } from "./coordinate-blocker.ts";
import { decideExtension, listExtensionQueue } from "./extensions.ts";
import { importPlan } from "../plans/import-plan.ts";
import { archivePlan } from "../plans/plans.ts";
import { recordStatus } from "./record-status.ts";
import { requestExtension } from "./request-extension.ts";
import { grantScoreExemption } from "../scores/score-exemptions.ts";
import { BUSINESS_PLAN_TEXT } from "../testing/extra-plans.ts";
import { at, liaisonFixture, type LiaisonFixture } from "../testing/liaison-fixture.ts";
import { createUser } from "../users/create-user.ts";

const now = at("2026-10-12", "10:00");

describe("延期与协调 across plans (temporary SQLite)", () => {
  let f: LiaisonFixture;
  let office: number;
  let liaison: number;
  let seedPlan: number;
  let businessPlan: number;
  let roundId: number;
  let submissionId: number;
  beforeEach(async () => {
    f = await liaisonFixture({ now });
    office = (await createUser(f.db, { username: "office", password: "office password", role: "staff", now, actor: null })).id;
    liaison = await f.addContact({ unit: "市场监督管理局", telegramUserId: "5001", name: "周联络" });
    ({ roundId, submissionId } = await f.round({ task: "1", unit: "市场监督管理局", periodKey: "2026Q3", progress: true }));
    seedPlan = (await f.db.plan.findFirstOrThrow()).id;
    businessPlan = (await importPlan(f.db, BUSINESS_PLAN_TEXT, now, { actorType: "system" }, { newPlan: true })).planId;
    // The same liaison reports a difficulty in each plan.
    for (const planId of [seedPlan, businessPlan]) {
      const task = await f.db.task.findFirstOrThrow({ where: { planId, number: "1" } });
      await recordStatus(f.db, { contactId: liaison, taskId: task.id, status: "blocked", note: `困难${planId}`, source: "telegram-text", now });
    }
  });
  afterEach(() => f.cleanup());

  it("names each item's plan, filters by plan, and leaves an archived plan's difficulties out", async () => {
    await requestExtension(f.db, { contactId: liaison, roundId, reason: "等待检测报告", now });
    const seed = await f.db.plan.findUniqueOrThrow({ where: { id: seedPlan } });
    const all = await listExtensionQueue(f.db);
    expect(all.pending.map((r) => r.plan)).toEqual([{ id: seedPlan, title: seed.title, shortTitle: shortPlanTitle(seed.title) }]);
    expect(all.blocked.map((b) => [b.plan.id, b.note]).sort()).toEqual([
      [seedPlan, `困难${seedPlan}`],
      [businessPlan, `困难${businessPlan}`],
    ].sort());

    const business = await listExtensionQueue(f.db, { planId: businessPlan });
    expect(business.pending).toEqual([]);
    expect(business.blocked.map((b) => b.note)).toEqual([`困难${businessPlan}`]);
    await expect(listExtensionQueue(f.db, { planId: 999_999 })).rejects.toMatchObject({ code: "not-found" });

    await archivePlan(f.db, { planId: businessPlan, now, actor: { actorType: "user", actorId: office } });
    expect((await listExtensionQueue(f.db)).blocked.map((b) => b.plan.id)).toEqual([seedPlan]);
  });

  it("refuses to decide, coordinate or exempt what belongs to another plan than the one asked about, and changes nothing", async () => {
    const { extensionRequestId } = await requestExtension(f.db, { contactId: liaison, roundId, reason: "等待检测报告", now });
    await expect(decideExtension(f.db, { id: extensionRequestId, planId: businessPlan, decision: "reject", reason: "不予延期" }, now, office)).rejects.toMatchObject({ code: "not-found" });
    expect((await f.db.extensionRequest.findUniqueOrThrow({ where: { id: extensionRequestId } })).state).toBe("pending");

    const [seedFlag] = (await listExtensionQueue(f.db, { planId: seedPlan })).blocked;
    await expect(coordinateBlocker(f.db, { statusUpdateId: seedFlag!.statusUpdateId, planId: businessPlan, note: "已协调" }, now, office)).rejects.toMatchObject({ code: "not-found" });
    expect((await f.db.statusUpdate.findUniqueOrThrow({ where: { id: seedFlag!.statusUpdateId } })).coordinatedAt).toBeNull();

    await expect(grantScoreExemption(f.db, { submissionId, planId: businessPlan, reason: "不可抗力", userId: office, now })).rejects.toMatchObject({ code: "not-found" });
    expect(await f.db.scoreExemption.count()).toBe(0);

    // Asked about the right plan, each goes through, and what the liaison is told names the plan.
    const short = shortPlanTitle((await f.db.plan.findUniqueOrThrow({ where: { id: seedPlan } })).title);
    await decideExtension(f.db, { id: extensionRequestId, planId: seedPlan, decision: "approve", newDueDate: "2026-10-30" }, now, office);
    await coordinateBlocker(f.db, { statusUpdateId: (await listExtensionQueue(f.db, { planId: businessPlan })).blocked[0]!.statusUpdateId, planId: businessPlan, note: "已联系供电公司" }, now, office);
    await grantScoreExemption(f.db, { submissionId, planId: seedPlan, reason: "不可抗力", userId: office, now });
    const texts = (await f.db.reminder.findMany({ where: { kind: "decision" }, orderBy: { id: "asc" } })).map((r) => r.text);
    expect(texts).toHaveLength(2);
    expect(texts[0]).toContain(`《${short}》任务1`);
    const businessShort = shortPlanTitle((await f.db.plan.findUniqueOrThrow({ where: { id: businessPlan } })).title);
    expect(texts[1]).toContain(`《${businessShort}》任务1`);
    expect(await f.db.scoreExemption.count()).toBe(1);
  });
});
