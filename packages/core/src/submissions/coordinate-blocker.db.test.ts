import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadBoard } from "../board/board.ts";
import { coordinateBlocker } from "./coordinate-blocker.ts";
import { listExtensionQueue } from "./extensions.ts";
import { recordStatus } from "./record-status.ts";
import { cellHistory } from "../board/task-detail.ts";
import { createUser } from "../users/create-user.ts";
import { at, liaisonFixture, type LiaisonFixture } from "../testing/liaison-fixture.ts";

const now = at("2026-10-12", "10:00");
const later = at("2026-10-12", "15:00");

describe("有困难 → 已协调 (temporary SQLite)", () => {
  let f: LiaisonFixture;
  let office: number;
  let liaison: number;
  let task13: number;
  let agriculture: number;
  let roundId: number;
  beforeEach(async () => {
    f = await liaisonFixture({ now });
    office = (await createUser(f.db, { username: "office", password: "office password", role: "staff", displayName: "王主任", now, actor: null })).id;
    liaison = await f.addContact({ unit: "农业局", telegramUserId: "6001", name: "李联络" });
    task13 = await f.taskId("13");
    agriculture = await f.unitId("农业局");
    ({ roundId } = await f.round({ task: "13", unit: "农业局", periodKey: "2026Q3", progress: true }));
  });
  afterEach(() => f.cleanup());

  const cellOf = async (when: Date) => {
    const board = await loadBoard(f.db, when);
    return board.rows.find((r) => r.taskId === task13)!.cells.find((c) => c.unitId === agriculture)!;
  };

  it("takes the flag off the queue and the light, tells the liaison who raised it, and audits it", async () => {
    const reported = await recordStatus(f.db, { contactId: liaison, taskId: task13, roundId, status: "blocked", progress: 40, note: "抽检经费未落实", source: "telegram-text", now });
    // The Q3 report is in and Q4 is months away, yet yellow: the difficulty waits for the office.
    expect(await cellOf(now)).toMatchObject({ light: "yellow", status: "blocked", coordinated: false });
    expect((await listExtensionQueue(f.db)).blocked.map((b) => b.statusUpdateId)).toEqual([reported.statusUpdateId]);

    const result = await coordinateBlocker(f.db, { statusUpdateId: reported.statusUpdateId, note: "已协调财政局，经费本月下达" }, later, office);
    expect(result).toMatchObject({ statusUpdateId: reported.statusUpdateId, notified: 1 });

    const queue = await listExtensionQueue(f.db);
    expect(queue.blocked).toEqual([]);
    expect(queue.coordinated).toEqual([
      expect.objectContaining({ statusUpdateId: reported.statusUpdateId, coordinationNote: "已协调财政局，经费本月下达", coordinatedBy: "王主任", note: "抽检经费未落实" }),
    ]);
    // The unit's own status stays as reported; only the light lets go.
    expect(await cellOf(later)).toMatchObject({ light: "green", status: "blocked", coordinated: true });

    const message = await f.db.reminder.findFirstOrThrow({ where: { kind: "decision" } });
    expect(message).toMatchObject({ contactId: liaison, unitId: agriculture, roundId, state: "pending", rung: "decision" });
    expect(message.text).toContain("【协调结果】");
    expect(message.text).toContain("任务13");
    expect(message.text).toContain("2026年第三季度");
    expect(message.text).toContain("已协调财政局，经费本月下达");
    expect(message.dueAt).toEqual(later);

    const audit = await f.db.auditEvent.findFirstOrThrow({ where: { action: "blocker.coordinate" } });
    expect(audit).toMatchObject({ actorType: "user", actorId: String(office), entity: "StatusUpdate", entityId: String(reported.statusUpdateId) });

    const history = await cellHistory(f.db, { taskId: task13, unitId: agriculture });
    expect(history.history[0]).toMatchObject({ status: "blocked", coordinationNote: "已协调财政局，经费本月下达" });
  });

  it("a new 有困难 after coordination is a new flag", async () => {
    const first = await recordStatus(f.db, { contactId: liaison, taskId: task13, roundId, status: "blocked", note: "经费未落实", source: "telegram-text", now });
    await coordinateBlocker(f.db, { statusUpdateId: first.statusUpdateId, note: "已协调" }, now, office);
    const second = await recordStatus(f.db, { contactId: liaison, taskId: task13, status: "blocked", note: "检测机构仍未确定", source: "telegram-text", now: later });
    const queue = await listExtensionQueue(f.db);
    expect(queue.blocked.map((b) => b.statusUpdateId)).toEqual([second.statusUpdateId]);
    expect(queue.coordinated).toEqual([]);
    expect((await cellOf(later)).light).toBe("yellow");
  });

  it("refuses a second coordination, a report that is not 有困难, a superseded one, and an empty note", async () => {
    const blocked = await recordStatus(f.db, { contactId: liaison, taskId: task13, roundId, status: "blocked", note: "经费未落实", source: "telegram-text", now });
    await expect(coordinateBlocker(f.db, { statusUpdateId: blocked.statusUpdateId, note: "  " }, now, office)).rejects.toThrow("请填写协调结果");
    await coordinateBlocker(f.db, { statusUpdateId: blocked.statusUpdateId, note: "已协调" }, now, office);
    await expect(coordinateBlocker(f.db, { statusUpdateId: blocked.statusUpdateId, note: "再次" }, now, office)).rejects.toMatchObject({ code: "already-coordinated" });

    const progress = await recordStatus(f.db, { contactId: liaison, taskId: task13, status: "in_progress", progress: 50, source: "telegram-button", now: later });
    await expect(coordinateBlocker(f.db, { statusUpdateId: progress.statusUpdateId, note: "x" }, later, office)).rejects.toMatchObject({ code: "not-blocked" });

    const old = await recordStatus(f.db, { contactId: liaison, taskId: task13, status: "blocked", note: "旧的困难", source: "telegram-text", now: at("2026-10-13", "09:00") });
    await recordStatus(f.db, { contactId: liaison, taskId: task13, status: "in_progress", source: "telegram-button", now: at("2026-10-13", "10:00") });
    await expect(coordinateBlocker(f.db, { statusUpdateId: old.statusUpdateId, note: "x" }, later, office)).rejects.toMatchObject({ code: "superseded" });
    await expect(coordinateBlocker(f.db, { statusUpdateId: 999_999, note: "x" }, later, office)).rejects.toMatchObject({ code: "not-found" });
    expect(await f.db.reminder.count({ where: { kind: "decision" } })).toBe(1);
  });

  it("when the reporter is gone, tells the unit's active liaisons, each in their language", async () => {
    const blocked = await recordStatus(f.db, { contactId: liaison, taskId: task13, status: "blocked", note: "经费未落实", source: "telegram-text", now });
    await f.db.contact.update({ where: { id: liaison }, data: { status: "revoked" } });
    const zh = await f.addContact({ unit: "农业局", telegramUserId: "6002", name: "赵联络" });
    const en = await f.addContact({ unit: "农业局", telegramUserId: "6003", name: "Zhou", language: "en" });
    await f.addContact({ unit: "农业局", role: "head", telegramUserId: "6004", name: "局长" });
    const result = await coordinateBlocker(f.db, { statusUpdateId: blocked.statusUpdateId, note: "财政局已同意" }, now, office);
    expect(result.notified).toBe(2);
    const messages = await f.db.reminder.findMany({ where: { kind: "decision" }, orderBy: { contactId: "asc" } });
    expect(messages.map((m) => m.contactId)).toEqual([zh, en]);
    expect(messages[1]!.text).toMatch(/^The office has coordinated the difficulty your unit reported on task 13/);
    // No round: nothing about a period.
    expect(messages[0]!.text).not.toContain("季度");
  });
});
