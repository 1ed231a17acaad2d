import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dispatchReminders } from "@duban/core/reminders/dispatch-reminders";
import { botHarness, type BotHarness } from "../../test/harness.ts";

describe("several reminders due at once arrive as one digest (handleUpdate, temporary SQLite)", () => {
  let h: BotHarness;
  let liaison: number;
  beforeEach(async () => {
    h = await botHarness();
    liaison = await h.join(1001, "市场监督管理局", "liaison", "李娜");
  });
  afterEach(async () => {
    await h.cleanup();
  });

  /** Three ladder reminders of the unit's 2026Q3 progress rounds, due now. */
  async function dueThree() {
    const unitId = await h.f.unitId("市场监督管理局");
    const submissions = await h.f.db.submission.findMany({
      where: { unitId, round: { periodKey: "2026Q3", deadline: { cycle: { key: "progress" } } } },
      orderBy: { roundId: "asc" },
      take: 3,
      include: { round: { include: { deadline: { include: { task: true } } } } },
    });
    for (const { roundId, round } of submissions) {
      const task = round.deadline.task;
      await h.f.db.reminder.create({
        data: {
          key: `digest:${roundId}`,
          kind: "reminder",
          roundId,
          unitId,
          contactId: liaison,
          rung: "before-1",
          dueAt: h.now,
          text: `【督办提醒】\n任务${task.number}：${task.title}\n季度进度（2026年第三季度），距截止还有 1 个工作日（2026-10-13 截止）。\n请点击下方按钮报送进展，或直接回复本消息。`,
          nextAttemptAt: h.now,
        },
      });
    }
    return submissions.map((s) => s.round.deadline.task);
  }

  it("one message lists the tasks; a task's button opens its report; a reply to the digest is not filed under one of them", async () => {
    const tasks = await dueThree();
    h.drain();
    expect(await dispatchReminders(h.f.db, h.messenger, h.now)).toMatchObject({ sent: 3 });
    const sent = h.drain().filter((c) => c.method === "sendMessage");
    expect(sent).toHaveLength(1);
    const digest = sent[0]!;
    expect(String(digest.payload.text)).toMatch(/^【督办提醒】本单位有 3 项事项待报送：/);
    for (const task of tasks) expect(String(digest.payload.text)).toContain(`· 任务${task.number}：${task.title}`);
    const buttons = h.buttonsOf(digest);
    expect(buttons.map((b) => b.text)).toEqual(tasks.map((t) => `任务${t.number} 季度进度（2026年第三季度）`));

    // The second item's button: the status buttons for exactly that round.
    await h.tap(1001, buttons[1]!.callback_data);
    const prompt = h.lastMessage();
    expect(String(prompt?.payload.text)).toContain(`任务${tasks[1]!.number}`);
    await h.tap(1001, h.button(prompt, "推进中"));
    const update = await h.f.db.statusUpdate.findFirstOrThrow({ where: { contactId: liaison } });
    expect(update).toMatchObject({ taskId: tasks[1]!.id, status: "in_progress" });

    // Replying to the digest (even with that step still open) names no single task: the bot asks,
    // offering the digest's tasks only.
    h.drain();
    const digestMessageId = (await h.f.db.reminder.findFirstOrThrow({ where: { key: { startsWith: "digest:" } } })).chatMessageId!;
    await h.send(1001, "已完成", { replyTo: Number(digestMessageId) });
    const asked = h.lastMessage();
    expect(asked?.payload.text).toBe("请问您报送的是哪项任务？");
    expect(h.buttonsOf(asked).map((b) => b.text)).toEqual(tasks.map((t) => expect.stringMatching(new RegExp(`^任务${t.number}“`))));
    expect(await h.f.db.statusUpdate.count({ where: { contactId: liaison } })).toBe(1);
    // Picking one records the reply there.
    await h.tap(1001, h.buttonsOf(asked)[2]!.callback_data);
    expect(await h.f.db.statusUpdate.findFirstOrThrow({ where: { contactId: liaison, taskId: tasks[2]!.id } })).toMatchObject({ status: "done" });
  });
});
