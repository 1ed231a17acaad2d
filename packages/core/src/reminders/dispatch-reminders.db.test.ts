import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DIGEST_MIN, dispatchReminders } from "./dispatch-reminders.ts";
import { RecordingMessenger, type Messenger, type OutgoingMessage, type SendResult } from "../channels/messenger.ts";
import { FIXTURE_NOW, liaisonFixture, type LiaisonFixture } from "../testing/liaison-fixture.ts";

const now = FIXTURE_NOW;

describe("dispatchReminders: one person's reminders due at once go as one digest (temporary SQLite)", () => {
  let f: LiaisonFixture;
  let market: number;
  let environment: number;
  beforeEach(async () => {
    f = await liaisonFixture();
    market = await f.addContact({ unit: "市场监督管理局", telegramUserId: "1001" });
    environment = await f.addContact({ unit: "环保局", telegramUserId: "2001" });
  });
  afterEach(() => f.cleanup());

  /** Queues reminders for the unit's first `count` 2026Q3 progress rounds (skipping `skip`). */
  const queue = async (contactId: number, unit: string, count: number, kind = "reminder", skip = 0) => {
    const unitId = await f.unitId(unit);
    const submissions = await f.db.submission.findMany({
      where: { unitId, round: { periodKey: "2026Q3", deadline: { cycle: { key: "progress" } } } },
      orderBy: { roundId: "asc" },
      skip,
      take: count,
      include: { round: { include: { deadline: { include: { task: true } } } } },
    });
    expect(submissions).toHaveLength(count);
    for (const { roundId, round } of submissions) {
      const task = round.deadline.task.number;
      await f.db.reminder.create({
        data: { key: `${kind}:${contactId}:${task}`, kind, roundId, unitId, contactId, rung: "before-1", dueAt: now, text: `【督办提醒】\n任务${task}：…\n季度进度，明天截止。\n…`, nextAttemptAt: now },
      });
    }
  };

  it(`from ${DIGEST_MIN} ladder reminders for one liaison, one message; fewer, and other kinds, one each`, async () => {
    await queue(market, "市场监督管理局", 3);
    await queue(market, "市场监督管理局", 1, "urge", 3);
    await queue(environment, "环保局", 2);
    const messenger = new RecordingMessenger();
    const summary = await dispatchReminders(f.db, messenger, now);
    expect(summary).toMatchObject({ sent: 6, failed: 0, retrying: 0 });
    expect(messenger.digests).toHaveLength(1);
    expect(messenger.digests[0]!.map((m) => m.contactId)).toEqual([market, market, market]);
    expect(messenger.digests[0]!.every((m) => m.kind === "reminder")).toBe(true);
    const rows = await f.db.reminder.findMany({ where: { contactId: market, kind: "reminder" } });
    expect(new Set(rows.map((r) => r.chatMessageId)).size).toBe(1);
    expect(rows.every((r) => r.state === "sent")).toBe(true);
    expect((await f.db.reminder.findMany({ where: { contactId: environment } })).map((r) => r.chatMessageId)).toHaveLength(2);
  });

  it("a messenger without digests sends each; a refused digest marks each reminder", async () => {
    await queue(market, "市场监督管理局", 3);
    const one: OutgoingMessage[] = [];
    const plain: Messenger = { send: async (m) => (one.push(m), { ok: true, messageId: String(one.length) }) };
    expect(await dispatchReminders(f.db, plain, now)).toMatchObject({ sent: 3 });
    expect(one).toHaveLength(3);

    await queue(environment, "环保局", 3);
    const blocked: Messenger = {
      send: async () => ({ ok: true, messageId: "x" }),
      sendDigest: async (): Promise<SendResult> => ({ ok: false, outcome: "unreachable", error: "403: Forbidden: bot was blocked by the user" }),
    };
    expect(await dispatchReminders(f.db, blocked, now)).toMatchObject({ unreachable: 3, sent: 0 });
    expect(await f.db.contact.findUniqueOrThrow({ where: { id: environment } })).toMatchObject({ status: "blocked" });
  });
});
