import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_PLAN_TEXT } from "@duban/core/testing/liaison-fixture";
import { signIn, startConsole, USERS, type ConsoleUnderTest } from "./harness.ts";

let c: ConsoleUnderTest;
beforeAll(async () => {
  c = await startConsole();
});
afterAll(() => c?.close());

describe("the office corrects a plan before and after it counts", () => {
  it("in the preview: adds a task, gives it a unit and a lead, renames a unit everywhere; what it confirms is on the board", async () => {
    const { context, page, errors } = await c.newPage();
    await signIn(page, USERS.staff);
    await page.goto("/import");
    await page.getByTestId("plan-text").fill(SEED_PLAN_TEXT);
    await page.getByTestId("preview-import").click();
    await page.getByTestId("preview-task-18").waitFor();

    // A task the document lacks: no units until the office assigns them.
    await page.getByTestId("add-after-18").click();
    const dialog = page.getByRole("dialog");
    await dialog.getByTestId("draft-number").fill("19");
    await dialog.getByTestId("draft-title").fill("办公室补充的质量任务");
    await dialog.getByTestId("draft-deadline").fill("2027年6月底");
    await dialog.locator("#draft-new-unit").fill("气象局");
    await dialog.getByTestId("draft-add-unit").click(); // the first unit of a task without a lead is proposed as lead
    await dialog.locator("#draft-new-unit").fill("住建局");
    await dialog.getByTestId("draft-add-unit").click();
    await dialog.getByTestId("save-preview-task").click();
    await dialog.waitFor({ state: "detached" });
    expect(await page.getByTestId("preview-task-19").textContent()).toContain("办公室补充的质量任务");
    const row19 = page.locator("tr", { has: page.getByTestId("preview-task-19") });
    expect(await row19.textContent()).toContain("气象局（牵头）");

    // 交运局 → 交通运输局 in every task that names it.
    await page.getByTestId("rename-preview-unit-交运局").click();
    await page.getByRole("dialog").getByRole("combobox").fill("交通运输局");
    await page.getByTestId("apply-unit-rename").click();
    await page.getByTestId("rename-preview-unit-交通运输局").waitFor();
    expect(await page.getByTestId("preview-units").textContent()).not.toContain("交运局");

    await page.getByTestId("confirm-import").click();
    // Confirming opens the imported plan's board.
    await page.waitForURL(/\/plans\/\d+\/board$/);
    await page.getByTestId("task-link-19").waitFor();
    const board = await page.locator("body").textContent();
    expect(board).toContain("办公室补充的质量任务");
    expect(board).toContain("交通运输局");
    expect(board).toContain("气象局");

    const task = await c.fx.db.task.findFirstOrThrow({ where: { number: "19", active: true }, include: { assignments: { include: { unit: true }, orderBy: { ordinal: "asc" } } } });
    expect(task.assignments.map((a) => [a.unit.name, a.role])).toEqual([
      ["气象局", "lead"],
      ["住建局", "support"],
    ]);
    expect(task.deadlineText).toBe("2027年6月底");
    expect(task.editedAt).not.toBeNull();
    expect(await c.fx.db.assignment.count({ where: { active: true, unit: { name: "交运局" } } })).toBe(0);
    expect(await c.fx.db.auditEvent.count({ where: { action: "plan.reimport" } })).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  }, 240_000);

  it("edits a task after import and adds a unit to it; both audited", async () => {
    const { context, page, errors } = await c.newPage();
    await signIn(page, USERS.staff);
    const taskId = await c.fx.taskId("3");
    await page.goto(`/tasks/${taskId}`);
    await page.getByTestId("edit-task").click();
    await page.getByTestId("task-title").fill("加强城市质量文化和品牌建设");
    await page.getByTestId("task-deadline").fill("2026年12月底");
    await page.getByTestId("save-task").click();
    await page.getByTestId("task-heading").filter({ hasText: "加强城市质量文化和品牌建设" }).waitFor();
    expect(await page.getByTestId("task-deadline-text").textContent()).toBe("2026年12月底");

    await page.getByTestId("add-task-unit").click();
    await page.getByRole("dialog").getByRole("combobox").first().fill("商务局");
    await page.getByTestId("confirm-assign-unit").click();
    await page.getByRole("cell", { name: "商务局" }).waitFor();

    const task = await c.fx.db.task.findUniqueOrThrow({ where: { id: taskId } });
    expect(task).toMatchObject({ title: "加强城市质量文化和品牌建设", deadlineText: "2026年12月底" });
    expect(task.editedAt).not.toBeNull();
    expect(await c.fx.db.auditEvent.count({ where: { action: "task.update", entityId: String(taskId) } })).toBe(1);
    expect(await c.fx.db.auditEvent.count({ where: { action: "task.unit-add", entityId: String(taskId) } })).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("a viewer sees no editing controls: task, units, board and import page", async () => {
    const { context, page, errors } = await c.newPage();
    await signIn(page, USERS.viewer);
    const taskId = await c.fx.taskId("3");
    await page.goto(`/tasks/${taskId}`);
    await page.getByTestId("task-heading").waitFor();
    expect(await page.getByTestId("edit-task").count()).toBe(0);
    expect(await page.getByTestId("archive-task").count()).toBe(0);
    expect(await page.getByTestId("add-task-unit").count()).toBe(0);
    await page.goto("/units");
    await page.getByRole("cell", { name: "市场监督管理局" }).first().waitFor();
    expect(await page.locator('[data-testid^="rename-unit-"]').count()).toBe(0);
    expect(await page.locator('[data-testid^="merge-unit-"]').count()).toBe(0);
    await page.goto("/");
    await page.getByTestId("task-link-3").waitFor();
    expect(await page.getByTestId("add-task").count()).toBe(0);
    await page.goto("/import");
    await page.getByText("只读账号不能导入方案").waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});
