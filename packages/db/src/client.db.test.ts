import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isUniqueViolation } from "./errors.ts";
import { createTestDb, type TestDb } from "./testing.ts";

/**
 * The SQLite client keeps prepared statements by SQL text (createDb): the same statement, run
 * again with other values, inside and outside transactions, after a failure and after the
 * schema changed, gives what a freshly prepared one would.
 */
describe("kept prepared statements (temporary SQLite database)", () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await createTestDb({ provider: "sqlite" });
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it("binds each run's own values, and reads, writes and rolls back as before", async () => {
    for (const name of ["环保局", "市场监督管理局", "住建局"]) await t.db.unit.create({ data: { name } });
    const byName = (name: string) => t.db.$queryRaw<Array<{ name: string }>>`SELECT "name" FROM "Unit" WHERE "name" = ${name}`;
    expect(await byName("住建局")).toEqual([{ name: "住建局" }]);
    expect(await byName("环保局")).toEqual([{ name: "环保局" }]);
    expect(await byName("无此单位")).toEqual([]);

    await expect(
      t.db.$transaction(async (tx) => {
        await tx.unit.create({ data: { name: "临时单位" } });
        expect(await tx.unit.count()).toBe(4);
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    await t.db.$transaction(async (tx) => {
      await tx.unit.create({ data: { name: "交通局" } });
    });
    expect((await t.db.unit.findMany({ orderBy: { id: "asc" } })).map((u) => u.name)).toEqual(["环保局", "市场监督管理局", "住建局", "交通局"]);

    // A statement that failed (unique name) runs again with other values.
    const failed = await t.db.unit.create({ data: { name: "环保局" } }).catch((error: unknown) => error);
    expect(isUniqueViolation(failed)).toBe(true);
    expect((await t.db.unit.create({ data: { name: "水务局" } })).name).toBe("水务局");
  });

  it("a kept statement sees a column added after it was prepared", async () => {
    await t.db.unit.create({ data: { name: "环保局" } });
    const all = () => t.db.$queryRawUnsafe<Array<Record<string, unknown>>>(`SELECT * FROM "Unit"`);
    expect(Object.keys((await all())[0]!)).not.toContain("extra");
    await t.db.$executeRawUnsafe(`ALTER TABLE "Unit" ADD COLUMN "extra" TEXT DEFAULT 'x'`);
    expect((await all())[0]).toMatchObject({ name: "环保局", extra: "x" });
  });
});
