import { afterEach, describe, expect, it } from "vitest";
import { FIXTURE_NOW, liaisonFixture, type LiaisonFixture, SEED_PLAN_TEXT } from "../testing/liaison-fixture.ts";
import { importPlan, previewImport } from "../plans/import-plan.ts";
import { createTask, setTaskArchived, updateTask } from "./edit-task.ts";
import { assignUnitToTask, removeUnitFromTask } from "./task-units.ts";

let fx: LiaisonFixture | null = null;
afterEach(async () => {
  await fx?.cleanup();
  fx = null;
});
const now = FIXTURE_NOW;
const audits = (action: string) => fx!.db.auditEvent.findMany({ where: { action } });

describe("task editing after import", () => {
  it("edits a task's text: stored, marked as the office's, audited with before and after; a taken number is refused", async () => {
    fx = await liaisonFixture();
    const taskId = await fx.taskId("3");
    await updateTask(fx.db, { taskId, fields: { title: "加强城市质量文化建设（修订）", deadlineText: "2027年底", leader: "张三" }, now, actor: 1 });
    const task = await fx.db.task.findUniqueOrThrow({ where: { id: taskId } });
    expect(task).toMatchObject({ title: "加强城市质量文化建设（修订）", deadlineText: "2027年底", leader: "张三", editedAt: now });
    const [audit] = await audits("task.update");
    expect(JSON.parse(audit!.detail!).changes.title).toEqual({ from: "加强城市质量文化建设", to: "加强城市质量文化建设（修订）" });
    await expect(updateTask(fx.db, { taskId, fields: { number: "4" }, now, actor: 1 })).rejects.toMatchObject({ code: "conflict" });
  });

  it("adds a task with a progress deadline, which a re-import of the same text keeps", async () => {
    fx = await liaisonFixture();
    const group = await fx.db.taskGroup.findFirstOrThrow({ orderBy: { ordinal: "desc" } });
    const { taskId } = await createTask(fx.db, { groupId: group.id, fields: { number: "19", title: "新增的任务" }, now, actor: 1 });
    const task = await fx.db.task.findUniqueOrThrow({ where: { id: taskId }, include: { deadlines: true } });
    expect(task.ordinal).toBe(18);
    expect(task.deadlines.map((d) => d.title)).toEqual(["任务19季度进度"]);
    expect(await audits("task.create")).toHaveLength(1);
    await importPlan(fx.db, SEED_PLAN_TEXT, now);
    expect(await fx.db.task.findUniqueOrThrow({ where: { id: taskId } })).toMatchObject({ active: true, title: "新增的任务", ordinal: 18 });
  });

  it("archives a task: off the board, waiting reminders cancelled, kept archived by a re-import; restorable", async () => {
    fx = await liaisonFixture();
    const taskId = await fx.taskId("5");
    await setTaskArchived(fx.db, { taskId, archived: true, now, actor: 1 });
    expect((await fx.db.task.findUniqueOrThrow({ where: { id: taskId } })).active).toBe(false);
    const preview = await previewImport(fx.db, SEED_PLAN_TEXT);
    expect(preview.changes).toEqual([]);
    expect(preview.keptEdits.map((k) => [k.task, k.archived])).toEqual([["5", true]]);
    await importPlan(fx.db, SEED_PLAN_TEXT, now);
    expect((await fx.db.task.findUniqueOrThrow({ where: { id: taskId } })).active).toBe(false);
    await setTaskArchived(fx.db, { taskId, archived: false, now, actor: 1 });
    expect((await fx.db.task.findUniqueOrThrow({ where: { id: taskId } })).active).toBe(true);
    expect((await audits("task.archive")).length + (await audits("task.restore")).length).toBe(2);
  });

  it("assigns a unit (new by name or existing), changes its role, removes it; the new unit owes the open round", async () => {
    fx = await liaisonFixture();
    const taskId = await fx.taskId("5");
    const { unitId } = await assignUnitToTask(fx.db, { taskId, unit: { name: "气象局" }, role: "support", now, actor: 1 });
    const owed = await fx.db.submission.count({ where: { unitId, round: { deadline: { taskId } } } });
    expect(owed).toBeGreaterThan(0);
    await assignUnitToTask(fx.db, { taskId, unit: { unitId }, role: "lead", now, actor: 1 });
    expect((await fx.db.assignment.findUniqueOrThrow({ where: { taskId_unitId: { taskId, unitId } } })).role).toBe("lead");
    await removeUnitFromTask(fx.db, { taskId, unitId, now, actor: 1 });
    expect((await fx.db.assignment.findUniqueOrThrow({ where: { taskId_unitId: { taskId, unitId } } })).active).toBe(false);
    expect((await audits("task.unit-add")).map((a) => JSON.parse(a.detail!).unit)).toEqual(["气象局"]);
    expect(await audits("task.unit-role")).toHaveLength(1);
    expect(await audits("task.unit-remove")).toHaveLength(1);
    await expect(removeUnitFromTask(fx.db, { taskId, unitId, now, actor: 1 })).rejects.toMatchObject({ code: "not-found" });
  });

  it("a re-import keeps the office's version of an edited task, showing the document's version beside it", async () => {
    fx = await liaisonFixture();
    const taskId = await fx.taskId("4");
    await updateTask(fx.db, { taskId, fields: { title: "办公室改过的标题" }, now, actor: 1 });
    const changed = SEED_PLAN_TEXT.replace("达到330天以上", "达到340天以上");
    const preview = await previewImport(fx.db, changed);
    expect(preview.keptEdits.map((k) => k.task)).toEqual(["4"]);
    expect(preview.keptEdits[0]!.documentTask.title).toBe("制定并实施品牌发展战略");
    expect(preview.lines.some((l) => l.startsWith("任务 4 "))).toBe(false);
    await importPlan(fx.db, changed, now);
    expect(await fx.db.task.findUniqueOrThrow({ where: { id: taskId } })).toMatchObject({ title: "办公室改过的标题", editedAt: now });
  });
});
