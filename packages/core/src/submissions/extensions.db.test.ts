import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { shanghaiDate } from "@duban/domain/calendar";
import { createUser } from "../users/create-user.ts";
import { decideExtension, listExtensionQueue } from "./extensions.ts";
import { recordStatus } from "./record-status.ts";
import { requestExtension } from "./request-extension.ts";
import { at, liaisonFixture, type LiaisonFixture } from "../testing/liaison-fixture.ts";

const now = at("2026-10-12", "10:00");

describe("延期与协调 (temporary SQLite)", () => {
  let f: LiaisonFixture;
  let office: number;
  let liaison: number;
  let roundId: number;
  let submissionId: number;
  beforeEach(async () => {
    f = await liaisonFixture({ now });
    office = (await createUser(f.db, { username: "office", password: "office password", role: "staff", now, actor: null })).id;
    liaison = await f.addContact({ unit: "环保局", telegramUserId: "5001", name: "周联络" });
    ({ roundId, submissionId } = await f.round({ task: "16", unit: "环保局", periodKey: "2026Q3", progress: true }));
  });
  afterEach(() => f.cleanup());

  it("queues requests and 有困难 flags for the office", async () => {
    await requestExtension(f.db, { contactId: liaison, roundId, reason: "监测数据需等省厅反馈", now });
    const task9 = await f.taskId("9");
    const other = await f.addContact({ unit: "农业局", telegramUserId: "5002" });
    await recordStatus(f.db, { contactId: other, taskId: task9, status: "blocked", note: "认证机构未确定", source: "telegram-text", now });
    const queue = await listExtensionQueue(f.db);
    expect(queue.pending).toHaveLength(1);
    expect(queue.pending[0]).toMatchObject({ state: "pending", reason: "监测数据需等省厅反馈", unit: { name: "环保局" }, periodKey: "2026Q3", contact: "周联络" });
    expect(queue.blocked.map((b) => [b.task.number, b.unit.name, b.note])).toEqual([["9", "农业局", "认证机构未确定"]]);
  });

  it("approves with a new due date for that unit only, cancels stale rungs, and tells the liaison", async () => {
    const { extensionRequestId } = await requestExtension(f.db, { contactId: liaison, roundId, reason: "监测数据需等省厅反馈", now });
    const round = await f.db.round.findUniqueOrThrow({ where: { id: roundId } });
    await f.db.reminder.create({ data: { key: "stale", kind: "reminder", roundId, unitId: (await f.unitId("环保局")), contactId: liaison, rung: "due", dueAt: now, text: "x", nextAttemptAt: now } });

    const result = await decideExtension(f.db, { id: extensionRequestId, decision: "approve", newDueDate: "2026-10-30", reason: "请务必按期报送" }, now, office);
    expect(result).toMatchObject({ state: "approved", notified: 1 });
    const submission = await f.db.submission.findUniqueOrThrow({ where: { id: submissionId } });
    expect(shanghaiDate(submission.dueAt)).toBe("2026-10-30");
    // The round's own due date stays on record.
    expect((await f.db.round.findUniqueOrThrow({ where: { id: roundId } })).dueAt).toEqual(round.dueAt);
    expect((await f.db.reminder.findUniqueOrThrow({ where: { key: "stale" } })).state).toBe("cancelled");

    const decision = await f.db.reminder.findFirstOrThrow({ where: { kind: "decision" } });
    expect(decision).toMatchObject({ contactId: liaison, state: "pending", roundId });
    expect(decision.text).toContain("已批准");
    expect(decision.text).toContain("2026-10-30");
    expect(decision.text).toContain("请务必按期报送");
    expect(await f.db.auditEvent.count({ where: { action: "extension.approve", actorId: String(office) } })).toBe(1);
    await expect(decideExtension(f.db, { id: extensionRequestId, decision: "reject", reason: "再议" }, now, office)).rejects.toMatchObject({ code: "already-decided" });
  });

  it("an approved extension coordinates the unit's 有困难 on that task, so it leaves the queue; a rejected one does not", async () => {
    const task16 = await f.taskId("16");
    const { extensionRequestId } = await requestExtension(f.db, { contactId: liaison, roundId, reason: "监测设备故障，数据延后", now });
    await recordStatus(f.db, { contactId: liaison, taskId: task16, roundId, status: "blocked", note: "监测设备故障，数据延后", source: "telegram-text", now });
    expect((await listExtensionQueue(f.db)).blocked.map((b) => b.unit.name)).toEqual(["环保局"]);

    await decideExtension(f.db, { id: extensionRequestId, decision: "approve", newDueDate: "2026-10-30", reason: "设备修复后报送" }, now, office);
    const queue = await listExtensionQueue(f.db);
    expect(queue.blocked).toEqual([]);
    expect(queue.coordinated.map((b) => [b.unit.name, b.coordinationNote, b.coordinatedBy])).toEqual([["环保局", "已批准延期至 2026-10-30：设备修复后报送", "office"]]);

    // A rejection leaves the difficulty for the office to coordinate.
    const other = await f.addContact({ unit: "水务局", telegramUserId: "5003" });
    const farm = await f.round({ task: "16", unit: "水务局", periodKey: "2026Q3", progress: true });
    const rejected = await requestExtension(f.db, { contactId: other, roundId: farm.roundId, reason: "缺少经费", now });
    await recordStatus(f.db, { contactId: other, taskId: task16, roundId: farm.roundId, status: "blocked", note: "缺少经费", source: "telegram-text", now });
    await decideExtension(f.db, { id: rejected.extensionRequestId, decision: "reject", reason: "请按期报送" }, now, office);
    expect((await listExtensionQueue(f.db)).blocked.map((b) => b.unit.name)).toEqual(["水务局"]);
  });

  it("rejects only with a reason, which goes back to the liaison; the due date stays", async () => {
    const { extensionRequestId } = await requestExtension(f.db, { contactId: liaison, roundId, reason: "人手不足" , now });
    const before = (await f.db.submission.findUniqueOrThrow({ where: { id: submissionId } })).dueAt;
    await expect(decideExtension(f.db, { id: extensionRequestId, decision: "reject", reason: " " }, now, office)).rejects.toThrow();
    await decideExtension(f.db, { id: extensionRequestId, decision: "reject", reason: "节点为市政府要求，不能延后" }, now, office);
    expect((await f.db.submission.findUniqueOrThrow({ where: { id: submissionId } })).dueAt).toEqual(before);
    const decision = await f.db.reminder.findFirstOrThrow({ where: { kind: "decision" } });
    expect(decision.text).toContain("未获批准");
    expect(decision.text).toContain("节点为市政府要求，不能延后");
    const queue = await listExtensionQueue(f.db);
    expect(queue.pending).toEqual([]);
    expect(queue.decided[0]).toMatchObject({ state: "rejected", decidedBy: "office" });
  });

  it("refuses a new date that is not later than the current one", async () => {
    const { extensionRequestId } = await requestExtension(f.db, { contactId: liaison, roundId, reason: "人手不足", now });
    await expect(decideExtension(f.db, { id: extensionRequestId, decision: "approve", newDueDate: "2026-10-01", reason: "" }, now, office)).rejects.toMatchObject({ code: "bad-date" });
  });
});
