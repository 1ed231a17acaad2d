/**
 * catch-up: the first scheduler pass after 72 h down, with L liaisons (100 tasks × L/100 units,
 * one liaison each), then a second pass a minute later that must write nothing; beside the
 * same reminder rows inserted by raw better-sqlite3 in one transaction.
 */
import Database from "better-sqlite3";
import { runSchedulerPass } from "@duban/core/reminders/run-scheduler-pass";
import { at } from "@duban/core/testing/liaison-fixture";
import { insertScalePlan } from "@duban/core/testing/scale-fixture";
import { createTestDb } from "@duban/db/testing";

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function once(liaisons: number) {
  const t = await createTestDb({ provider: "sqlite" });
  try {
    await insertScalePlan(t.db, { tasks: 100, unitsPerTask: liaisons / 100, units: liaisons, contacts: true, createdAt: at("2026-07-01", "08:00") });
    const before = at("2027-01-04", "10:00");
    await runSchedulerPass({ db: t.db, messenger: null, now: before });
    const rows = async () => (await t.db.reminder.count()) + (await t.db.round.count()) + (await t.db.submission.count());
    const after = new Date(before.getTime() + 72 * 3600 * 1000);
    let started = performance.now();
    const first = await runSchedulerPass({ db: t.db, messenger: null, now: after });
    const firstMs = performance.now() - started;
    const written = await rows();
    started = performance.now();
    const second = await runSchedulerPass({ db: t.db, messenger: null, now: new Date(after.getTime() + 60_000) });
    const secondMs = performance.now() - started;
    const secondWrites = (await rows()) - written + second.planned.length + second.roundsCreated.length;

    // The anchor: the same reminder rows, raw INSERTs in one transaction.
    const raw = new Database(t.file!);
    const copy = raw.prepare("SELECT * FROM Reminder").all() as Array<Record<string, unknown>>;
    raw.exec("CREATE TEMP TABLE R AS SELECT * FROM Reminder WHERE 0");
    const insert = raw.prepare(`INSERT INTO R (${Object.keys(copy[0]!).join(",")}) VALUES (${Object.keys(copy[0]!).map(() => "?").join(",")})`);
    started = performance.now();
    raw.transaction(() => {
      for (const r of copy) insert.run(...Object.values(r).map((v) => (v instanceof Date ? v.toISOString() : v)));
    })();
    const anchorMs = performance.now() - started;
    raw.close();
    return { firstMs, planned: first.planned.length, secondMs, secondWrites, anchorMs, rows: copy.length };
  } finally {
    await t.cleanup();
  }
}

export async function benchCatchUp(liaisons: number, runs: number): Promise<string> {
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await once(liaisons));
  const r = results[0]!;
  return (
    `catch-up: ${liaisons} liaisons after 72 h down, first pass ${(median(results.map((x) => x.firstMs)) / 1000).toFixed(2)} s (${r.planned} reminders planned), ` +
    `second pass ${(median(results.map((x) => x.secondMs)) / 1000).toFixed(2)} s writing ${Math.max(...results.map((x) => x.secondWrites))} rows ` +
    `(raw SQLite, same ${r.rows} rows in one transaction: ${(median(results.map((x) => x.anchorMs)) / 1000).toFixed(2)} s; median of ${runs})`
  );
}
