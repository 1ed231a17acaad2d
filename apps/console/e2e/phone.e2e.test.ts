import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { signIn, startConsole, USERS, type ConsoleUnderTest } from "./harness.ts";

let c: ConsoleUnderTest;
beforeAll(async () => {
  c = await startConsole();
});
afterAll(() => c?.close());

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };

/** Every page of the admin's menu, by its menu label, with something each page shows once loaded. */
const PAGES: { label: string; path: string }[] = [
  { label: "跨方案总览", path: "/overview" },
  { label: "方案", path: "/plans" },
  { label: "考核排名", path: "/scores" },
  { label: "单位与联络员", path: "/units" },
  { label: "时间节点与提醒", path: "/deadlines" },
  { label: "报送轮次", path: "/rounds" },
  { label: "延期与协调", path: "/extensions" },
  { label: "通知", path: "/notices" },
  { label: "导入方案", path: "/import" },
  { label: "日历", path: "/calendar" },
  { label: "审计日志", path: "/audit" },
  { label: "用户", path: "/users" },
  { label: "总览", path: "/" },
];

/** Per-plan pages open under the plan (/deadlines → /plans/1/deadlines, 总览 → /plans/1/board): that path, if `pathname` is one. */
function onPlan(path: string, pathname: string): string | null {
  const match = /^\/plans\/\d+/.exec(pathname);
  return match && ["/", "/deadlines", "/rounds"].includes(path) ? `${match[0]}${path === "/" ? "/board" : path}` : null;
}

/** How far the page scrolls sideways as a whole (0 when it fits the screen). */
async function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

async function settle(page: Page) {
  await page.waitForLoadState("networkidle");
  await page.locator(".page-loading").waitFor({ state: "detached" });
}

describe("the console on a phone (390×844)", () => {
  it("reaches every page through the menu drawer, and no page is wider than the screen", async () => {
    const { context, page, errors } = await c.newPage({ viewport: PHONE, touch: true });
    await signIn(page, USERS.admin);
    // The menu is hidden until the menu button opens it.
    const nav = page.getByTestId("app-nav");
    expect(await nav.evaluate((el) => el.getBoundingClientRect().right)).toBeLessThanOrEqual(0);
    for (const { label, path } of PAGES) {
      await page.getByTestId("nav-toggle").tap();
      // The link's name is its icon's, its label and any count on it ("dashboard 总览 3").
      const link = nav.getByRole("link", { name: new RegExp(`(^|\\s)${label}( \\d+\\+?)?$`) });
      await link.waitFor();
      // The drawer's links have readable labels, not blank icons.
      const box = await link.boundingBox();
      expect(box?.width ?? 0).toBeGreaterThan(120);
      await link.tap();
      await page.waitForURL((url) => url.pathname === path || url.pathname === onPlan(path, url.pathname));
      await settle(page);
      // Navigating closes the drawer.
      await expect.poll(() => nav.evaluate((el) => el.getBoundingClientRect().right)).toBeLessThanOrEqual(0);
      expect(await sidewaysOverflow(page), `${path} scrolls sideways`).toBeLessThanOrEqual(0);
    }
    // The task page and the account page too.
    const task = await c.fx.db.task.findFirstOrThrow({ where: { number: "8" } });
    for (const path of [`/tasks/${task.id}`, "/account"]) {
      await page.goto(path);
      await settle(page);
      expect(await sidewaysOverflow(page), `${path} scrolls sideways`).toBeLessThanOrEqual(0);
    }
    expect(errors).toEqual([]);
    await context.close();
  });

  it("keeps the header on one line and lets a board cell be tapped", async () => {
    const { context, page, errors } = await c.newPage({ viewport: PHONE, touch: true });
    await signIn(page, USERS.staff);
    const header = page.locator(".app-header");
    expect((await header.boundingBox())?.height).toBeLessThanOrEqual(60);
    await page.getByTestId("board-table").waitFor();
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    // The unit columns scroll inside the board's own box; the task column stays.
    const scroller = page.locator(".board-scroll");
    const scrolls = await scroller.evaluate((el) => el.scrollWidth > el.clientWidth);
    expect(scrolls).toBe(true);
    const cell = page.locator("[data-testid^=cell-]").last();
    await cell.scrollIntoViewIfNeeded();
    await cell.tap();
    await page.locator(".ant-drawer").getByText("进展记录").waitFor();
    // The drawer fits the screen. Its slide-in transform can leave a sub-pixel
    // width (390.00001) while it settles, so whole pixels are compared.
    const drawer = page.locator(".ant-drawer-content-wrapper");
    await expect
      .poll(async () => Math.round((await drawer.boundingBox())?.width ?? 999))
      .toBeLessThanOrEqual(PHONE.width);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("on a desktop (1440×900) shows the menu beside the page and no menu button", async () => {
    const { context, page } = await c.newPage({ viewport: DESKTOP });
    await signIn(page, USERS.admin);
    expect(await page.getByTestId("nav-toggle").isVisible()).toBe(false);
    const nav = await page.getByTestId("app-nav").boundingBox();
    expect(nav?.x).toBe(0);
    expect(nav?.width).toBeGreaterThan(150);
    await page.getByRole("link", { name: "报送轮次" }).click();
    await page.waitForURL((url) => onPlan("/rounds", url.pathname) === url.pathname);
    await settle(page);
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    await context.close();
  });

  it("does not offer 导入方案 to a read-only user", async () => {
    const { context, page } = await c.newPage({ viewport: DESKTOP });
    await signIn(page, USERS.viewer);
    await page.getByRole("link", { name: "报送轮次" }).waitFor();
    expect(await page.getByRole("link", { name: "导入方案" }).count()).toBe(0);
    await context.close();
  });
});
