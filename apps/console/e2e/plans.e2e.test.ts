import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importPlan } from "@duban/core/import-plan";
import { runSchedulerPass } from "@duban/core/run-scheduler-pass";
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
});
