import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { botHarness, type BotHarness } from "../../test/harness.ts";

/**
 * The reply path's statement budget, counted by a wrapper around the database driver (every
 * statement the bot's client sends, BEGIN and COMMIT included): the update's dedupe row, who
 * is writing with their chat's step (one statement), the reminder replied to with its task's
 * indicators, the reply's checks, the status, the submission, the audit and the step — a
 * regression that adds queries fails here. Every commit costs: besides the dedupe (committed
 * before anything is done), the reply and the step it leads to commit as one transaction.
 */
describe("statements per reply (counting driver adapter, temporary SQLite)", () => {
  let h: BotHarness;
  let liaison: number;
  beforeEach(async () => {
    h = await botHarness({ countStatements: true });
    liaison = await h.join(1001, "市场监督管理局", "liaison", "李娜");
    // The office calendar is read once per process and kept while unchanged: warm it, as any reply would.
    await h.remind({ contactId: liaison, task: "8", unit: "市场监督管理局", periodKey: "2026Q4" });
    await h.tap(1001, h.button(h.lastMessage(), "推进中"));
    await h.tap(1001, h.button(h.lastMessage(), "跳过"));
    await h.tap(1001, h.button(h.lastMessage(), "完成报送"));
  });
  afterEach(async () => {
    await h.cleanup();
  });

  /** Statements run outside BEGIN … COMMIT, each committed on its own. */
  const autocommitted = (statements: string[]) => {
    let open = false;
    return statements.filter((s) => {
      if (s === "BEGIN" || s === "COMMIT") {
        open = s === "BEGIN";
        return false;
      }
      return !open;
    });
  };

  const measure = async (act: () => Promise<void>) => {
    h.statements.length = 0;
    await act();
    return [...h.statements];
  };

  it("a tap on a reminder's status button: 8 statements, one transaction with the step", async () => {
    const reminder = await h.remind({ contactId: liaison, task: "8", unit: "市场监督管理局" });
    const card = h.lastMessage();
    h.drain();
    const statements = await measure(() => h.tap(1001, h.button(card, "推进中")));
    expect(h.texts().at(-1)).toContain("状态：推进中");
    expect(await h.f.db.submission.findFirstOrThrow({ where: { roundId: reminder.roundId!, unitId: reminder.unitId } })).toMatchObject({ submittedAt: h.now, acknowledgedAt: h.now });
    expect(statements.filter((s) => s === "BEGIN")).toHaveLength(1);
    expect(autocommitted(statements), statements.join("\n")).toHaveLength(1);
    expect(statements.length, statements.join("\n")).toBeLessThanOrEqual(8);
  });

  it("a typed “完成80%” in reply to a reminder: 9 statements, one transaction with the step", async () => {
    const reminder = await h.remind({ contactId: liaison, task: "6", unit: "市场监督管理局", progress: false });
    h.drain();
    const statements = await measure(() => h.send(1001, "完成80%", { replyTo: Number(reminder.chatMessageId) }));
    expect(h.texts().at(-1)).toContain("进度：80%");
    expect(await h.f.db.statusUpdate.findFirstOrThrow({ where: { reminderId: reminder.id } })).toMatchObject({ status: "in_progress", progress: 80, source: "telegram-reply" });
    expect(statements.filter((s) => s === "BEGIN")).toHaveLength(1);
    // The dedupe, and the read of the reminder replied to.
    expect(autocommitted(statements), statements.join("\n")).toHaveLength(2);
    expect(statements.length, statements.join("\n")).toBeLessThanOrEqual(9);
  });

  it("a replayed update costs one statement and changes nothing", async () => {
    await h.remind({ contactId: liaison, task: "8", unit: "市场监督管理局" });
    const data = h.button(h.lastMessage(), "已完成");
    await h.handle({ callback_query: { id: "q1", from: { id: 1001, is_bot: false, first_name: "测试" }, chat_instance: "ci", data, message: { message_id: 1, date: 0, chat: { id: 1001, type: "private", first_name: "测试" }, text: "…" } } } as any, 9_000_001);
    const before = await h.f.db.statusUpdate.count();
    const statements = await measure(() => h.handle({ callback_query: { id: "q1", from: { id: 1001, is_bot: false, first_name: "测试" }, chat_instance: "ci", data, message: { message_id: 1, date: 0, chat: { id: 1001, type: "private", first_name: "测试" }, text: "…" } } } as any, 9_000_001));
    expect(statements).toHaveLength(1);
    expect(await h.f.db.statusUpdate.count()).toBe(before);
  });
});
