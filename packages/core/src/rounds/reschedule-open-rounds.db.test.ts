import { afterEach, describe, expect, it } from "vitest";
import { queueReminders } from "@duban/db/repositories/reminder-outbox";
import { addDays, shanghaiDate } from "@duban/domain/calendar";
import { at, ClockedMessenger, seededScheduler, type SeededScheduler } from "../../test/scheduler-fixture.ts";
import { removeCalendarOverride, setCalendarOverride, setCalendarOverrides } from "../calendar/calendar-overrides.ts";
import { loadCalendar } from "../calendar/calendar-source.ts";
import { createDeadline, updateDeadline } from "../deadlines/deadlines.ts";
import { ensureRounds } from "./ensure-rounds.ts";
import { decideExtension } from "../submissions/extensions.ts";
import { listRounds } from "./list-rounds.ts";
import { requestExtension } from "../submissions/request-extension.ts";
import { runSchedulerPass } from "../reminders/run-scheduler-pass.ts";

let seeded: SeededScheduler | null = null;
afterEach(async () => {
  await seeded?.cleanup();
  seeded = null;
});
const actor = { actorType: "user" as const, actorId: 1 };

async function drive(s: SeededScheduler, messenger: ClockedMessenger, from: string, to: string) {
  for (let day = from; day <= to; day = addDays(day, 1)) {
    messenger.now = at(day, "09:00");
    await runSchedulerPass({ db: s.db, messenger, now: messenger.now, instanceId: "reschedule" });
  }
}

async function task12(s: SeededScheduler) {
  return s.db.task.findFirstOrThrow({ where: { number: "12" } });
}

async function oneOff(s: SeededScheduler, dueDate: string, now: Date) {
  const task = await task12(s);
  const deadline = await createDeadline(s.db, { taskId: task.id, title: `一次性 ${dueDate}`, rule: { kind: "once", dueDate } }, now, actor);
  await ensureRounds(s.db, now, await loadCalendar(s.db));
  const round = await s.db.round.findFirstOrThrow({ where: { deadlineId: deadline.id }, include: { submissions: true } });
  return { task, deadline, round };
}

const edit = (s: SeededScheduler, d: { id: number; taskId: number; title: string }, dueDate: string, now: Date) =>
  updateDeadline(s.db, d.id, { taskId: d.taskId, title: d.title, rule: { kind: "once", dueDate } }, now, actor);

