import { readFile } from "node:fs/promises";
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordStatus } from "@duban/core/submissions/record-status";
import { requestExtension } from "@duban/core/submissions/request-extension";
import { SEED_PLAN_TEXT } from "@duban/core/testing/liaison-fixture";
import { signIn, startConsole, USERS, type ConsoleUnderTest } from "./harness.ts";

let c: ConsoleUnderTest;
beforeAll(async () => {
  c = await startConsole();
});
afterAll(() => c?.close());

describe("the office at work", () => {
  it("previews a plan import: groups, tasks, units, indicators, and the diff against the stored plan", async () => {
    const { context, page, errors } = await c.newPage();
    await signIn(page, USERS.staff);
    await page.goto("/import");
    // A re-import where task 8's inspection target rose from 95% to 98%.
    const changed = SEED_PLAN_TEXT.replace("国家重点管理计量器具受检率达到95%以上", "国家重点管理计量器具受检率达到98%以上");
    expect(changed).not.toBe(SEED_PLAN_TEXT);
    await page.getByTestId("plan-text").fill(changed);
    await page.getByTestId("preview-import").click();
    const summary = page.getByTestId("import-summary");
    await summary.waitFor();
    expect(await summary.textContent()).toMatch(/6 个分组 · 18 项任务 · \d+ 个单位 · \d+ 项指标/);
    const diff = page.getByTestId("import-diff");
    await diff.waitFor();
    expect(await diff.textContent()).toContain("98");
    // Preview writes nothing.
    const indicator = await c.fx.db.indicator.findFirstOrThrow({ where: { name: { contains: "受检率" } } });
    expect(indicator.value).toBe(95);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("creates a one-off deadline through the form, and the audit log records who did it", async () => {
    const { context, page, errors } = await c.newPage();
    await signIn(page, USERS.staff);
    await page.goto("/deadlines");
    await page.getByTestId("new-deadline").click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("任务").click();
    await page.keyboard.type("建立和夯实城市计量基础");
    await page.keyboard.press("Enter");
    await dialog.getByLabel("名称").fill("计量专项监督检查总结");
    await dialog.getByLabel("截止日期").click();
    await dialog.getByLabel("截止日期").fill("2026-11-30");
    await page.keyboard.press("Enter");
    await dialog.getByRole("button", { name: "保存" }).click();
    await page.getByRole("cell", { name: "计量专项监督检查总结" }).waitFor();

    const deadline = await c.fx.db.deadline.findFirstOrThrow({ where: { title: "计量专项监督检查总结" }, include: { task: true } });
    expect(deadline).toMatchObject({ kind: "once", dueDate: "2026-11-30", dueTime: "17:30", active: true });
    expect(deadline.task.number).toBe("8");
    const staff = await c.fx.db.user.findUniqueOrThrow({ where: { username: "staff" } });
    const audit = await c.fx.db.auditEvent.findFirstOrThrow({ where: { action: "deadline.create", entityId: String(deadline.id) } });
    expect(audit).toMatchObject({ actorType: "user", actorId: String(staff.id) });

    await page.goto("/audit");
    await page.getByText("deadline.create").first().waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it("催办 queues urges for exactly the missing units of a round", async () => {
    const { fx, now } = c;
    const units = ["市场监督管理局", "交运局", "环保局", "住建局", "铁路公司"];
    const contacts = new Map<string, number>();
    for (const [i, unit] of units.entries()) {
      contacts.set(unit, (await fx.db.contact.findFirst({ where: { unit: { name: unit }, role: "liaison" } }))?.id ?? (await fx.addContact({ unit, telegramUserId: `81${i}`, name: `${unit}联络员` })));
    }
    // Task 6's 2026Q3 progress round: 交运局 has answered, four have not.
    const task6 = await fx.taskId("6");
    const round = await fx.round({ task: "6", unit: "交运局", periodKey: "2026Q3", progress: true });
    await recordStatus(fx.db, { contactId: contacts.get("交运局")!, taskId: task6, roundId: round.roundId, status: "in_progress", progress: 70, note: "三季度运输质量分析已完成初稿", source: "telegram-button", now });

    const { context, page, errors } = await c.newPage();
    await signIn(page, USERS.staff);
    await page.goto("/rounds?period=2026Q3");
    await page.getByTestId(`urge-${round.roundId}`).click();
    await page.getByRole("button", { name: "催办" }).last().click();
    const result = page.getByTestId("urge-result");
    await result.waitFor();
    expect(await result.textContent()).toContain("4");

    const urges = await fx.db.reminder.findMany({ where: { kind: "urge", roundId: round.roundId }, include: { unit: true } });
    expect(urges.map((u) => u.unit.name).sort()).toEqual(["住建局", "市场监督管理局", "环保局", "铁路公司"].sort());
    expect(urges.every((u) => u.state === "pending" && u.contactId === contacts.get(u.unit.name))).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("exports the round's 台账 (xlsx) and 季度质量分析 draft (docx) as downloads that open", async () => {
    const { fx } = c;
    const round = await fx.round({ task: "6", unit: "交运局", periodKey: "2026Q3", progress: true });
    // 代为填报: the office enters 铁路公司's status itself; both files name the office user.
    const staff = await fx.db.user.findUniqueOrThrow({ where: { username: "staff" } });
    await recordStatus(fx.db, { unitId: await fx.unitId("铁路公司"), userId: staff.id, taskId: await fx.taskId("6"), roundId: round.roundId, status: "in_progress", progress: 40, note: "电话确认：铁路运输质量分析在写", source: "console", now: c.now });
    const { context, page, errors } = await c.newPage();
    await signIn(page, USERS.viewer);
    await page.goto("/rounds?period=2026Q3");

    const [xlsxDownload] = await Promise.all([page.waitForEvent("download"), page.getByTestId(`xlsx-${round.roundId}`).click()]);
    expect(xlsxDownload.suggestedFilename()).toMatch(/^报送台账_任务6_2026Q3\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile((await xlsxDownload.path())!);
    const sheet = workbook.getWorksheet("报送台账")!;
    const rows: string[] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? "")).join("|")));
    expect(rows.some((r) => r.includes("交运局") && r.includes("已报送") && r.includes("三季度运输质量分析已完成初稿"))).toBe(true);
    for (const missing of ["市场监督管理局", "环保局", "住建局"]) {
      expect(rows.some((r) => r.includes(missing) && r.includes("未报送"))).toBe(true);
    }
    expect(rows.some((r) => r.includes("铁路公司") && r.includes("电话确认：铁路运输质量分析在写") && r.endsWith("|办公室代为填报（staff）"))).toBe(true);

    const [docxDownload] = await Promise.all([page.waitForEvent("download"), page.getByTestId(`docx-${round.roundId}`).click()]);
    expect(docxDownload.suggestedFilename()).toMatch(/\.docx$/);
    const zip = await JSZip.loadAsync(await readFile((await docxDownload.path())!));
    const xml = (await zip.file("word/document.xml")?.async("string")) ?? "";
    const text = xml.replace(/<[^>]+>/g, "");
    expect(text).toContain("2026年第三季度质量分析报告（草稿）");
    expect(text).toContain("三季度运输质量分析已完成初稿");
    expect(text).toMatch(/尚未报送：[^。]*住建局/);
    expect(text).toContain("铁路公司（已报送）：推进中，完成 40%。电话确认：铁路运输质量分析在写。（填报人：办公室代为填报（staff））");
    // A task's draft carries that task's indicators only (受检率 is task 8's).
    expect(text).not.toContain("受检率");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("marks a 有困难 report coordinated: it leaves the queue, the board lets go of the yellow, and the liaison is told", async () => {
    const { fx, now } = c;
    const task16 = await fx.taskId("16");
    const water = await fx.unitId("水务局");
    const liaison = await fx.addContact({ unit: "水务局", telegramUserId: "8801", name: "孙联络" });
    const round = await fx.round({ task: "16", unit: "水务局", periodKey: "2026Q3", progress: true });
    const blocked = await recordStatus(fx.db, { contactId: liaison, taskId: task16, roundId: round.roundId, status: "blocked", progress: 30, note: "污水管网改造资金缺口，需市里协调", source: "telegram-text", now });

    const { context, page, errors } = await c.newPage();
    await signIn(page, USERS.staff);
    await expect.poll(() => page.getByTestId(`cell-${task16}-${water}`).getAttribute("data-light")).toBe("yellow");
    await page.goto("/extensions");
    await page.getByRole("tab", { name: /有困难待协调/ }).click();
    await page.getByText("污水管网改造资金缺口，需市里协调").waitFor();
    await page.getByTestId(`coordinate-${blocked.statusUpdateId}`).click();
    const dialog = page.getByRole("dialog", { name: "标记为已协调" });
    // The outcome is required: it is what the liaison will read.
    await dialog.getByRole("button", { name: "确认已协调" }).click();
    await dialog.getByText("请填写协调结果").waitFor();
    await dialog.getByTestId("coordinate-note").fill("已协调财政局，资金下月到位");
    await dialog.getByRole("button", { name: "确认已协调" }).click();
    await dialog.waitFor({ state: "hidden" });
    await page.getByRole("tab", { name: /已协调 \(1\)/ }).click();
    await page.getByText("已协调财政局，资金下月到位").waitFor();

    const update = await fx.db.statusUpdate.findUniqueOrThrow({ where: { id: blocked.statusUpdateId } });
    expect(update.coordinationNote).toBe("已协调财政局，资金下月到位");
    const staff = await fx.db.user.findUniqueOrThrow({ where: { username: "staff" } });
    expect(update.coordinatedById).toBe(staff.id);
    const told = await fx.db.reminder.findFirstOrThrow({ where: { kind: "decision", contactId: liaison } });
    expect(told.text).toContain("已协调财政局，资金下月到位");
    expect(told.state).toBe("pending");
    expect(await fx.db.auditEvent.count({ where: { action: "blocker.coordinate", actorId: String(staff.id) } })).toBe(1);

    // The unit still reported 有困难, but it no longer holds the light at yellow; the history says it was handled.
    await page.goto("/");
    await expect.poll(() => page.getByTestId(`cell-${task16}-${water}`).getAttribute("data-light")).toBe("green");
    await page.goto(`/tasks/${task16}`);
    await page.getByTestId("status-coordinated").waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it("approving an extension: Enter in the date field takes the date without approving, so the note to the liaison goes with it", async () => {
    const { fx, now } = c;
    const liaison = await fx.addContact({ unit: "住建局", telegramUserId: "8802", name: "吴联络" });
    const round = await fx.round({ task: "14", unit: "住建局", periodKey: "2026Q3", progress: true });
    const { extensionRequestId } = await requestExtension(fx.db, { contactId: liaison, roundId: round.roundId, reason: "管网普查数据尚未汇总", now });

    const { context, page, errors } = await c.newPage();
    await signIn(page, USERS.staff);
    await page.goto("/extensions");
    await page.getByText("管网普查数据尚未汇总").waitFor();
    await page.getByRole("row", { name: /管网普查数据尚未汇总/ }).getByRole("button", { name: "批准" }).click();
    const dialog = page.getByRole("dialog", { name: "批准延期" });
    const date = dialog.getByTestId("extension-new-date");
    await date.click();
    await date.fill("2026-11-20");
    await date.press("Enter");
    // Still open: nothing decided yet.
    await dialog.getByTestId("extension-note").fill("请于新日期前报送普查汇总");
    expect((await fx.db.extensionRequest.findUniqueOrThrow({ where: { id: extensionRequestId } })).state).toBe("pending");
    await dialog.getByRole("button", { name: "OK" }).or(dialog.getByRole("button", { name: "确定" })).click();
    await dialog.waitFor({ state: "hidden" });
    const decided = await fx.db.extensionRequest.findUniqueOrThrow({ where: { id: extensionRequestId } });
    expect(decided.state).toBe("approved");
    expect(decided.decisionReason).toBe("请于新日期前报送普查汇总");
    const told = await fx.db.reminder.findFirstOrThrow({ where: { kind: "decision", contactId: liaison } });
    expect(told.text).toContain("2026-11-20");
    expect(told.text).toContain("请于新日期前报送普查汇总");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("creates an invite link with its QR code for a unit's liaison", async () => {
    const { context, page, errors } = await c.newPage();
    await signIn(page, USERS.staff);
    await page.goto("/units");
    const unit = await c.fx.unitId("住建局");
    await page.getByTestId(`invite-${unit}`).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("姓名（可选）").fill("赵联络");
    await dialog.getByRole("button", { name: "生成邀请" }).click();
    const link = await dialog.getByTestId("invite-link").textContent();
    expect(link).toMatch(/^https:\/\/t\.me\/duban_test_bot\?start=[A-Za-z0-9_-]{32}$/);
    const qr = dialog.getByRole("img", { name: "邀请二维码" });
    await qr.waitFor();
    expect(await qr.getAttribute("src")).toMatch(/^data:image\/png;base64,/);
    const invite = await c.fx.db.invite.findFirstOrThrow({ where: { unitId: unit }, orderBy: { id: "desc" } });
    expect(invite).toMatchObject({ role: "liaison", name: "赵联络", usedAt: null });
    // Only the hash is stored: the token in the link is not in the database.
    expect(invite.tokenHash).not.toContain(link!.split("start=")[1]!);
    expect(errors).toEqual([]);
    await context.close();
  });
});
