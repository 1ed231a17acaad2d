import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { addDays, createCalendar, shanghaiDate, shanghaiTime } from "@duban/domain/calendar";
import { DEFAULT_WORKING_HOURS, isWithinWorkingHours } from "@duban/domain/reminder-ladder";
import { at, ClockedMessenger, ScriptedMessenger, seededScheduler, submissionOf, type SeededScheduler } from "../../test/scheduler-fixture.ts";
import { CLAIM_TIMEOUT_MS, dispatchReminders } from "./dispatch-reminders.ts";
import { runSchedulerPass } from "./run-scheduler-pass.ts";

const calendar = createCalendar();
let seeded: SeededScheduler | null = null;
afterEach(async () => {
  await seeded?.cleanup();
  seeded = null;
});

/** Ticks at 08:30 (before hours), 09:00 and 18:00 (after hours) of every day from `from` to `to`. */
async function driveDays(s: SeededScheduler, messenger: ClockedMessenger, from: string, to: string, db = s.db) {
  for (let day = from; day <= to; day = addDays(day, 1)) {
    for (const time of ["08:30", "09:00", "18:00"]) {
      messenger.now = at(day, time);
      await runSchedulerPass({ db, messenger, now: messenger.now, instanceId: "year" });
    }
  }
}

describe("scheduler over real SQLite (seed plan, injected clock)", () => {
  it("drives a year day by day: rounds once, rungs once at working hours, escalations on the right days", { timeout: 600_000 }, async () => {
    seeded = await seededScheduler(at("2025-12-20", "10:00"));
    const s = seeded;
    const messenger = new ClockedMessenger();
    const envId = await s.unit("环保局");

    // 环保局 answers the Q3 progress round of task 12 on 2026-10-09, mid-ladder.
    await driveDays(s, messenger, "2026-01-01", "2026-10-09");
    const task12 = await submissionOf(s.db, "任务12季度进度", "2026Q3", envId);
    await s.db.submission.update({ where: { id: task12.id }, data: { submittedAt: at("2026-10-09", "10:00") } });
    await driveDays(s, messenger, "2026-10-10", "2026-12-31");

    // Rounds: one per deadline and period, the previous period only while still not due on 2026-01-01.
    const rounds = await s.db.round.findMany({ include: { deadline: true } });
    const progress12 = rounds.filter((r) => r.deadline.title === "任务12季度进度").map((r) => r.periodKey).sort();
    expect(progress12).toEqual(["2025Q4", "2026Q1", "2026Q2", "2026Q3", "2026Q4"]);
    const annual = rounds.filter((r) => r.deadline.kind === "annual").map((r) => r.periodKey).sort();
    expect(annual).toEqual(["2025", "2026"]);
    const keys = rounds.map((r) => `${r.deadlineId}/${r.periodKey}`);
    expect(new Set(keys).size).toBe(keys.length);

    // Every message once, always on a workday within working hours.
    const sentKeys = messenger.sent.map((m) => m.key);
    expect(new Set(sentKeys).size).toBe(sentKeys.length);
    expect(messenger.sent.length).toBeGreaterThan(50);
    for (const m of messenger.sent) expect(isWithinWorkingHours(m.at, calendar, DEFAULT_WORKING_HOURS)).toBe(true);
    expect(messenger.sent.some((m) => shanghaiTime(m.at) !== "09:00")).toBe(false);

    // Task 12's Q3 progress round is due 2026-10-13 (5 workdays after Sep 30: Oct 8, 9, 10 (调休 Saturday), 12, 13).
    const round12 = rounds.find((r) => r.deadline.title === "任务12季度进度" && r.periodKey === "2026Q3")!;
    const smaId = await s.unit("市场监督管理局");
    const ladderDays = (unitId: number, contactId: number | null) =>
      messenger.sent
        .filter((m) => m.roundId === round12.id && m.unitId === unitId && m.contactId === contactId)
        .map((m) => `${m.key.split(":").pop()}@${shanghaiDate(m.at)}`);
    expect(ladderDays(smaId, s.contacts.smaLiaison).slice(0, 7)).toEqual([
      "before-7@2026-09-28",
      "before-3@2026-10-09",
      "before-1@2026-10-12",
      "due@2026-10-13",
      "overdue-2@2026-10-15",
      "overdue-4@2026-10-19",
      "overdue-6@2026-10-21",
    ]);
    expect(ladderDays(smaId, s.contacts.smaHead).slice(0, 2)).toEqual(["head-3@2026-10-16", "head-5@2026-10-20"]);
    // Nothing on the National Day holiday or the Mid-Autumn weekend.
    const holidayDays = messenger.sent.map((m) => shanghaiDate(m.at)).filter((d) => d >= "2026-10-01" && d <= "2026-10-07");
    expect(holidayDays).toEqual([]);
    // 环保局 got the ladder up to its answer and nothing after.
    expect(ladderDays(envId, s.contacts.envLiaison)).toEqual(["before-7@2026-09-28", "before-3@2026-10-09"]);
    // The office escalation for the unit that never answered is recorded once, 5 workdays overdue.
    const office = await s.db.reminder.findMany({ where: { roundId: round12.id, unitId: smaId, contactId: null } });
    expect(office.map((r) => [r.rung, shanghaiDate(r.dueAt)])).toEqual([["office-5", "2026-10-20"]]);
  });

  it("restarts mid-round (new client, same file): nothing lost, nothing repeated", { timeout: 120_000 }, async () => {
    seeded = await seededScheduler(at("2026-09-01", "10:00"));
    const s = seeded;
    const first = new ClockedMessenger();
    await driveDays(s, first, "2026-09-01", "2026-10-12");
    await s.db.$disconnect();
    const second = new ClockedMessenger();
    const restarted = s.connect();
    await driveDays(s, second, "2026-10-13", "2026-10-23", restarted);

    const all = [...first.sent, ...second.sent].map((m) => m.key);
    expect(new Set(all).size).toBe(all.length);
    const round12 = await restarted.round.findFirstOrThrow({ where: { periodKey: "2026Q3", deadline: { title: "任务12季度进度" } } });
    const smaId = await s.unit("市场监督管理局");
    const rungs = [...first.sent, ...second.sent]
      .filter((m) => m.roundId === round12.id && m.unitId === smaId && m.contactId === s.contacts.smaLiaison)
      .map((m) => m.key.split(":").pop());
    // Due 2026-10-13; driven to 10-23, the 8th workday after.
    expect(rungs).toEqual(["before-7", "before-3", "before-1", "due", "overdue-2", "overdue-4", "overdue-6", "overdue-8"]);
  });

  it("a crash between claim and send is recovered after the claim timeout and counted", { timeout: 60_000 }, async () => {
    seeded = await seededScheduler(at("2026-09-01", "10:00"));
    const s = seeded;
    const now = at("2026-09-28", "09:00");
    // Plan without sending, then claim one reminder as a process that dies before sending.
    await runSchedulerPass({ db: s.db, messenger: null, now });
    const victim = await s.db.reminder.findFirstOrThrow({ where: { state: "pending" }, orderBy: { id: "asc" } });
    await s.db.reminder.update({ where: { id: victim.id }, data: { state: "sending", claimedBy: "dead", claimedAt: now, attempts: 1 } });

    const messenger = new ScriptedMessenger([]);
    messenger.now = new Date(now.getTime() + 60_000);
    const early = await dispatchReminders(s.db, messenger, messenger.now);
    expect(early.reclaimed).toBe(0);
    expect(messenger.attempts.map((a) => a.key)).not.toContain(victim.key);

    messenger.now = new Date(now.getTime() + CLAIM_TIMEOUT_MS + 1000);
    const later = await dispatchReminders(s.db, messenger, messenger.now);
    expect(later.reclaimed).toBe(1);
    expect(messenger.attempts.filter((a) => a.key === victim.key)).toHaveLength(1);
    expect((await s.db.reminder.findUniqueOrThrow({ where: { id: victim.id } })).state).toBe("sent");
    expect(await s.db.auditEvent.count({ where: { action: "reminder.reclaim" } })).toBe(1);
  });

  it("two scheduler processes on one database never double-create or double-send", { timeout: 180_000 }, async () => {
    seeded = await seededScheduler(at("2026-09-01", "10:00"));
    const s = seeded;
    const sync = mkdtempSync(path.join(os.tmpdir(), "duban-two-schedulers-"));
    const run = (instance: string, peer: string) =>
      new Promise<{ rounds: number; keys: string[] }>((resolve, reject) => {
        const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("../../test/scheduler-process.ts", import.meta.url)), s.url, "2026-09-25", "2026-10-21", instance, sync, peer], {
          stdio: ["ignore", "pipe", "pipe"],
        });
        let out = "";
        let err = "";
        child.stdout.on("data", (d) => (out += d));
        child.stderr.on("data", (d) => (err += d));
        child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`instance ${instance} exited ${code}: ${err}`))));
      });
    const [a, b] = await Promise.all([run("a", "b"), run("b", "a")]).finally(() => rmSync(sync, { recursive: true, force: true }));
    const keys = [...a.keys, ...b.keys];
    expect(keys.length).toBeGreaterThan(10);
    expect(new Set(keys).size).toBe(keys.length);
    const rounds = await s.db.round.findMany();
    expect(a.rounds + b.rounds).toBe(rounds.length);
    expect(new Set(rounds.map((r) => `${r.deadlineId}/${r.periodKey}`)).size).toBe(rounds.length);
    // Office escalations without an office chat are recorded as sent to the console, not messaged.
    const stored = await s.db.reminder.findMany({ where: { state: "sent", contactId: { not: null } } });
    expect(stored.map((r) => r.key).sort()).toEqual([...keys].sort());
  });

  it("down 72 hours across a period start: catch-up creates the missed round; stale rungs collapse into one", { timeout: 120_000 }, async () => {
    seeded = await seededScheduler(at("2026-06-01", "10:00"));
    const s = seeded;
    const messenger = new ClockedMessenger();
    await driveDays(s, messenger, "2026-06-01", "2026-06-30");
    expect(await s.db.round.count({ where: { periodKey: "2026Q3" } })).toBe(0);

    // Down from Tuesday 2026-06-30 18:00 to Friday 2026-07-03 18:00: Q3 began on 07-01.
    const before = messenger.sent.length;
    messenger.now = at("2026-07-03", "18:00");
    const back = await runSchedulerPass({ db: s.db, messenger, now: messenger.now, instanceId: "back" });
    expect(back.roundsCreated.filter((r) => r.periodKey === "2026Q3").length).toBeGreaterThan(0);
    expect(messenger.sent.length).toBe(before); // after hours: nothing goes out at 18:00

    // Monday morning: task 12's Q2 progress (due 07-07) missed before-3 (07-02); before-1 is current.
    messenger.now = at("2026-07-06", "09:00");
    await runSchedulerPass({ db: s.db, messenger, now: messenger.now, instanceId: "back" });
    const fresh = messenger.sent.slice(before);
    const tracks = fresh.map((m) => `${m.roundId}/${m.unitId}/${m.contactId}`);
    expect(new Set(tracks).size).toBe(tracks.length);
    const round12 = await s.db.round.findFirstOrThrow({ where: { periodKey: "2026Q2", deadline: { title: "任务12季度进度" } } });
    const smaId = await s.unit("市场监督管理局");
    const rungs = messenger.sent
      .filter((m) => m.roundId === round12.id && m.unitId === smaId && m.contactId === s.contacts.smaLiaison)
      .map((m) => `${m.key.split(":").pop()}@${shanghaiDate(m.at)}`);
    expect(rungs).toEqual(["before-7@2026-06-26", "before-1@2026-07-06"]);
  });

  it("retries a 429 after retry_after, then a 5xx with backoff, then marks 403 unreachable", { timeout: 60_000 }, async () => {
    seeded = await seededScheduler(at("2026-09-01", "10:00"));
    const s = seeded;
    const now = at("2026-09-28", "09:00");
    await runSchedulerPass({ db: s.db, messenger: null, now });
    const target = await s.db.reminder.findFirstOrThrow({ where: { contactId: s.contacts.envLiaison } });
    // Leave only the target in the outbox so the script applies to it.
    await s.db.reminder.updateMany({ where: { id: { not: target.id } }, data: { state: "cancelled" } });
    const messenger = new ScriptedMessenger([
      { ok: false, outcome: "retry", retryAfterMs: 90_000, error: "429 Too Many Requests: retry after 90" },
      { ok: false, outcome: "retry", error: "502 Bad Gateway" },
      { ok: false, outcome: "unreachable", error: "403 Forbidden: bot was blocked by the user" },
    ]);
    const tick = async (ms: number) => {
      messenger.now = new Date(now.getTime() + ms);
      await dispatchReminders(s.db, messenger, messenger.now);
      return s.db.reminder.findUniqueOrThrow({ where: { id: target.id } });
    };
    let r = await tick(0);
    expect(r.state).toBe("retrying");
    expect(r.nextAttemptAt.getTime() - now.getTime()).toBe(90_000);
    r = await tick(60_000);
    expect(messenger.attempts).toHaveLength(1);
    r = await tick(90_000);
    expect(messenger.attempts).toHaveLength(2);
    expect(r.state).toBe("retrying");
    expect(r.nextAttemptAt.getTime() - now.getTime()).toBe(90_000 + 60_000);
    r = await tick(150_000);
    expect(messenger.attempts).toHaveLength(3);
    expect(r.state).toBe("unreachable");
    const contact = await s.db.contact.findUniqueOrThrow({ where: { id: s.contacts.envLiaison } });
    expect(contact.status).toBe("blocked");
    expect(contact.unreachableAt).not.toBeNull();
    expect(messenger.attempts.map((a) => a.key)).toEqual([target.key, target.key, target.key]);
  });

  it("an extended unit's ladder restarts for its new due date, under keys of its own", { timeout: 120_000 }, async () => {
    seeded = await seededScheduler(at("2026-09-01", "10:00"));
    const s = seeded;
    const messenger = new ClockedMessenger();
    await driveDays(s, messenger, "2026-09-25", "2026-10-16");
    const smaId = await s.unit("市场监督管理局");
    const submission = await submissionOf(s.db, "任务12季度进度", "2026Q3", smaId);
    // The office grants 市场监督管理局 until 2026-10-30 (a Friday).
    await s.db.submission.update({ where: { id: submission.id }, data: { dueAt: at("2026-10-30", "17:30") } });
    const before = messenger.sent.length;
    await driveDays(s, messenger, "2026-10-17", "2026-11-03");
    const rungs = messenger.sent
      .slice(before)
      .filter((m) => m.roundId === submission.roundId && m.unitId === smaId && m.contactId === s.contacts.smaLiaison)
      .map((m) => `${m.key.split(":").slice(-2).join(":")}@${shanghaiDate(m.at)}`);
    expect(rungs).toEqual([
      "due20261030:before-7@2026-10-21",
      "due20261030:before-3@2026-10-27",
      "due20261030:before-1@2026-10-29",
      "due20261030:due@2026-10-30",
      "due20261030:overdue-2@2026-11-03",
    ]);
  });
});
