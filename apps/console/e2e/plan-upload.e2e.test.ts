import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_PLAN_TEXT } from "@duban/core/testing/liaison-fixture";
import { planDocx } from "@duban/core/testing/plan-document-fixtures";
import { signIn, startConsole, USERS, type ConsoleUnderTest } from "./harness.ts";

let c: ConsoleUnderTest;
beforeAll(async () => {
  c = await startConsole();
});
afterAll(() => c?.close());

describe("uploading a plan file on the import page", () => {
  it("a .docx dropped on the page fills the text and previews its tasks; a PDF is refused with a clear message", async () => {
    const { context, page, errors } = await c.newPage();
    await signIn(page, USERS.staff);
    await page.goto("/import");
    const input = page.locator('input[type="file"]');

    await input.setInputFiles({ name: "方案.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.7\n") });
    const refusal = page.getByTestId("plan-file-error");
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain("暂不支持PDF 文件。请另存为 Word 文档（.docx）");
    expect(await page.getByTestId("plan-text").inputValue()).toBe("");

    // The seed plan as Word paragraphs, with task 8's inspection target raised so the preview shows a change.
    const changed = SEED_PLAN_TEXT.replace("国家重点管理计量器具受检率达到95%以上", "国家重点管理计量器具受检率达到98%以上");
    const docx = await planDocx(changed.split("\n"));
    await input.setInputFiles({ name: "同江市质量强市方案.docx", mimeType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", buffer: Buffer.from(docx) });
    await page.getByText("已读取 同江市质量强市方案.docx").waitFor();
    expect(await refusal.count()).toBe(0);
    expect(await page.getByTestId("plan-text").inputValue()).toContain("国家重点管理计量器具受检率达到98%以上");

    await page.getByTestId("preview-import").click();
    const summary = page.getByTestId("import-summary");
    await summary.waitFor();
    expect(await summary.textContent()).toMatch(/6 个分组 · 18 项任务 · \d+ 个单位 · \d+ 项指标/);
    expect(await page.getByTestId("import-diff").textContent()).toContain("98");
    // The editable task list has the document's tasks with their units.
    const row = page.locator("tr", { has: page.getByTestId("preview-task-8") });
    await row.waitFor();
    expect(await row.textContent()).toContain("建立和夯实城市计量基础");
    expect(await row.textContent()).toContain("市场监督管理局");
    // Upload and preview write nothing.
    const indicator = await c.fx.db.indicator.findFirstOrThrow({ where: { name: { contains: "受检率" } } });
    expect(indicator.value).toBe(95);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("a .docx with a task that names no unit: the office assigns it a lead in the preview, maps a unit name onto an existing unit, confirms, and the board shows it", async () => {
    const { context, page, errors } = await c.newPage();
    await signIn(page, USERS.staff);
    await page.goto("/import");
    const docx = await planDocx([
      "某市质量基础设施建设工作方案",
      "某政办发〔2026〕9号",
      "一、重点任务",
      "1.完善计量检定体系。加快建设社会公用计量标准。（牵头单位：市市场监管局；配合单位：市发展改革委）",
      "2.推进质量基础设施一站式服务。在各区设立服务站点。",
      "3.加强品牌建设。（牵头单位：市市场监管局；配合单位：市商务局）",
    ]);
    await page.locator('input[type="file"]').setInputFiles({ name: "质量基础设施方案.docx", mimeType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", buffer: Buffer.from(docx) });
    await page.getByText("已读取 质量基础设施方案.docx").waitFor();
    await page.getByTestId("preview-import").click();
    await page.getByTestId("preview-task-2").waitFor();
    // The parser's warning names the task without units.
    expect(await page.getByTestId("preview-warnings").textContent()).toContain("推进质量基础设施一站式服务");

    // Task 2 gets its lead unit (an existing one).
    await page.getByTestId("edit-preview-task-2").click();
    const dialog = page.getByRole("dialog");
    await dialog.locator("#draft-new-unit").fill("住建局");
    await dialog.getByTestId("draft-add-unit").click();
    await dialog.getByTestId("save-preview-task").click();
    await dialog.waitFor({ state: "detached" });
    const row2 = page.locator("tr", { has: page.getByTestId("preview-task-2") });
    expect(await row2.textContent()).toContain("住建局（牵头）");

    // 市市场监管局 is the unit the office already has as 市场监督管理局.
    await page.getByTestId("rename-preview-unit-市市场监管局").click();
    await page.getByRole("dialog").getByRole("combobox").fill("市场监督管理局");
    await page.getByTestId("apply-unit-rename").click();
    await page.getByTestId("rename-preview-unit-市场监督管理局").waitFor();

    await page.getByTestId("confirm-import").click();
    // Confirming opens the imported plan's board.
    await page.waitForURL(/\/plans\/\d+\/board$/);
    await page.getByText("推进质量基础设施一站式服务").first().waitFor();

    const plan = await c.fx.db.plan.findFirstOrThrow({ where: { docNumber: "某政办发〔2026〕9号" } });
    const tasks = await c.fx.db.task.findMany({ where: { planId: plan.id, active: true }, orderBy: { ordinal: "asc" }, include: { assignments: { where: { active: true }, include: { unit: true }, orderBy: { ordinal: "asc" } } } });
    expect(tasks.map((t) => [t.number, t.assignments.map((a) => [a.unit.name, a.role])])).toEqual([
      ["1", [["市场监督管理局", "lead"], ["市发展改革委", "support"]]],
      ["2", [["住建局", "lead"]]],
      ["3", [["市场监督管理局", "lead"], ["市商务局", "support"]]],
    ]);
    expect(await c.fx.db.unit.count({ where: { name: "市市场监管局" } })).toBe(0);
    // The seed plan is still there, untouched: this document is a plan of its own.
    expect(await c.fx.db.plan.count()).toBe(2);
    expect(errors).toEqual([]);
    await context.close();
  }, 240_000);
});
