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
    // The task list (folded while there are changes to show) has the document's tasks with their units.
    await page.getByTestId("import-preview").getByText("任务 (18)").click();
    const row = page.getByRole("row", { name: /建立和夯实城市计量基础/ });
    await row.waitFor();
    expect(await row.textContent()).toContain("市场监督管理局");
    // Upload and preview write nothing.
    const indicator = await c.fx.db.indicator.findFirstOrThrow({ where: { name: { contains: "受检率" } } });
    expect(indicator.value).toBe(95);
    expect(errors).toEqual([]);
    await context.close();
  });
});
