import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { recordStatus } from "../submissions/record-status.ts";
import { cellHistory, listTasks, taskDetail } from "./task-detail.ts";
import { at, liaisonFixture, type LiaisonFixture } from "../testing/liaison-fixture.ts";

const now = at("2026-10-12", "10:00");

describe("task detail (temporary SQLite)", () => {
  let f: LiaisonFixture;
  beforeEach(async () => {
    f = await liaisonFixture({ now });
  });
  afterEach(() => f.cleanup());

  it("gives task 8's text, lead unit, indicators with the latest value and a point per report, deadlines and history", async () => {
    const task8 = await f.taskId("8");
    const liaison = await f.addContact({ unit: "市场监督管理局", telegramUserId: "4001", name: "王" });
    const indicator = await f.db.indicator.findFirstOrThrow({ where: { taskId: task8, name: { contains: "受检率" } } });
    const q3 = await f.round({ task: "8", unit: "市场监督管理局", periodKey: "2026Q3", progress: true });
    await recordStatus(f.db, { contactId: liaison, taskId: task8, status: "in_progress", values: [{ indicatorId: indicator.id, value: 93.5 }], source: "telegram-text", now: at("2026-08-20", "10:00") });
    await recordStatus(f.db, {
      contactId: liaison,
      taskId: task8,
      roundId: q3.roundId,
      status: "done",
      values: [{ indicatorId: indicator.id, value: 96.5 }],
      note: "受检率96.5%",
      attachments: [{ kind: "document", telegramFileId: "file-1", fileName: "三季度检定台账.xlsx", size: 2048 }],
      source: "telegram-text",
      now,
    });

    const detail = await taskDetail(f.db, task8, now);
    expect(detail).toMatchObject({ number: "8", title: expect.stringContaining("计量") });
    expect(detail.body).toContain("不少于15项");
    expect(detail.units).toEqual([expect.objectContaining({ name: "市场监督管理局", role: "lead", light: "green", liaisons: 1 })]);
    const inspected = detail.indicators.find((i) => i.id === indicator.id)!;
    expect(inspected).toMatchObject({ target: 95, comparator: ">=", latest: { value: 96.5, periodKey: "2026Q3" } });
    expect(inspected.points.map((p) => [p.periodKey, p.value])).toEqual([["2026Q3", 93.5], ["2026Q3", 96.5]]);
    expect(detail.deadlines.some((d) => d.cycle === "季度进度填报" && d.rounds.some((r) => r.periodKey === "2026Q3" && r.submitted === 1))).toBe(true);
    expect(detail.history).toHaveLength(2);
    expect(detail.history[0]).toMatchObject({ status: "done", note: "受检率96.5%", periodKey: "2026Q3", contact: { name: "王" }, attachments: [expect.objectContaining({ fileName: "三季度检定台账.xlsx" })] });

    const cell = await cellHistory(f.db, { taskId: task8, unitId: await f.unitId("市场监督管理局") });
    expect(cell.history).toHaveLength(2);
    expect(cell.submissions.find((s) => s.periodKey === "2026Q3")?.submittedAt).toEqual(now);
  });

  it("refuses an unknown task", async () => {
    await expect(taskDetail(f.db, 9999, now)).rejects.toMatchObject({ code: "not-found" });
  });

  it("lists tasks with assignment ids for forms", async () => {
    const tasks = await listTasks(f.db);
    expect(tasks).toHaveLength(18);
    expect(tasks.find((t) => t.number === "6")?.assignments.map((a) => a.unit)).toEqual(["市场监督管理局", "交运局", "环保局", "住建局", "铁路公司"]);
  });
});
