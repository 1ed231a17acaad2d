// Needs a PostgreSQL server: `npm run test:pg` (DUBAN_TEST_DATABASE) runs the *.pg.test.ts files;
// `npm test` leaves them out rather than skipping them. (SQLite has one writer at a time, and in
// one process its clients wait on each other synchronously, so there is nothing to race there.)
import { describe, expect, it } from "vitest";
import { createTestDb } from "@duban/db/testing";
import { HISTORY_NOW, insertBoardHistory } from "../testing/board-history-fixture.ts";
import { expectLatestStatusFresh } from "../testing/tally-fold.ts";

/** A small seeded generator, so a failing interleaving's inputs can be replayed. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n) };
}

describe("the newest status per task × unit under concurrent writers (real PostgreSQL, several clients)", () => {
  it("equals the fold of every status update after replies, corrections, deletions and moves on the same cells at once", { timeout: 120_000 }, async () => {
    const test = await createTestDb({ provider: "postgresql" });
    try {
      await insertBoardHistory(test.db, { tasks: 3, units: 12, unitsPerTask: 4, quarters: 2, provider: test.provider });
      const writers = Array.from({ length: 4 }, () => test.connect());
      const base = HISTORY_NOW.getTime();
      // Few cells, many writers: the transactions collide on the same task × unit all the time.
      const work = writers.map(async (client, w) => {
        const rng = random(1000 + w);
        for (let i = 0; i < 12; i++) {
          const taskId = rng.int(3) + 1;
          const unitId = rng.int(3) + 1;
          const op = rng.int(4);
          await client.$transaction(async (tx) => {
            if (op <= 1) {
              // A reply, sometimes at the same instant as another writer's (ties go to the higher id).
              await tx.statusUpdate.create({ data: { taskId, unitId, status: rng.next() < 0.5 ? "blocked" : "in_progress", progress: rng.int(101), source: "telegram-text", createdAt: new Date(base + rng.int(4) * 60_000) } });
            } else if (op === 2) {
              const newest = await tx.statusUpdate.findFirst({ where: { taskId, unitId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
              if (newest) await tx.statusUpdate.deleteMany({ where: { id: newest.id } });
              await tx.statusUpdate.create({ data: { taskId, unitId, status: "done", progress: 100, source: "office", createdAt: new Date(base - rng.int(4) * 60_000) } });
            } else if (rng.next() < 0.5) {
              await tx.statusUpdate.updateMany({ where: { taskId, unitId }, data: { unitId: rng.int(3) + 1 } });
            } else {
              await tx.statusUpdate.updateMany({ where: { taskId, unitId, status: "blocked", coordinatedAt: null }, data: { coordinatedAt: HISTORY_NOW } });
            }
          });
        }
      });
      await Promise.all(work);
      expect(await test.db.statusUpdate.count({ where: { createdAt: { gte: new Date(base - 5 * 60_000) } } })).toBeGreaterThan(10);
      await expectLatestStatusFresh(test.db);
    } finally {
      await test.cleanup();
    }
  });
});
