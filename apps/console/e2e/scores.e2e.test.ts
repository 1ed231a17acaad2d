import { readFile } from "node:fs/promises";
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { loadBoard } from "@duban/core/board/board";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeScores } from "@duban/core/scores/compute-scores";
import { at } from "@duban/core/testing/liaison-fixture";
import { signIn, startConsole, USERS, type ConsoleUnderTest } from "./harness.ts";

let c: ConsoleUnderTest;
beforeAll(async () => {
  c = await startConsole();
  const { fx } = c;
  // Two of 交运局's 2026Q3 rounds were due on 30 September (before 国庆): it sent 任务6's on
  // 12 October (8–10 and 12 October are workdays, 10 October a make-up Saturday: 4 workdays late)
  // and never sent 任务14's.
  const dueAt = at("2026-09-30", "17:30");
  for (const task of ["6", "14"]) {
    const { roundId } = await fx.round({ task, unit: "交运局", periodKey: "2026Q3", progress: true });
    await fx.db.round.update({ where: { id: roundId }, data: { dueAt } });
    await fx.db.submission.updateMany({ where: { roundId }, data: { dueAt } });
  }
  const late = await fx.round({ task: "6", unit: "交运局", periodKey: "2026Q3", progress: true });
  await fx.db.submission.update({ where: { id: late.submissionId }, data: { submittedAt: c.now } });
});
afterAll(() => c?.close());

describe("the 考核 ranking page", () => {
  it("ranks units with the rule's figures, drills down to a late item, and staff grant an audited exemption", async () => {
    const { fx, now } = c;
    const before = await computeScores(fx.db, { year: 2026, now });
    const traffic = before.units.find((u) => u.unit === "交运局")!;
    const lateItem = before.items.find((i) => i.unit === "交运局" && i.outcome === "late")!;
    const missingItem = before.items.find((i) => i.unit === "交运局" && i.outcome === "missing")!;
    expect(lateItem.workdaysLate).toBe(4);

    const { context, page, errors } = await c.newPage();
    await signIn(page, USERS.staff);
    await page.getByRole("link", { name: "考核排名" }).click();
    await page.waitForURL(/\/scores/);
    await page.goto("/scores?year=2026");
    const row = page.getByTestId(`score-row-${traffic.unitId}`);
    await row.waitFor();
    expect(await page.getByTestId(`score-${traffic.unitId}`).textContent()).toBe(String(traffic.score));
    // Ranked as the use case ranks: the first row is the best score.
    expect(await page.locator("[data-testid^=score-row-]").first().getAttribute("data-testid")).toBe(`score-row-${before.units[0]!.unitId}`);
    // The charts render (ECharts draws into a canvas).
    await page.getByTestId("score-rate-chart").locator("canvas").waitFor();
    await page.getByTestId("score-trend-chart").locator("canvas").waitFor();

    await row.locator(".ant-table-row-expand-icon").click();
    expect(await page.getByTestId(`score-item-${lateItem.submissionId}`).textContent()).toBe(`逾期 ${lateItem.workdaysLate} 个工作日`);
    await page.getByTestId(`exempt-${missingItem.submissionId}`).click();
    await page.getByTestId("exempt-reason").fill("机构调整期间由上级统一报送");
    await page.getByTestId("exempt-confirm").click();
    await expect.poll(() => page.getByTestId(`score-exempt-${traffic.unitId}`).textContent(), { timeout: 10_000 }).toBe(String(traffic.exempt + 1));

    const after = await computeScores(fx.db, { year: 2026, now });
    const trafficAfter = after.units.find((u) => u.unit === "交运局")!;
    expect(trafficAfter.missing).toBe(traffic.missing - 1);
    await expect.poll(() => page.getByTestId(`score-${traffic.unitId}`).textContent()).toBe(String(trafficAfter.score));
    const audit = await fx.db.auditEvent.findFirstOrThrow({ where: { action: "score.exempt", entityId: String(missingItem.submissionId) } });
    expect(audit.detail).toContain("机构调整期间由上级统一报送");

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("score-xlsx").click()]);
    expect(download.suggestedFilename()).toBe("考核排名_2026.xlsx");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile((await download.path())!);
    const ranked: string[] = [];
    workbook.getWorksheet("考核排名")!.eachRow((r) => {
      const v = (r.values as unknown[]).slice(1);
      if (typeof v[0] === "number") ranked.push(`${v[1]}:${v[11] ?? ""}`);
    });
    expect(ranked).toEqual(after.units.map((u) => `${u.unit}:${u.score ?? ""}`));
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);

  it("a viewer sees the ranking but cannot exempt or change the rule", async () => {
    const { context, page, errors } = await c.newPage();
    await signIn(page, USERS.viewer);
    await page.goto("/scores?year=2026");
    await page.locator("[data-testid^=score-row-]").first().waitFor();
    await page.getByTestId("score-rule").waitFor();
    const traffic = await c.fx.unitId("交运局");
    await page.getByTestId(`score-row-${traffic}`).locator(".ant-table-row-expand-icon").click();
    await page.getByTestId(`score-items-${traffic}`).waitFor();
    expect(await page.locator("[data-testid^=exempt-]").count()).toBe(0);
    expect(await page.getByTestId("score-rule-edit").count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);

  it("an admin changes the rule and the scores follow it", async () => {
    const { context, page, errors } = await c.newPage();
    await signIn(page, USERS.admin);
    await page.goto("/scores?year=2026");
    await page.getByTestId("score-rule-edit").click();
    await page.getByTestId("rule-missing").fill("0");
    await page.getByTestId("rule-late").fill("0");
    await page.getByRole("button", { name: /确\s*定|OK/ }).last().click();
    await expect.poll(() => page.getByTestId("score-rule").textContent(), { timeout: 10_000 }).toContain("每项未报 0 分");
    const scores = await computeScores(c.fx.db, { year: 2026, now: c.now });
    expect(scores.rule).toEqual({ latePenaltyPerWorkday: 0, latePenaltyCapWorkdays: 5, missingPenalty: 0 });
    const first = scores.units[0]!;
    await expect.poll(() => page.getByTestId(`score-${first.unitId}`).textContent()).toBe(String(first.score ?? "—"));
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});

describe("plan-wide reports from the rounds page", () => {
  it("downloads the period's 台账 of every task × unit and the city-wide analysis draft, with the board's figures", async () => {
    const board = await loadBoard(c.fx.db, c.now);
    const { context, page, errors } = await c.newPage();
    await signIn(page, USERS.viewer);
    await page.goto("/rounds?period=2026Q3");
    const [xlsx] = await Promise.all([page.waitForEvent("download"), page.getByTestId("plan-xlsx").click()]);
    expect(xlsx.suggestedFilename()).toMatch(/^工作台账_2026Q3_方案\d+\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile((await xlsx.path())!);
    let rows = 0;
    workbook.getWorksheet("台账")!.eachRow((r) => {
      if (typeof (r.values as unknown[])[1] === "number") rows++;
    });
    expect(rows).toBe(board.counts.total);

    const [docx] = await Promise.all([page.waitForEvent("download"), page.getByTestId("plan-docx").click()]);
    const zip = await JSZip.loadAsync(await readFile((await docx.path())!));
    const text = ((await zip.file("word/document.xml")?.async("string")) ?? "").replace(/<[^>]+>/g, "");
    expect(text).toContain("2026年第三季度质量分析报告（草稿）");
    expect(text).toContain(`红灯 ${board.counts.red} 项、黄灯 ${board.counts.yellow} 项、绿灯 ${board.counts.green} 项`);
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});
