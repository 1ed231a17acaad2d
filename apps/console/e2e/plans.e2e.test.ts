import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importPlan } from "@duban/core/plans/import-plan";
import { runSchedulerPass } from "@duban/core/reminders/run-scheduler-pass";
import { BUSINESS_PLAN_TEXT, RIVER_PLAN_TEXT } from "@duban/core/testing/extra-plans";
import { at } from "@duban/core/testing/liaison-fixture";
import { signIn, startConsole, USERS, type ConsoleUnderTest } from "./harness.ts";

let c: ConsoleUnderTest;
let seed: number;
let business: number;
let river: number;
beforeAll(async () => {
  c = await startConsole();
  seed = (await c.fx.db.plan.findFirstOrThrow()).id;
  business = (await importPlan(c.fx.db, BUSINESS_PLAN_TEXT, at("2026-07-02", "08:00"))).planId;
  river = (await importPlan(c.fx.db, RIVER_PLAN_TEXT, at("2026-07-03", "08:00"))).planId;
  await runSchedulerPass({ db: c.fx.db, messenger: null, now: c.now });
}, 240_000);
afterAll(() => c?.close());

describe("several plans in the console", { timeout: 180_000 }, () => {
  it("the URL carries the plan; switching plans changes the board and the rounds", async () => {
    const { context, page, errors } = await c.newPage();
    await signIn(page, USERS.staff);
    await page.goto(`/plans/${business}/board`);
    await page.getByTestId("task-link-3").waitFor();
    expect(await page.locator("[data-testid^=task-link-]").count()).toBe(3);
    expect(await page.getByTestId("task-link-8").count()).toBe(0);

    await page.getByTestId("plan-switcher").selectOption(String(seed));
    await page.waitForURL(new RegExp(`/plans/${seed}/board$`));
    await page.getByTestId("task-link-8").waitFor();
    expect(await page.locator("[data-testid^=task-link-]").count()).toBeGreaterThan(10);

    await page.goto(`/plans/${business}/rounds`);
    await page.getByText("推行企业开办一网通办").first().waitFor();
    expect(await page.getByText("建立和夯实城市计量基础").count()).toBe(0);
    await page.getByTestId("plan-switcher").selectOption(String(river));
    await page.waitForURL(new RegExp(`/plans/${river}/rounds$`));
    await page.getByText("整治入河排污口").first().waitFor();
    expect(await page.getByText("推行企业开办一网通办").count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("the overview shows all three plans; archiving a plan keeps its board readable", async () => {
    const { context, page, errors } = await c.newPage();
    await signIn(page, USERS.staff);
    await page.goto("/overview");
    const plansTable = page.getByTestId("overview-plans");
    await plansTable.getByText("同江市优化营商环境工作方案").waitFor();
    for (const title of ["同江市全面推行河长制工作方案", "同江市“质量强市”创建工作方案"]) expect(await plansTable.getByText(title).count()).toBe(1);
    expect(await page.getByTestId("overview-units").getByText("市场监督管理局").count()).toBe(1);

    await page.goto("/plans");
    await page.getByTestId(`archive-plan-${river}`).click();
    // Archiving cancels waiting reminders: it is confirmed first.
    await page.getByTestId(`confirm-archive-plan-${river}`).click();
    await page.getByTestId(`restore-plan-${river}`).waitFor();
    expect((await c.fx.db.plan.findUniqueOrThrow({ where: { id: river } })).archivedAt).not.toBeNull();

    await page.goto(`/plans/${river}/board`);
    await page.getByTestId("task-link-3").waitFor();
    await page.goto("/overview");
    await page.getByTestId("overview-plans").getByText("同江市优化营商环境工作方案").waitFor();
    expect(await page.getByTestId("overview-plans").getByText("同江市全面推行河长制工作方案").count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("old links open the default plan's page; tasks and deadlines carry the plan; the switcher keeps the page kind", async () => {
    const { context, page, errors } = await c.newPage();
    await signIn(page, USERS.staff);
    // The river plan was archived above: the default plan is the newest active import.
    await page.goto("/deadlines");
    await page.waitForURL(new RegExp(`/plans/${business}/deadlines$`));
    const table = page.getByTestId("deadlines-table");
    await table.getByText("推行企业开办一网通办").first().waitFor();
    expect(await table.getByText("建立和夯实城市计量基础").count()).toBe(0);
    await page.getByTestId("plan-switcher").selectOption(String(seed));
    await page.waitForURL(new RegExp(`/plans/${seed}/deadlines$`));
    await table.getByText("建立和夯实城市计量基础").first().waitFor();
    expect(await table.getByText("推行企业开办一网通办").count()).toBe(0);

    await page.goto("/rounds");
    await page.waitForURL(new RegExp(`/plans/${business}/rounds$`));

    const seedTask = (await c.fx.db.task.findFirstOrThrow({ where: { planId: seed, number: "8" } })).id;
    await page.goto(`/tasks/${seedTask}`);
    await page.waitForURL(new RegExp(`/plans/${seed}/tasks/${seedTask}$`));
    await page.getByTestId("task-heading").getByText("建立和夯实城市计量基础").waitFor();
    // From a task page, switching goes to the other plan's task list (its board).
    await page.getByTestId("plan-switcher").selectOption(String(business));
    await page.waitForURL(new RegExp(`/plans/${business}/board$`));
    await page.getByTestId("task-link-1").click();
    await page.waitForURL(new RegExp(`/plans/${business}/tasks/\\d+$`));
    await page.getByTestId("task-heading").getByText("推行企业开办一网通办").waitFor();
    // A task under another plan's path is refused, not shown.
    await page.goto(`/plans/${business}/tasks/${seedTask}`);
    await page.getByText(`任务 ${seedTask} 不属于方案 ${business}`).waitFor();
    expect(await page.getByTestId("task-heading").count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("a unit's page lists its tasks of every plan with role, light and due date", async () => {
    const { context, page, errors } = await c.newPage();
    await signIn(page, USERS.viewer);
    const sma = (await c.fx.db.unit.findUniqueOrThrow({ where: { name: "市场监督管理局" } })).id;
    await page.goto("/units");
    await page.getByTestId(`unit-link-${sma}`).click();
    await page.waitForURL(new RegExp(`/units/${sma}$`));
    await page.getByTestId("unit-heading").getByText("市场监督管理局").waitFor();
    const businessCard = page.getByTestId(`unit-plan-${business}`);
    await businessCard.getByText("推行企业开办一网通办").waitFor();
    expect(await businessCard.getByText("牵头").count()).toBeGreaterThan(0);
    expect(await businessCard.locator("[data-light]").count()).toBe(1);
    expect(await page.getByTestId(`unit-plan-${seed}`).getByText("建立和夯实城市计量基础").count()).toBe(1);
    expect(await page.getByTestId(`unit-plan-${river}`).count()).toBe(0);
    await page.getByTestId(`unit-task-${business}-1`).click();
    await page.waitForURL(new RegExp(`/plans/${business}/tasks/\\d+$`));
    expect(errors).toEqual([]);
    await context.close();
  });

  it("the import page updates the matched plan or adds one, and opens that plan's board", async () => {
    const { context, page, errors } = await c.newPage();
    await signIn(page, USERS.staff);
    await page.goto("/import");
    await page.getByTestId("plan-text").fill(BUSINESS_PLAN_TEXT);
    await page.getByTestId("preview-import").click();
    const targetText = page.getByTestId("import-target-text");
    await targetText.getByText("将更新已有方案《同江市优化营商环境工作方案》").waitFor();
    await page.getByTestId("import-target").click();
    await page.locator(".ant-select-item-option").getByText("新建方案").click();
    await targetText.getByText("将新建一个方案").waitFor();
    await page.getByTestId("import-target").click();
    await page.locator(".ant-select-item-option").getByText("同江市优化营商环境工作方案（同政办发〔2026〕11号） · 文号/标题相同").click();
    await targetText.getByText("将更新已有方案《同江市优化营商环境工作方案》").waitFor();
    const before = await c.fx.db.plan.count();
    await page.getByTestId("confirm-import").click();
    await page.waitForURL(new RegExp(`/plans/${business}/board$`));
    await page.getByTestId("task-link-3").waitFor();
    expect(await c.fx.db.plan.count()).toBe(before);

    await page.goto("/import");
    await page.getByTestId("plan-text").fill(BUSINESS_PLAN_TEXT);
    await page.getByTestId("preview-import").click();
    await targetText.getByText("将更新已有方案").waitFor();
    // A correction made before changing the target survives the new preview and is imported.
    await page.locator('[data-testid^="add-after-"]').last().click();
    const dialog = page.getByRole("dialog");
    await dialog.getByTestId("draft-number").fill("99");
    await dialog.getByTestId("draft-title").fill("办公室补充的营商任务");
    await dialog.locator("#draft-new-unit").fill("气象局");
    await dialog.getByTestId("draft-add-unit").click();
    await dialog.getByTestId("save-preview-task").click();
    await page.getByTestId("preview-task-99").waitFor();
    await page.getByTestId("import-target").click();
    await page.locator(".ant-select-item-option").getByText("新建方案").click();
    await targetText.getByText("将新建一个方案").waitFor();
    expect(await page.getByTestId("preview-task-99").textContent()).toContain("办公室补充的营商任务");
    await page.getByTestId("confirm-import").click();
    await page.waitForURL((url) => /^\/plans\/\d+\/board$/.test(url.pathname) && url.pathname !== `/plans/${business}/board`);
    const added = Number(/\/plans\/(\d+)\//.exec(new URL(page.url()).pathname)![1]);
    expect(await c.fx.db.plan.count()).toBe(before + 1);
    expect((await c.fx.db.plan.findUniqueOrThrow({ where: { id: added } })).docNumber).toBe("同政办发〔2026〕11号");
    expect(await c.fx.db.task.count({ where: { planId: added, number: "99", title: "办公室补充的营商任务" } })).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });
});