describe("rescheduling open rounds (temporary SQLite)", () => {
  it("a one-off edit moves the open round and its submissions, cancels waiting rungs, and the ladder restarts for the new date", { timeout: 120_000 }, async () => {
    seeded = await seededScheduler(at("2026-11-20", "10:00"));
    const s = seeded;
    const sma = await s.unit("市场监督管理局");
    const { deadline, round } = await oneOff(s, "2026-12-10", at("2026-11-20", "10:00"));
    const messenger = new ClockedMessenger();
    await drive(s, messenger, "2026-11-30", "2026-12-07");
    const sentBefore = await s.db.reminder.findMany({ where: { roundId: round.id, state: "sent" } });
    expect(sentBefore.map((r) => r.rung)).toContain("before-3");

    // A rung queued but not yet sent, and a decision message that is no ladder rung.
    const edited = at("2026-12-08", "10:00");
    await queueReminders(s.db, [
      { key: `r${round.id}:u${sma}:c${s.contacts.smaLiaison}:before-1`, kind: "reminder", roundId: round.id, unitId: sma, contactId: s.contacts.smaLiaison, rung: "before-1", dueAt: at("2026-12-09", "09:00"), text: "x", now: edited },
      { key: "ext-test:decision", kind: "decision", roundId: round.id, unitId: sma, contactId: s.contacts.smaLiaison, rung: "decision", dueAt: edited, text: "y", now: edited },
    ]);

    await edit(s, deadline, "2026-12-18", edited);

    const moved = await s.db.round.findUniqueOrThrow({ where: { id: round.id }, include: { submissions: true } });
    expect(moved.dueAt).toEqual(at("2026-12-18", "17:30"));
    expect(moved.submissions.length).toBe(round.submissions.length);
    expect(moved.submissions.every((x) => x.dueAt.getTime() === at("2026-12-18", "17:30").getTime())).toBe(true);
    const listed = (await listRounds(s.db, { roundId: round.id }))[0]!;
    expect(shanghaiDate(new Date(listed.dueAt))).toBe("2026-12-18");

    const reminders = await s.db.reminder.findMany({ where: { roundId: round.id } });
    expect(reminders.find((r) => r.rung === "before-1")!.state).toBe("cancelled");
    expect(reminders.find((r) => r.kind === "decision")!.state).toBe("pending");
    for (const r of sentBefore) expect(reminders.find((x) => x.id === r.id)!.state).toBe("sent");

    const audit = await s.db.auditEvent.findFirstOrThrow({ where: { action: "deadline.update", entityId: String(deadline.id) } });
    expect(JSON.parse(audit.detail!).movedRounds).toEqual([{ roundId: round.id, deadlineId: deadline.id, periodKey: "once", from: "2026-12-10 17:30", to: "2026-12-18 17:30" }]);

    const after = messenger.sent.length;
    await drive(s, messenger, "2026-12-09", "2026-12-18");
    const rungs = messenger.sent
      .slice(after)
      .filter((m) => m.roundId === round.id && m.contactId === s.contacts.smaLiaison && !m.key.endsWith(":decision"))
      .map((m) => `${m.key.split(":").slice(-2).join(":")}@${shanghaiDate(m.at)}`);
    expect(rungs).toEqual(["due20261218:before-7@2026-12-09", "due20261218:before-3@2026-12-15", "due20261218:before-1@2026-12-17", "due20261218:due@2026-12-18"]);
  });

  it("a round already past due keeps its date when the deadline is edited", async () => {
    seeded = await seededScheduler(at("2026-11-20", "10:00"));
    const s = seeded;
    const { deadline, round } = await oneOff(s, "2026-12-01", at("2026-11-20", "10:00"));
    await edit(s, deadline, "2026-12-20", at("2026-12-08", "10:00"));
    const kept = await s.db.round.findUniqueOrThrow({ where: { id: round.id }, include: { submissions: true } });
    expect(kept.dueAt).toEqual(at("2026-12-01", "17:30"));
    expect(kept.rescheduledAt).toBeNull();
    expect(kept.submissions.every((x) => x.dueAt.getTime() === at("2026-12-01", "17:30").getTime())).toBe(true);
    const audit = await s.db.auditEvent.findFirstOrThrow({ where: { action: "deadline.update" } });
    expect(JSON.parse(audit.detail!).movedRounds).toEqual([]);
  });

  it("an extended submission keeps its extension, or the round's new date when that is later", async () => {
    seeded = await seededScheduler(at("2026-11-20", "10:00"));
    const s = seeded;
    const env = await s.unit("环保局");
    const sma = await s.unit("市场监督管理局");
    const { deadline, round } = await oneOff(s, "2026-12-10", at("2026-11-20", "10:00"));
    const { extensionRequestId } = await requestExtension(s.db, { contactId: s.contacts.envLiaison, roundId: round.id, reason: "需要补充材料", now: at("2026-12-02", "10:00") });
    await decideExtension(s.db, { id: extensionRequestId, decision: "approve", newDueDate: "2026-12-15" }, at("2026-12-02", "11:00"), 1);
    const edited = at("2026-12-03", "10:00");
    await queueReminders(s.db, [
      { key: `r${round.id}:u${env}:c${s.contacts.envLiaison}:due20261215:before-7`, kind: "reminder", roundId: round.id, unitId: env, contactId: s.contacts.envLiaison, rung: "before-7", dueAt: at("2026-12-04", "09:00"), text: "x", now: edited },
    ]);

    await edit(s, deadline, "2026-12-12", edited);
    const dueOf = async (unitId: number) => shanghaiDate((await s.db.submission.findUniqueOrThrow({ where: { roundId_unitId: { roundId: round.id, unitId } } })).dueAt);
    expect(await dueOf(sma)).toBe("2026-12-12");
    expect(await dueOf(env)).toBe("2026-12-15");
    expect((await s.db.reminder.findUniqueOrThrow({ where: { key: `r${round.id}:u${env}:c${s.contacts.envLiaison}:due20261215:before-7` } })).state).toBe("pending");

    await edit(s, deadline, "2026-12-21", at("2026-12-04", "10:00"));
    expect(await dueOf(sma)).toBe("2026-12-21");
    expect(await dueOf(env)).toBe("2026-12-21");
  });

  it("a quarterly workday rule follows a holiday entered in 日历 and moves back when it is removed; past-due rounds stay", async () => {
    seeded = await seededScheduler(at("2026-09-20", "10:00"));
    const s = seeded;
    const now = at("2026-12-07", "10:00");
    await ensureRounds(s.db, at("2026-10-05", "10:00"), await loadCalendar(s.db));
    await ensureRounds(s.db, now, await loadCalendar(s.db));
    const dues = async (periodKey: string) => {
      const rounds = await s.db.round.findMany({ where: { periodKey, deadline: { kind: "quarterly" } }, include: { submissions: true } });
      const dates = new Set<string>();
      for (const r of rounds) {
        dates.add(shanghaiDate(r.dueAt));
        for (const x of r.submissions) expect(x.dueAt).toEqual(r.dueAt);
      }
      return [...dates].sort();
    };
    expect(await dues("2026Q4")).toEqual(["2027-01-07", "2027-01-14"]);
    const q3 = await dues("2026Q3");

    const { id } = await setCalendarOverride(s.db, { date: "2027-01-01", kind: "holiday", name: "元旦", now, actor: 1 });
    expect(await dues("2026Q4")).toEqual(["2027-01-08", "2027-01-15"]);
    const created = await s.db.auditEvent.findFirstOrThrow({ where: { action: "calendar.create" } });
    const movedRounds = JSON.parse(created.detail!).movedRounds as Array<{ periodKey: string; from: string; to: string }>;
    expect(movedRounds.length).toBe(await s.db.round.count({ where: { periodKey: "2026Q4", deadline: { kind: "quarterly" } } }));
    expect(movedRounds).toContainEqual(expect.objectContaining({ periodKey: "2026Q4", from: "2027-01-07 17:30", to: "2027-01-08 17:30" }));

    await removeCalendarOverride(s.db, { id, now, actor: 1 });
    expect(await dues("2026Q4")).toEqual(["2027-01-07", "2027-01-14"]);

    // A holiday inside Q3's count would move its (past) due date; the past-due rounds keep theirs.
    await setCalendarOverrides(s.db, { days: [{ date: "2026-10-09", kind: "holiday", name: "测试" }, { date: "2027-01-01", kind: "holiday", name: "元旦" }], now, actor: 1 });
    expect(await dues("2026Q3")).toEqual(q3);
    expect(await dues("2026Q4")).toEqual(["2027-01-08", "2027-01-15"]);
  });
});
