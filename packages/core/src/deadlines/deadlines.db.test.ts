import { afterEach, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@duban/db/testing";
import { DEFAULT_LADDER } from "@duban/domain/reminder-ladder";
import { at, SEED_PLAN } from "../../test/scheduler-fixture.ts";
import { loadCalendar } from "../calendar/calendar-source.ts";
import { archiveDeadline, createDeadline, DeadlineError, listDeadlines, updateDeadline } from "./deadlines.ts";
import { ensureRounds } from "../rounds/ensure-rounds.ts";
import { importPlan } from "../plans/import-plan.ts";

let test: TestDb | null = null;
afterEach(async () => {
  await test?.cleanup();
  test = null;
});
const now = at("2026-11-24", "10:00");
const actor = { actorType: "user" as const, actorId: 1 };

async function seeded() {
  test = await createTestDb();
  await importPlan(test.db, SEED_PLAN, now);
  const task16 = await test.db.task.findFirstOrThrow({ where: { number: "16" }, include: { assignments: { include: { unit: true } } } });
  return { db: test.db, task16 };
}

describe("deadlines (real SQLite)", () => {
  it("creates a one-off deadline for one assignment with its own ladder, and it opens a round for that unit only", async () => {
    const { db, task16 } = await seeded();
    const env = task16.assignments.find((a) => a.unit.name === "环保局")!;
    const created = await createDeadline(
      db,
      { taskId: task16.id, assignmentId: env.id, title: "燃煤小锅炉整治验收", rule: { kind: "once", dueDate: "2026-12-31" }, ladder: { before: [5, 2], officeAfter: 3 } },
      now,
      actor,
    );
    const listed = (await listDeadlines(db, { taskId: task16.id })).find((d) => d.id === created.id)!;
    expect(listed).toMatchObject({ unit: "环保局", ruleText: "2026-12-31前", customLadder: true, dueTime: "17:30" });
    expect(listed.ladder).toEqual({ ...DEFAULT_LADDER, before: [5, 2], officeAfter: 3 });

    await ensureRounds(db, now, await loadCalendar(db));
    const round = await db.round.findFirstOrThrow({ where: { deadlineId: created.id }, include: { submissions: { include: { unit: true } } } });
    expect(round.periodKey).toBe("once");
    expect(round.dueAt).toEqual(at("2026-12-31", "17:30"));
    expect(round.submissions.map((s) => s.unit.name)).toEqual(["环保局"]);
    expect(await db.auditEvent.count({ where: { action: "deadline.create", entityId: String(created.id) } })).toBe(1);
  });

  it("refuses an assignment of another task, a wrong date and a day that does not exist every year", async () => {
    const { db, task16 } = await seeded();
    const other = await db.assignment.findFirstOrThrow({ where: { taskId: { not: task16.id } } });
    await expect(createDeadline(db, { taskId: task16.id, assignmentId: other.id, title: "x", rule: { kind: "once", dueDate: "2026-12-31" } }, now, actor)).rejects.toBeInstanceOf(DeadlineError);
    await expect(createDeadline(db, { taskId: task16.id, title: "x", rule: { kind: "once", dueDate: "2026-13-01" } }, now, actor)).rejects.toThrow();
    await expect(createDeadline(db, { taskId: task16.id, title: "x", rule: { kind: "annual", month: 2, day: 29, dayBasis: "calendar" } }, now, actor)).rejects.toThrow();
    await expect(createDeadline(db, { taskId: task16.id, title: " ", rule: { kind: "once", dueDate: "2026-12-31" } }, now, actor)).rejects.toThrow("请填写名称");
  });

  it("updates a rule and archives without deleting history", async () => {
    const { db, task16 } = await seeded();
    const progress = (await listDeadlines(db, { taskId: task16.id }))[0]!;
    await updateDeadline(db, progress.id, { taskId: task16.id, title: "任务16季度进度", rule: { kind: "quarterly", offsetDays: 15, dayBasis: "calendar" } }, now, actor);
    expect((await listDeadlines(db, { taskId: task16.id }))[0]).toMatchObject({ ruleText: expect.stringContaining("15"), customLadder: false });

    await ensureRounds(db, now, await loadCalendar(db));
    const rounds = await db.round.count({ where: { deadlineId: progress.id } });
    expect(rounds).toBeGreaterThan(0);
    await archiveDeadline(db, progress.id, now, actor);
    expect((await listDeadlines(db, { taskId: task16.id })).map((d) => d.id)).not.toContain(progress.id);
    expect(await db.round.count({ where: { deadlineId: progress.id } })).toBe(rounds);
    await expect(archiveDeadline(db, 999_999, now, actor)).rejects.toMatchObject({ code: "not-found" });
  });
});
