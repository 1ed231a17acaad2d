import { afterEach, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@duban/db/testing";
import { planReminders, upcomingReminders } from "@duban/domain/reminder-ladder";
import { loadCalendar } from "../calendar/calendar-source.ts";
import { ensureRounds } from "../rounds/ensure-rounds.ts";
import { loadLadderContext, type LadderContext } from "./ladder-state.ts";
import { describePlanned, planDueReminders } from "./plan-due-reminders.ts";
import { previewReminders } from "./preview-reminders.ts";
import { ladderContextByInclude } from "../testing/ladder-context-reference.ts";
import { at, FIXTURE_NOW, liaisonFixture, type LiaisonFixture } from "../testing/liaison-fixture.ts";
import { insertScalePlan } from "../testing/scale-fixture.ts";

describe("loadLadderContext (temporary database)", () => {
  let t: TestDb | LiaisonFixture | undefined;
  afterEach(async () => {
    await t?.cleanup();
    t = undefined;
  });

  it("a round of 1,200 units with liaisons (over 999 bound values before) plans each liaison once", { timeout: 180_000 }, async () => {
    const db = (t = await createTestDb()).db;
    const plan = await insertScalePlan(db, { tasks: 1, unitsPerTask: 1200, contacts: true, createdAt: at("2026-07-01", "08:00") });
    const calendar = await loadCalendar(db);
    const now = at("2027-01-05", "10:00");
    await ensureRounds(db, now, calendar);

    const planned = await planDueReminders(db, now, calendar);
    expect(new Set(planned.map((p) => p.contact))).toEqual(new Set(plan.contactIds));
    expect(planned).toHaveLength(1200);
    // The keys just stored are read back: a minute later nothing is planned again.
    expect(await planDueReminders(db, new Date(now.getTime() + 60_000), calendar)).toEqual([]);
    // A unit that answered drops out of what is read.
    await db.submission.updateMany({ where: { unitId: { in: plan.unitIds.slice(0, 700) } }, data: { submittedAt: now } });
    const context = await loadLadderContext(db, now, calendar);
    expect(context.state.rounds.length).toBeGreaterThan(0);
    for (const round of context.state.rounds) expect(round.units.map((u) => u.unitId)).toEqual(plan.unitIds.slice(700));
    expect(context.state.existingKeys.size).toBe(500);
    expect(await previewReminders(db, now, new Date(now.getTime() + 7 * 24 * 3600 * 1000))).not.toHaveLength(0);
  });

  it("plans exactly what the include-based read planned: contacts on two channels, heads, revoked and blocked, snoozes, extensions, reschedules, keys stored", { timeout: 120_000 }, async () => {
    const f = (t = await liaisonFixture());
    const owing = await f.db.unit.findMany({ where: { submissions: { some: {} } }, orderBy: { id: "asc" }, take: 6 });
    expect(owing).toHaveLength(6);
    const [a, b, c, d, e, g] = owing as [(typeof owing)[number], (typeof owing)[number], (typeof owing)[number], (typeof owing)[number], (typeof owing)[number], (typeof owing)[number]];
    await f.addContact({ unit: a.name, telegramUserId: "1001" });
    await f.addContact({ unit: a.name, role: "head", telegramUserId: "1002", language: "en" });
    const onWecom = await f.addContact({ unit: b.name, telegramUserId: null });
    await f.db.contactChannel.create({ data: { contactId: onWecom, channel: "wecom", externalId: "lihua" } });
    await f.addContact({ unit: b.name, telegramUserId: null, name: "no channel yet" });
    const revoked = await f.addContact({ unit: c.name, telegramUserId: "1003" });
    await f.db.contact.update({ where: { id: revoked }, data: { status: "revoked" } });
    await f.addContact({ unit: c.name, telegramUserId: "1004" });
    const blocked = await f.addContact({ unit: d.name, telegramUserId: "1005" });
    await f.db.contact.update({ where: { id: blocked }, data: { status: "blocked" } });
    await f.addContact({ unit: e.name, telegramUserId: "1006" });
    await f.addContact({ unit: g.name, role: "head", telegramUserId: "1007" });

    const first = await f.db.submission.findFirstOrThrow({ where: { unitId: a.id }, orderBy: { id: "asc" } });
    await f.db.submission.update({ where: { id: first.id }, data: { snoozedUntil: at("2026-10-13", "09:00") } });
    const extended = await f.db.submission.findFirstOrThrow({ where: { unitId: c.id }, orderBy: { id: "asc" } });
    await f.db.submission.update({ where: { id: extended.id }, data: { dueAt: new Date(extended.dueAt.getTime() + 10 * 24 * 3600 * 1000) } });
    await f.db.submission.updateMany({ where: { unitId: e.id }, data: { submittedAt: FIXTURE_NOW } });
    const moved = await f.db.round.findFirstOrThrow({ where: { submissions: { some: { unitId: g.id } } }, orderBy: { id: "asc" } });
    await f.db.round.update({ where: { id: moved.id }, data: { rescheduledAt: FIXTURE_NOW } });

    const calendar = await loadCalendar(f.db);
    expect((await planDueReminders(f.db, FIXTURE_NOW, calendar)).length).toBeGreaterThan(0);

    const views = (context: LadderContext, now: Date) => planReminders(context.state, now).map((p) => describePlanned(context, p, calendar, now));
    let compared = 0;
    for (const now of [FIXTURE_NOW, at("2026-10-13", "09:30"), at("2026-10-20", "10:00"), at("2026-11-16", "14:00"), at("2026-12-28", "10:00")]) {
      const [setBased, byInclude] = [await loadLadderContext(f.db, now, calendar), await ladderContextByInclude(f.db, now, calendar)];
      const expected = views(byInclude, now);
      expect(views(setBased, now)).toEqual(expected);
      const week = new Date(now.getTime() + 7 * 24 * 3600 * 1000);
      expect(upcomingReminders(setBased.state, now, week)).toEqual(upcomingReminders(byInclude.state, now, week));
      compared += expected.length + upcomingReminders(byInclude.state, now, week).length;
    }
    // The comparison covered real plans, not empty lists.
    expect(compared).toBeGreaterThan(20);
  });
});
