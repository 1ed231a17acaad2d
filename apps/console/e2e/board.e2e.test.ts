import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordStatus } from "@duban/core/submissions/record-status";
import { signIn, startConsole, USERS, type ConsoleUnderTest } from "./harness.ts";

let c: ConsoleUnderTest;
beforeAll(async () => {
  c = await startConsole();
});
afterAll(() => c?.close());

describe("the board", () => {
  it("shows a status recorded through the API within seconds, with the right light, without a reload", async () => {
    const { fx, now } = c;
    const task8 = await fx.taskId("8");
    const task13 = await fx.taskId("13");
    const market = await fx.unitId("市场监督管理局");
    const agriculture = await fx.unitId("农业局");
    const marketLiaison = await fx.addContact({ unit: "市场监督管理局", telegramUserId: "9001", name: "王联络" });
    const agricultureLiaison = await fx.addContact({ unit: "农业局", telegramUserId: "9002", name: "李联络" });

    const { context, page, errors } = await c.newPage();
    await signIn(page, USERS.staff);
    const cell8 = page.getByTestId(`cell-${task8}-${market}`);
    const cell13 = page.getByTestId(`cell-${task13}-${agriculture}`);
    // 2026-10-12: the 2026Q3 progress round is due within 3 workdays and nobody has answered yet.
    await expect.poll(() => cell8.getAttribute("data-light")).toBe("yellow");
    expect(await cell13.getAttribute("data-light")).toBe("yellow");
    await page.locator("[data-testid=count-green]").waitFor();
    const greenBefore = Number(await page.getByTestId("count-green").textContent());

    // A liaison answers in chat (the bot calls recordStatus): done for task 8.
    const q3task8 = await fx.round({ task: "8", unit: "市场监督管理局", periodKey: "2026Q3", progress: true });
    await recordStatus(fx.db, { contactId: marketLiaison, taskId: task8, roundId: q3task8.roundId, status: "done", note: "计量检测项目已达16项", source: "telegram-button", now });
    // Another reports difficulty on task 13: submitted for the progress round, but flagged.
    const q3task13 = await fx.round({ task: "13", unit: "农业局", periodKey: "2026Q3", progress: true });
    await recordStatus(fx.db, { contactId: agricultureLiaison, taskId: task13, roundId: q3task13.roundId, status: "blocked", progress: 40, note: "抽检经费未落实，需要协调", source: "telegram-text", now });

    await expect.poll(() => cell8.getAttribute("data-light"), { timeout: 12_000 }).toBe("green");
    expect(await cell8.getAttribute("data-status")).toBe("done");
    await expect.poll(() => cell13.getAttribute("data-status"), { timeout: 12_000 }).toBe("blocked");
    expect(await cell13.getAttribute("data-light")).toBe("yellow");
    expect(Number(await page.getByTestId("count-green").textContent())).toBe(greenBefore + 1);

    // The light filter keeps the green cell only.
    await page.getByTestId("count-green").click();
    await page.waitForURL(/light=green/);
    await expect.poll(() => page.locator("[data-testid^=cell-]").count()).toBe(greenBefore + 1);

    // Clicking the cell opens its history.
    await cell8.click();
    await page.getByText("计量检测项目已达16项").waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it("the office enters a unit's status from the cell's drawer (代为填报), and the light changes", async () => {
    const { fx } = c;
    const task12 = await fx.taskId("12");
    const environment = await fx.unitId("环保局");
    const { roundId, submissionId } = await fx.round({ task: "12", unit: "环保局", periodKey: "2026Q3", progress: true });

    const { context, page, errors } = await c.newPage();
    await signIn(page, USERS.staff);
    const cell = page.getByTestId(`cell-${task12}-${environment}`);
    await expect.poll(() => cell.getAttribute("data-light")).toBe("yellow");
    await cell.click();
    await page.getByTestId("office-status-open").click();
    const dialog = page.getByRole("dialog", { name: /代为填报/ });
    // The round the unit is being chased for is offered first.
    await dialog.getByText(/2026年第三季度 任务12季度进度/).waitFor();
    await dialog.getByText("已完成", { exact: true }).click();
    await dialog.getByTestId("office-status-note").fill("10月12日电话确认：专项整治已完成");
    await dialog.getByTestId("office-status-save").click();

    await page.getByTestId("office-status-recorded").waitFor();
    expect(await page.getByTestId("office-status-recorded").textContent()).toContain("已完成");
    await expect.poll(() => cell.getAttribute("data-light"), { timeout: 12_000 }).toBe("green");
    expect(await cell.getAttribute("data-status")).toBe("done");
    await page.locator(".ant-drawer").getByText("办公室代为填报（staff）").first().waitFor();

    const staff = await fx.db.user.findUniqueOrThrow({ where: { username: "staff" } });
    const update = await fx.db.statusUpdate.findFirstOrThrow({ where: { taskId: task12, unitId: environment }, orderBy: { id: "desc" } });
    expect(update).toMatchObject({ status: "done", source: "console", userId: staff.id, contactId: null, roundId, note: "10月12日电话确认：专项整治已完成" });
    expect((await fx.db.submission.findUniqueOrThrow({ where: { id: submissionId } })).submittedAt).not.toBeNull();
    expect(await fx.db.auditEvent.count({ where: { action: "status.record", actorType: "user", actorId: String(staff.id), entityId: String(update.id) } })).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("offers a viewer no status entry", async () => {
    const { context, page } = await c.newPage();
    await signIn(page, USERS.viewer);
    const task12 = await c.fx.taskId("12");
    const environment = await c.fx.unitId("环保局");
    await page.getByTestId(`cell-${task12}-${environment}`).click();
    await page.locator(".ant-drawer").getByText("进展记录").waitFor();
    expect(await page.getByTestId("office-status-open").count()).toBe(0);
    await page.goto(`/tasks/${task12}`);
    await page.getByText("责任单位").waitFor();
    expect(await page.locator("[data-testid^=office-status-open-]").count()).toBe(0);
    await context.close();
  });

  it("renders a note containing <script> as text, never as markup", async () => {
    const { fx, now } = c;
    const task9 = await fx.taskId("9");
    const liaison = await fx.addContact({ unit: "出入境检验检疫局", telegramUserId: "9003" });
    const note = '<script>window.__pwned = true</script><img src=x onerror="window.__pwned = true"><b>加粗</b>';
    const fileName = "<b>检测报告</b>.pdf";
    await recordStatus(fx.db, {
      contactId: liaison,
      taskId: task9,
      status: "in_progress",
      progress: 50,
      note,
      source: "telegram-text",
      attachments: [{ kind: "document", telegramFileId: "DOC_9", fileName, mimeType: "application/pdf", size: 2048 }],
      now,
    });

    const { context, page, errors } = await c.newPage();
    await signIn(page, USERS.viewer);
    await page.goto(`/tasks/${task9}`);
    const shown = page.getByTestId("status-note").first();
    await shown.waitFor();
    expect(await shown.textContent()).toBe(note);
    expect(await shown.locator("script, img, b").count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned)).toBeUndefined();
    // The attachment is a link to the server's download route, its name shown as text.
    const link = page.getByTestId("attachment-link").first();
    expect(await link.textContent()).toBe(fileName);
    const attachment = await fx.db.attachment.findFirstOrThrow({ where: { telegramFileId: "DOC_9" } });
    expect(await link.getAttribute("href")).toBe(`/files/attachments/${attachment.id}`);

    // The same in the board's drawer.
    await page.goto("/");
    const unit = await fx.unitId("出入境检验检疫局");
    await page.getByTestId(`cell-${task9}-${unit}`).click();
    const inDrawer = page.locator(".ant-drawer [data-testid=status-note]").first();
    await inDrawer.waitFor();
    expect(await inDrawer.textContent()).toBe(note);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned)).toBeUndefined();
    expect(errors).toEqual([]);
    await context.close();
  });
});
