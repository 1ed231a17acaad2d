import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeAudit } from "@duban/core/audit/audit";
import type { Page } from "playwright-core";
import { signIn, startConsole, USERS, type ConsoleUnderTest } from "./harness.ts";

let c: ConsoleUnderTest;
beforeAll(async () => {
  c = await startConsole();
});
afterAll(() => c?.close());

const HAN = /[\u4e00-\u9fff]/;

async function toEnglish(page: Page) {
  await page.getByTestId("switch-lang").click();
  await page.getByRole("link", { name: "Reporting rounds" }).waitFor();
}

describe("the console in English", () => {
  it("words every deadline rule in English, on the deadlines page and the task page", async () => {
    const { context, page, errors } = await c.newPage();
    await signIn(page, USERS.staff);
    await toEnglish(page);
    await page.goto("/deadlines");
    const rules = page.locator("[data-testid^=deadline-rule-]");
    await rules.first().waitFor();
    const texts = await rules.allTextContents();
    expect(texts.length).toBeGreaterThan(0);
    for (const text of texts) expect(text).not.toMatch(HAN);
    // The seed plan's quarterly progress rounds ("每季度结束后…个工作日内" in Chinese).
    expect(texts.some((text) => /^within \d+ workdays? after each quarter ends \d\d:\d\d$/.test(text))).toBe(true);

    const deadline = await c.fx.db.deadline.findFirstOrThrow({ where: { active: true, kind: "quarterly" } });
    await page.goto(`/tasks/${deadline.taskId}`);
    const taskRules = page.locator("[data-testid^=task-deadline-rule-]");
    await taskRules.first().waitFor();
    for (const text of await taskRules.allTextContents()) expect(text).not.toMatch(HAN);
    expect(await page.getByTestId(`task-deadline-rule-${deadline.id}`).textContent()).toMatch(/after each quarter ends/);

    // Back in Chinese, the same rule reads as before.
    await page.getByTestId("switch-lang").click();
    await page.getByText(/每季度结束后\d+个工作日内/).first().waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows the audit log's stored instants in Shanghai time, never UTC, in both languages", async () => {
    // A 17:30 Shanghai deadline extended by a week, and a reminder snoozed to 09:00 Shanghai: stored as UTC instants.
    await writeAudit(c.fx.db, {
      actorType: "user",
      action: "extension.approve",
      entity: "ExtensionRequest",
      entityId: 901,
      detail: { unit: "环保局", oldDueAt: new Date("2027-01-14T09:30:00Z"), newDueAt: new Date("2027-01-21T09:30:00Z"), notified: 1 },
      at: c.now,
    });
    await writeAudit(c.fx.db, { actorType: "contact", action: "reminder.snooze", entity: "Reminder", entityId: 902, detail: { roundId: 1, until: new Date("2027-01-15T01:00:00Z") }, at: c.now });

    const { context, page, errors } = await c.newPage();
    await signIn(page, USERS.staff);
    await page.goto("/audit");
    await page.getByText("原截止：2027-01-14 17:30；新截止：2027-01-21 17:30").waitFor();
    await page.getByText("推迟到：2027-01-15 09:00").waitFor();

    await toEnglish(page);
    await page.getByText("old due: 2027-01-14 17:30; new due: 2027-01-21 17:30").waitFor();
    await page.getByText("until: 2027-01-15 09:00").waitFor();
    expect(await page.getByText(/UTC/).count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("an unknown route", () => {
  it("shows a 404 page, not the board, with a way back to the board", async () => {
    const { context, page, errors } = await c.newPage();
    await signIn(page, USERS.viewer);
    await page.goto("/nonexistent");
    await page.getByTestId("not-found").waitFor();
    await page.getByText("页面不存在").waitFor();
    expect(new URL(page.url()).pathname).toBe("/nonexistent");
    expect(await page.getByTestId("board-table").count()).toBe(0);

    await toEnglish(page);
    await page.getByText("This page does not exist").waitFor();
    await page.getByTestId("not-found-home").click();
    await page.getByRole("heading", { name: "Board" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/");
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("the site icon", () => {
  it("is served at /favicon.ico and /favicon.svg, and the page links it", async () => {
    const ico = await fetch(`${c.baseUrl}/favicon.ico`);
    expect(ico.status).toBe(200);
    const bytes = new Uint8Array(await ico.arrayBuffer());
    // An ICO file: reserved 0, type 1 (icon).
    expect([...bytes.slice(0, 4)]).toEqual([0, 0, 1, 0]);
    const svg = await fetch(`${c.baseUrl}/favicon.svg`);
    expect(svg.status).toBe(200);
    expect(await svg.text()).toContain("<svg");

    const { context, page } = await c.newPage();
    await page.goto("/login");
    expect(await page.locator('link[rel="icon"]').getAttribute("href")).toBe("/favicon.svg");
    await context.close();
  });
});
