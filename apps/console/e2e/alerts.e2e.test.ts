import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordStatus } from "@duban/core/submissions/record-status";
import { requestExtension } from "@duban/core/submissions/request-extension";
import { signIn, startConsole, USERS, type ConsoleUnderTest } from "./harness.ts";

let c: ConsoleUnderTest;
beforeAll(async () => {
  c = await startConsole();
});
afterAll(() => c?.close());

describe("alerts for the office", { timeout: 120_000 }, () => {
  it("counts what waits on the menu, and the 今日 panel on sign-in shows what is due this week and what came in since the last visit", async () => {
    const { fx, now } = c;
    const { context, page, errors } = await c.newPage();
    await signIn(page, USERS.staff);
    // First sign-in: the panel lists this week's rounds; there is no previous visit yet.
    const panel = page.getByTestId("today-panel");
    await panel.waitFor();
    await panel.getByTestId("today-due").getByRole("link").first().waitFor();
    expect(await panel.getByTestId("today-since").count()).toBe(0);
    expect(await page.getByTestId("menu-badge-extensions").count()).toBe(0);
    await panel.getByTestId("close-today").click();
    await panel.waitFor({ state: "detached" });

    // A liaison asks for an extension and another reports a difficulty.
    const liaison = await fx.addContact({ unit: "交运局", telegramUserId: "8901", name: "钱联络" });
    const round = await fx.round({ task: "14", unit: "交运局", periodKey: "2026Q3", progress: true });
    await requestExtension(fx.db, { contactId: liaison, roundId: round.roundId, reason: "验收资料待补齐", now: new Date(now.getTime() + 60_000) });
    const other = await fx.addContact({ unit: "水务局", telegramUserId: "8902" });
    await recordStatus(fx.db, { contactId: other, taskId: await fx.taskId("16"), status: "blocked", note: "资金缺口", source: "telegram-text", now: new Date(now.getTime() + 120_000) });

    // The next visit (a new browser session of the same browser) sees the counts and what came in.
    const again = await context.newPage();
    await again.goto("/");
    await again.getByTestId("current-user").waitFor();
    await again.evaluate(() => sessionStorage.clear());
    await again.evaluate(() => localStorage.setItem("duban.last-visit", new Date(Date.parse("2026-10-12T01:00:00Z")).toISOString()));
    await again.reload();
    const badge = again.getByTestId("menu-badge-extensions");
    await badge.waitFor();
    expect(await badge.textContent()).toBe("2");
    const since = again.getByTestId("today-since");
    await since.waitFor();
    expect(await since.textContent()).toContain("新收到进展 1 条，延期申请 1 件");
    await again.getByTestId("today-panel").getByText("资金缺口").waitFor();
    // The bell closes and reopens it.
    await again.getByTestId("open-today").click();
    await again.getByTestId("today-panel").waitFor({ state: "detached" });
    await again.getByTestId("open-today").click();
    await again.getByTestId("today-panel").waitFor();
    // Deciding one in the console lowers the count at once, not at the menu's next minute refresh.
    await again.getByTestId("app-nav").getByRole("link", { name: /延期与协调/ }).click();
    await again.getByRole("row", { name: /验收资料待补齐/ }).getByRole("button", { name: "驳回" }).click();
    const dialog = again.getByRole("dialog", { name: "不予延期" });
    await dialog.getByTestId("extension-note").fill("请按原期限报送");
    await dialog.getByRole("button", { name: "OK" }).or(dialog.getByRole("button", { name: "确定" })).click();
    await dialog.waitFor({ state: "hidden" });
    await expect.poll(() => badge.textContent(), { timeout: 5_000 }).toBe("1");
    expect(errors).toEqual([]);
    await context.close();
  });
});
