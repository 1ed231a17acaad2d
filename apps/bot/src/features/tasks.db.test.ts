import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { at } from "@duban/core/testing/liaison-fixture";
import { botHarness, type BotHarness } from "../../test/harness.ts";

describe("/tasks, task detail, /overdue, /report (handleUpdate, temporary SQLite)", () => {
  let h: BotHarness;
  let liaison: number;
  beforeEach(async () => {
    h = await botHarness();
    liaison = await h.join(1001, "市场监督管理局");
  });
  afterEach(async () => {
    await h.cleanup();
  });

  it("/tasks lists the unit's tasks with light, status and next deadline", async () => {
    await h.send(1001, "/tasks");
    const list = h.lastMessage()!;
    const text = String(list.payload.text);
    expect(text).toMatch(/^“市场监督管理局”的任务（共 \d+ 项）：/);
    expect(text).toContain("🟡 任务8“建立和夯实城市计量基础”（牵头）\n      尚未报送 · 下一截止：10月13日");
    expect(text).not.toContain("环保局");
    expect(h.buttonsOf(list).some((b) => b.text.startsWith("任务8“"))).toBe(true);

    // Past the due date, the same item is shown as overdue, not as "next".
    h.setNow(new Date("2026-10-14T02:00:00Z"));
    await h.send(1001, "/tasks");
    const later = String(h.lastMessage()!.payload.text);
    expect(later).toContain("🔴 任务8“建立和夯实城市计量基础”（牵头）\n      尚未报送 · 已逾期（10月13日截止）");
  });

  it("a task's detail shows its indicators, what is owed and offers 报送进展", async () => {
    await h.send(1001, "受检率96.5%");
    await h.send(1001, "/tasks");
    const list = h.lastMessage();
    h.drain();
    await h.tap(1001, h.button(list, h.buttonsOf(list).find((b) => b.text.startsWith("任务8“"))!.text));
    const detail = h.lastMessage()!;
    const text = String(detail.payload.text);
    expect(text).toContain("任务8“建立和夯实城市计量基础”");
    expect(text).toContain("本单位职责：牵头");
    expect(text).toContain("· 国家重点管理计量器具受检率 ≥95%（最近报送 96.5%）");
    expect(text).toContain("· 计量检测项目 ≥15项");
    expect(text).toContain("季度进度 · 2026年第四季度");
    expect(text).toContain("最近报送：推进中");
    await h.tap(1001, h.button(detail, "报送进展"));
    expect(h.lastMessage()?.payload.text).toContain("请选择当前状态：");
  });

  it("/overdue lists what is past due, most overdue first; a head sees it the same way", async () => {
    await h.send(1001, "/overdue");
    expect(h.texts()[0]).toBe("本单位目前没有逾期事项。");
    await h.join(1002, "市场监督管理局", "head");
    h.setNow(at("2026-10-20", "10:00"));
    await h.send(1002, "/overdue");
    const text = String(h.lastMessage()!.payload.text);
    expect(text).toMatch(/^“市场监督管理局”的逾期事项（共 \d+ 项）：/);
    expect(text).toMatch(/🔴 任务8 建立和夯实城市计量基础 — 季度进度 · 2026年第三季度，10月13日截止，已逾期 5 个工作日/);
  });

  it("/report: choose a task, then the status", async () => {
    await h.send(1001, "/report");
    const pick = h.lastMessage();
    expect(pick?.payload.text).toBe("请选择要报送进展的任务：");
    await h.tap(1001, h.button(pick, h.buttonsOf(pick).find((b) => b.text.startsWith("任务8“"))!.text));
    const ask = h.lastMessage();
    expect(ask?.payload.text).toBe("任务8“建立和夯实城市计量基础”（季度进度 · 2026年第三季度）\n请选择当前状态：");
    expect(h.buttonsOf(ask).map((b) => b.text)).toEqual(["已完成", "推进中", "有困难", "未开始"]);
    await h.tap(1001, h.button(ask, "未开始"));
    expect(await h.f.db.statusUpdate.findFirstOrThrow()).toMatchObject({ status: "not_started", contactId: liaison });
  });

  it("/help, and the head's help", async () => {
    await h.join(1002, "市场监督管理局", "head");
    await h.send(1001, "/help");
    await h.send(1002, "/help");
    const calls = h.drain().filter((c) => c.method === "sendMessage");
    expect(calls[0]?.payload.text).toContain("/tasks — 查看本单位任务");
    expect(calls[0]?.payload.text).not.toContain("单位负责人");
    expect(calls.at(-1)?.payload.text).toContain("作为单位负责人");
  });

  it("/lang switches to English for the bot and for later reminders", async () => {
    await h.send(1001, "/lang");
    await h.tap(1001, h.button(h.lastMessage(), "English"));
    expect(h.texts().at(-1)).toBe("Language set to English.");
    expect((await h.f.db.contact.findUniqueOrThrow({ where: { id: liaison } })).language).toBe("en");
    await h.send(1001, "/tasks");
    expect(h.texts()[0]).toMatch(/^Tasks of 市场监督管理局 \(\d+\):/);
    await h.remind({ contactId: liaison, task: "8", unit: "市场监督管理局" });
    expect(h.buttonsOf(h.lastMessage()).map((b) => b.text)).toEqual(["Done", "In progress", "Blocked", "Remind me later", "Ask for extension"]);
    await h.send(1001, "/lang zh");
    expect(h.texts().at(-1)).toBe("已切换为中文。");
  });

  it("blocking the bot marks the contact unreachable; writing again makes them reachable", async () => {
    const member = (status: string) => ({
      my_chat_member: {
        chat: { id: 1001, type: "private", first_name: "x" },
        from: { id: 1001, is_bot: false, first_name: "x" },
        date: 0,
        old_chat_member: { status: "member", user: { id: 1, is_bot: true, first_name: "b" } },
        new_chat_member: { status, user: { id: 1, is_bot: true, first_name: "b" }, ...(status === "kicked" ? { until_date: 0 } : {}) },
      },
    });
    await h.handle(member("kicked") as any);
    expect(await h.f.db.contact.findUniqueOrThrow({ where: { id: liaison } })).toMatchObject({ status: "blocked", unreachableAt: h.now });
    await h.send(1001, "/help");
    expect(await h.f.db.contact.findUniqueOrThrow({ where: { id: liaison } })).toMatchObject({ status: "active", unreachableAt: null });
  });
});
