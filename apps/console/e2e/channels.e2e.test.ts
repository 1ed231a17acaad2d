import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, startConsole, USERS, type ConsoleUnderTest } from "./harness.ts";

let c: ConsoleUnderTest;
beforeAll(async () => {
  c = await startConsole({ wecom: true, publicUrl: "https://duban.example.org" });
});
afterAll(() => c?.close());

describe("channels in the console (Telegram and 企业微信 configured, PUBLIC_URL set)", () => {
  it("the units page shows each contact's channels and what the outbox says about reaching them", async () => {
    const { db } = c.fx;
    const unitId = await c.fx.unitId("环保局");
    const onWecom = await c.fx.addContact({ unit: "环保局", name: "企微联络员" });
    await db.contactChannel.create({ data: { contactId: onWecom, channel: "wecom", externalId: "qiwei" } });
    const onTelegram = await c.fx.addContact({ unit: "环保局", name: "电报联络员", telegramUserId: "7001" });
    const failing = await c.fx.addContact({ unit: "环保局", name: "发送失败者" });
    await db.contactChannel.create({ data: { contactId: failing, channel: "wecom", externalId: "gone" } });
    const base = { kind: "reminder", unitId, rung: "due", dueAt: c.now, text: "提醒", nextAttemptAt: c.now };
    await db.reminder.createMany({
      data: [
        { ...base, key: "t:sent", contactId: onWecom, state: "sent", sentAt: new Date("2026-10-09T01:05:00Z") },
        { ...base, key: "t:failed", contactId: failing, state: "failed", claimedAt: new Date("2026-10-10T01:00:00Z"), lastError: "40058: invalid template_card" },
      ],
    });

    const { context, page, errors } = await c.newPage();
    await signIn(page, USERS.staff);
    await page.goto("/units");
    const row = page.locator("tr", { hasText: "环保局" }).first();
    await row.locator(".ant-table-row-expand-icon").click();
    const contactRow = (name: string) => page.locator("tr.ant-table-row", { hasText: name });
    await contactRow("企微联络员").waitFor();
    expect(await contactRow("企微联络员").getByTestId("contact-channels").textContent()).toBe("企业微信");
    expect(await contactRow("企微联络员").getByTestId("contact-delivery").textContent()).toBe("最近送达 2026-10-09 09:05");
    expect(await contactRow("电报联络员").getByTestId("contact-channels").textContent()).toBe("Telegram");
    expect(await contactRow("电报联络员").getByTestId("contact-delivery").textContent()).toBe("尚未发送提醒");
    expect(await contactRow("发送失败者").getByTestId("contact-delivery").textContent()).toBe("发送失败 2026-10-10 09:00");

    // 企业微信 says the member left the corp: unreachable, shown as such.
    await db.contact.update({ where: { id: onTelegram }, data: { status: "blocked", unreachableAt: new Date("2026-10-11T02:00:00Z") } });
    await page.reload();
    await page.locator("tr", { hasText: "环保局" }).first().locator(".ant-table-row-expand-icon").click();
    await contactRow("电报联络员").getByText("无法送达").waitFor();
    expect(await contactRow("电报联络员").getByTestId("contact-delivery").textContent()).toBe("无法送达 2026-10-11 10:00");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("an invite for 企业微信 shows its login link and QR code with the 绑定 line beside; one for Telegram the link and its QR code", async () => {
    const { context, page, errors } = await c.newPage();
    await signIn(page, USERS.staff);
    await page.goto("/units");
    const unit = await c.fx.unitId("住建局");
    await page.getByTestId(`invite-${unit}`).click();
    const dialog = page.getByRole("dialog");
    const channel = dialog.getByTestId("invite-channel");
    await channel.getByText("企业微信").waitFor();
    expect(await channel.locator("label").allTextContents()).toEqual(["Telegram", "企业微信"]);
    await channel.getByText("企业微信").click();
    await dialog.getByLabel("姓名（可选）").fill("钱联络");
    await dialog.getByRole("button", { name: "生成邀请" }).click();
    const bind = dialog.getByTestId("invite-bind-text");
    await bind.waitFor();
    const text = (await bind.textContent())!;
    expect(text).toMatch(/^绑定 [A-Za-z0-9_-]{32}$/);
    expect(await dialog.getByTestId("invite-steps").textContent()).toBe("请对方用企业微信扫码，或在企业微信中打开链接，即可绑定。");
    expect(await dialog.getByTestId("invite-fallback").textContent()).toContain("向督办应用发送这句话");
    const login = new URL((await dialog.getByTestId("invite-link").textContent())!);
    expect(`${login.origin}${login.pathname}`).toBe("https://open.weixin.qq.com/connect/oauth2/authorize");
    expect(login.searchParams.get("redirect_uri")).toBe("https://duban.example.org/join/wecom");
    expect(login.searchParams.get("state")).toBe(`wecom${Buffer.from(text.slice(3)).toString("hex")}`);
    expect(await dialog.getByRole("img", { name: "邀请二维码" }).getAttribute("src")).toMatch(/^data:image\/png;base64,/);
    expect(await dialog.getByTestId("invite-no-link").count()).toBe(0);
    const invite = await c.fx.db.invite.findFirstOrThrow({ where: { unitId: unit }, orderBy: { id: "desc" } });
    expect(invite).toMatchObject({ name: "钱联络", usedAt: null });
    await dialog.getByRole("button", { name: "完成" }).click();

    await page.getByTestId(`invite-${unit}`).click();
    await dialog.getByTestId("invite-channel").getByText("Telegram").waitFor();
    await dialog.getByRole("button", { name: "生成邀请" }).click();
    const link = await dialog.getByTestId("invite-link").textContent();
    expect(link).toMatch(/^https:\/\/t\.me\/duban_test_bot\?start=[A-Za-z0-9_-]{32}$/);
    expect(await dialog.getByTestId("invite-steps").textContent()).toContain("Telegram");
    expect(await dialog.getByRole("img", { name: "邀请二维码" }).getAttribute("src")).toMatch(/^data:image\/png;base64,/);
    expect(await dialog.getByTestId("invite-bind-text").count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});
