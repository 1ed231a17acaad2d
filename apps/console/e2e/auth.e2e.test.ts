import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "@duban/core/users/create-user";
import { signIn, startConsole, USERS, type ConsoleUnderTest } from "./harness.ts";

let c: ConsoleUnderTest;
beforeAll(async () => {
  c = await startConsole();
});
afterAll(() => c?.close());

async function boardCells(page: Page): Promise<number> {
  await page.locator("[data-testid^=cell-]").first().waitFor();
  return page.locator("[data-testid^=cell-]").count();
}

describe("signing in", () => {
  it("logs in with the right password, sees the 18 tasks on the board, and the cookie is httpOnly and SameSite=Strict", async () => {
    const { context, page, errors } = await c.newPage();
    await page.goto("/");
    await page.waitForURL(/\/login\?next=/);
    await signIn(page, USERS.admin);
    await page.waitForURL(`${c.baseUrl}/`);
    expect(await boardCells(page)).toBeGreaterThan(18);
    expect(await page.locator("[data-testid^=board-row-]").count()).toBe(18);
    const cookies = await context.cookies();
    const session = cookies.find((x) => x.name === "duban_session");
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/" });
    // Scripts cannot read it.
    expect(await page.evaluate(() => document.cookie)).not.toContain("duban_session");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("refuses a wrong password and stays on the login page", async () => {
    const { context, page } = await c.newPage();
    await page.goto("/login");
    await page.getByLabel("用户名").fill(USERS.admin.username);
    await page.getByLabel("密码").fill("not-the-password");
    await page.getByRole("button", { name: "登录" }).click();
    await expect.poll(() => page.getByTestId("login-error").textContent()).toContain("用户名或密码错误");
    expect(page.url()).toContain("/login");
    expect((await context.cookies()).some((x) => x.name === "duban_session")).toBe(false);
    const refused = await c.fx.db.loginAttempt.count({ where: { username: "admin", ok: false } });
    expect(refused).toBe(1);
    await context.close();
  });

  it("signs out: the session is gone on the server too", async () => {
    const { context, page } = await c.newPage();
    await signIn(page, USERS.staff);
    const before = await c.fx.db.session.count();
    await page.getByRole("button", { name: "退出" }).click();
    await page.waitForURL(/\/login/);
    expect(await c.fx.db.session.count()).toBe(before - 1);
    await page.goto("/rounds");
    await page.waitForURL(/\/login\?next=%2Frounds/);
    await context.close();
  });
});

describe("修改密码", () => {
  it("changes one's own password; the old one is refused afterwards and the new one signs in", async () => {
    const user = { username: "zhao", password: "zhao-password-1" };
    await createUser(c.fx.db, { ...user, role: "viewer", displayName: "赵科员", now: c.now, actor: null });
    const { context, page, errors } = await c.newPage();
    await signIn(page, user);
    await page.getByTestId("account-link").click();
    await page.waitForURL(/\/account$/);

    // Checked in the browser before anything is sent.
    await page.getByLabel("当前密码", { exact: true }).fill(user.password);
    await page.getByLabel("新密码", { exact: true }).fill("zhao-new-password-2");
    await page.getByLabel("确认新密码", { exact: true }).fill("something else");
    await page.getByTestId("change-password").click();
    await page.getByText("两次输入的新密码不一致").waitFor();

    // A wrong current password: the server refuses, in Chinese.
    await page.getByLabel("当前密码", { exact: true }).fill("not-my-password");
    await page.getByLabel("确认新密码", { exact: true }).fill("zhao-new-password-2");
    await page.getByTestId("change-password").click();
    await expect.poll(() => page.getByTestId("password-error").textContent()).toContain("当前密码不正确");

    await page.getByLabel("当前密码", { exact: true }).fill(user.password);
    await page.getByTestId("change-password").click();
    await page.getByTestId("password-changed").waitFor();
    expect(await c.fx.db.auditEvent.count({ where: { action: "auth.change-password" } })).toBe(1);

    await page.getByRole("button", { name: "退出" }).click();
    await page.waitForURL(/\/login/);
    await page.getByLabel("用户名").fill(user.username);
    await page.getByLabel("密码").fill(user.password);
    await page.getByRole("button", { name: "登录" }).click();
    await expect.poll(() => page.getByTestId("login-error").textContent()).toContain("用户名或密码错误");
    await signIn(page, { username: user.username, password: "zhao-new-password-2" });
    expect(errors).toEqual([]);
    await context.close();
  });

  it("words the server's refusals in English when the console is in English", async () => {
    const { context, page } = await c.newPage();
    await page.goto("/login");
    await page.getByTestId("switch-lang").click();
    await page.getByLabel("Username").fill("zhao");
    await page.getByLabel("Password").fill("wrong-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.getByTestId("login-error").textContent()).toBe("Wrong username or password");
    await context.close();
  });
});

describe("a viewer", () => {
  it("reads the console but is offered no edit, and the server refuses edits made anyway", async () => {
    const { context, page, errors } = await c.newPage();
    await signIn(page, USERS.viewer);
    expect(await boardCells(page)).toBeGreaterThan(18);

    await page.goto("/deadlines");
    await page.getByTestId("deadlines-table").waitFor();
    expect(await page.getByTestId("new-deadline").count()).toBe(0);
    expect(await page.getByRole("button", { name: "编辑" }).count()).toBe(0);

    await page.goto("/rounds");
    await page.getByTestId("rounds-table").locator("tbody tr.ant-table-row").first().waitFor();
    expect(await page.locator("[data-testid^=urge-]").count()).toBe(0);

    await page.goto("/import");
    await page.getByText("只读账号不能导入方案").waitFor();

    // The browser's own session calling a mutation directly: the server says no.
    const answer = await page.evaluate(async () => {
      const response = await fetch("/trpc/deadlines.archive", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ id: 1 }) });
      return { status: response.status, body: await response.text() };
    });
    expect(answer.status).toBe(403);
    expect(answer.body).toContain("只读账号不能修改");
    expect(await c.fx.db.deadline.count({ where: { active: false } })).toBe(0);

    // Admin-only pages are not in the menu.
    expect(await page.getByRole("link", { name: "用户" }).count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("switches the interface to English and back", async () => {
    const { context, page } = await c.newPage();
    await signIn(page, USERS.viewer);
    await page.getByTestId("switch-lang").click();
    await page.getByRole("link", { name: "Reporting rounds" }).waitFor();
    await page.getByRole("heading", { name: "Board" }).waitFor();
    await page.getByTestId("switch-lang").click();
    await page.getByRole("link", { name: "报送轮次" }).waitFor();
    await context.close();
  });
});
