import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createInvite } from "@duban/core/invites/create-invite";
import { botHarness, BOT_INFO, type BotHarness } from "../../test/harness.ts";

describe("onboarding and strangers (handleUpdate, temporary SQLite)", () => {
  let h: BotHarness;
  beforeEach(async () => {
    h = await botHarness();
  });
  afterEach(async () => {
    await h.cleanup();
  });

  const invite = (unit = "市场监督管理局", extra: { role?: "liaison" | "head"; name?: string; now?: Date } = {}) =>
    createInvite(h.f.db, { unitName: unit, botUsername: BOT_INFO.username, now: extra.now ?? h.now, ...(extra.role ? { role: extra.role } : {}), ...(extra.name ? { name: extra.name } : {}) });

  it("/start <token> binds the person to the unit and welcomes them", async () => {
    const { token } = await invite("市场监督管理局", { name: "李娜" });
    await h.send(1001, `/start ${token}`);
    const [text] = h.texts();
    expect(text).toContain("李娜，您好！您已登记为“市场监督管理局”的联络员。");
    expect(text).toContain("/tasks");
    expect(await h.f.db.contact.findUniqueOrThrow({ where: { telegramUserId: "1001" } })).toMatchObject({ role: "liaison", name: "李娜", telegramChatId: "1001" });
  });

  it("a stranger writing anything is refused politely, revealing nothing", async () => {
    await h.send(9999, "你好，我想看看任务");
    await h.send(9999, "/tasks");
    await h.send(9999, "/start");
    const texts = h.texts();
    expect(texts).toHaveLength(3);
    for (const text of texts) {
      expect(text).toContain("本服务仅供受邀单位的联络人使用");
      expect(text).not.toMatch(/任务\d|监督管理局|环保局|质量|方案/);
    }
  });

  it("a stranger's button press is refused too", async () => {
    await h.tap(9999, h.sign({ action: "task", contactId: 1, taskId: 1 }));
    expect(h.answers().at(-1)?.payload).toMatchObject({ show_alert: true, text: expect.stringContaining("本服务仅供受邀单位") });
  });

  it("used, expired, revoked and made-up tokens get the same polite refusal", async () => {
    const used = await invite();
    await h.send(1001, `/start ${used.token}`);
    h.drain();
    await h.send(1002, `/start ${used.token}`);
    const expired = await invite("环保局", { now: new Date(h.now.getTime() - 15 * 24 * 3600 * 1000) });
    await h.send(1003, `/start ${expired.token}`);
    await h.send(1004, "/start AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    const texts = h.texts();
    expect(texts).toHaveLength(3);
    expect(new Set(texts).size).toBe(1);
    expect(texts[0]).toContain("该邀请链接无效或已失效");
    expect(await h.f.db.contact.count({ where: { telegramUserId: { in: ["1002", "1003", "1004"] } } })).toBe(0);
  });

  it("the same person opening their link again is told they are registered; a new invitation moves them", async () => {
    const first = await invite();
    await h.send(1001, `/start ${first.token}`);
    await h.send(1001, `/start ${first.token}`);
    const other = await invite("环保局", { role: "head" });
    await h.send(1001, `/start ${other.token}`);
    const [, again, moved] = h.texts();
    expect(again).toContain("您已登记为“市场监督管理局”的联络员，无需重复操作");
    expect(moved).toContain("您的登记单位已调整为“环保局”，身份为单位负责人");
  });

  it("/start without a token greets a registered contact", async () => {
    await h.join(1001, "市场监督管理局");
    await h.send(1001, "/start");
    expect(h.texts()[0]).toContain("您是“市场监督管理局”的联络员");
  });

  it("an update delivered twice is handled once", async () => {
    const { token } = await invite();
    await h.send(1001, `/start ${token}`, { updateId: 77 });
    await h.send(1001, `/start ${token}`, { updateId: 77 });
    expect(h.texts()).toHaveLength(1);
    expect(await h.f.db.processedUpdate.count({ where: { updateId: 77n } })).toBe(1);
  });
});
