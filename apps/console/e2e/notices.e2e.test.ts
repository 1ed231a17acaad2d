import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordNoticeReceipt } from "@duban/core/notices/notices";
import { signIn, startConsole, USERS, type ConsoleUnderTest } from "./harness.ts";

let c: ConsoleUnderTest;
beforeAll(async () => {
  c = await startConsole();
});
afterAll(() => c?.close());

describe("通知 in the console", () => {
  it("asks before sending with the recipient count and who cannot be reached, then shows the receipts and re-sends to who has not signed", async () => {
    const { fx } = c;
    await fx.addContact({ unit: "环保局", telegramUserId: "7101", name: "张环保" });
    await fx.addContact({ unit: "农业局", telegramUserId: "7102", name: "李农业" });
    await fx.addContact({ unit: "住建局", telegramUserId: null, name: "王住建" });
    const [env, agri, housing] = await Promise.all(["环保局", "农业局", "住建局"].map((u) => fx.unitId(u)));

    const { context, page, errors } = await c.newPage();
    await signIn(page, USERS.staff);
    await page.goto("/notices");
    await page.getByLabel("内容").fill("请于周五下午3点参加联席会议。");
    await page.getByText("指定单位").click();
    const select = page.locator(".ant-select").filter({ hasText: "选择单位" });
    await select.click();
    for (const unit of ["环保局", "农业局", "住建局"]) {
      await page.keyboard.type(unit);
      await page.locator(".ant-select-item-option").filter({ hasText: new RegExp(`^${unit}$`) }).click();
    }
    await page.keyboard.press("Escape");
    await page.getByTestId("send-notice").click();

    const confirm = page.getByTestId("notice-confirm");
    await confirm.waitFor();
    const text = await confirm.textContent();
    expect(text).toContain("将发送给 2 个单位的 2 人。");
    expect(text).toContain("住建局");
    expect(text).toContain("王住建（未启用机器人）");
    // Nothing goes out before the office confirms.
    expect(await fx.db.reminder.count({ where: { kind: "notice" } })).toBe(0);
    await page.getByRole("button", { name: "确认发送" }).click();
    await page.getByText("已加入发送队列：2 人").waitFor();
    const queued = await fx.db.reminder.findMany({ where: { kind: "notice" }, orderBy: { unitId: "asc" } });
    expect(queued.map((r) => r.unitId).sort()).toEqual([env, agri].sort());
    expect(queued.some((r) => r.unitId === housing)).toBe(false);

    // 环保局 taps 收到 in Telegram: the console counts it.
    const notice = await fx.db.auditEvent.findFirstOrThrow({ where: { action: "notice.broadcast" } });
    await recordNoticeReceipt(fx.db, { noticeId: notice.id, contactId: queued.find((r) => r.unitId === env)!.contactId!, now: c.now });
    await page.reload();
    const count = page.getByTestId(`notice-receipt-count-${notice.id}`);
    await count.waitFor();
    expect(await count.textContent()).toBe("1/2 已签收");
    await page.getByRole("button", { name: /展开行|Expand row/ }).first().click();
    const receipts = page.getByTestId(`notice-receipts-${notice.id}`);
    await receipts.waitFor();
    const listed = (await receipts.textContent()) ?? "";
    expect(listed).toMatch(/已签收环保局：张环保/);
    expect(listed).toMatch(/未签收农业局：李农业/);
    expect(listed).toContain("无法送达住建局");

    await page.getByRole("button", { name: "再次提醒未签收" }).click();
    await page.getByText("已再次提醒：1 人").waitFor();
    const again = await fx.db.reminder.findMany({ where: { kind: "notice", rung: "notice-again" } });
    expect(again.map((r) => r.unitId)).toEqual([agri]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
