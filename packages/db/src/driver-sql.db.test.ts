import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { driverSql, driverTransaction, join, sql } from "./driver-sql.ts";
import { isUniqueViolation } from "./errors.ts";
import { createTestDb, testProviders, type TestDb } from "./testing.ts";

/**
 * Statements through the client's driver adapter read and write what `$queryRaw` would, commit
 * or roll back as one transaction, and follow the client across a disconnect.
 */
describe.each(testProviders())("driver-adapter statements (%s)", (provider) => {
  let t: TestDb;
  beforeEach(async () => {
    t = await createTestDb({ provider });
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it("reads and writes the values $queryRaw does: dates, integers, texts, bytes, nulls", async () => {
    const at = new Date("2026-11-27T09:30:15.250Z");
    const unit = await t.db.unit.create({ data: { name: "市场监督管理局" } });
    const run = await driverSql(t.db);
    const [inserted] = await run.query<{ id: number }>(sql`INSERT INTO "BotSession" ("key", "value", "updatedAt") VALUES (${"chat:1"}, ${"{}"}, ${at}) RETURNING "key" AS "id"`);
    expect(inserted).toEqual({ id: "chat:1" });
    expect(await t.db.botSession.findUniqueOrThrow({ where: { key: "chat:1" } })).toMatchObject({ value: "{}", updatedAt: at });
    const [row] = await run.query<{ id: unknown; name: unknown; updatedAt: unknown; missing: unknown }>(
      sql`SELECT u."id" AS "id", u."name" AS "name", s."updatedAt" AS "updatedAt", NULL AS "missing" FROM "Unit" u JOIN "BotSession" s ON s."key" = ${"chat:1"} WHERE u."id" = ${unit.id}`,
    );
    expect(row).toEqual({ id: unit.id, name: "市场监督管理局", updatedAt: at, missing: null });
    expect(await run.query(sql`SELECT "name" FROM "Unit" WHERE "id" IN (${join([unit.id, unit.id + 1000])})`)).toEqual([{ name: "市场监督管理局" }]);

    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    const task = await t.db.task.create({ data: { ordinal: 1, number: "1", title: "任务", body: "", plan: { create: { title: "计划", sourceText: "", sourceHash: "x" } } } });
    const update = await t.db.statusUpdate.create({ data: { taskId: task.id, unitId: unit.id, status: "in_progress", source: "test", createdAt: at } });
    expect(await run.execute(sql`INSERT INTO "Attachment" ("statusUpdateId", "kind", "telegramFileId", "content", "createdAt") VALUES (${update.id}, ${"photo"}, ${"f1"}, ${bytes}, ${at})`)).toBe(1);
    const attachment = await t.db.attachment.findFirstOrThrow({ where: { statusUpdateId: update.id } });
    expect(Buffer.from(attachment.content!).equals(Buffer.from(bytes))).toBe(true);
    expect(await run.execute(sql`INSERT INTO "ProcessedUpdate" ("updateId", "at") VALUES (${BigInt(9_007_199_254_740_000)}, ${at})`)).toBe(1);
    expect((await t.db.processedUpdate.findFirstOrThrow()).updateId).toBe(9_007_199_254_740_000n);
  });

  it("commits a transaction once the work returns, and rolls all of it back when it throws", async () => {
    await driverTransaction(t.db, async (tx) => {
      await tx.execute(sql`INSERT INTO "Unit" ("name") VALUES (${"环保局"})`);
      expect(await tx.query(sql`SELECT "name" FROM "Unit"`)).toEqual([{ name: "环保局" }]);
    });
    const failed = await driverTransaction(t.db, async (tx) => {
      await tx.execute(sql`INSERT INTO "Unit" ("name") VALUES (${"住建局"})`);
      await tx.execute(sql`INSERT INTO "Unit" ("name") VALUES (${"环保局"})`);
    }).catch((error: unknown) => error);
    expect(isUniqueViolation(failed)).toBe(true);
    await expect(driverTransaction(t.db, async () => Promise.reject(new Error("stop")))).rejects.toThrow("stop");
    expect((await t.db.unit.findMany({ orderBy: { id: "asc" } })).map((u) => u.name)).toEqual(["环保局"]);
    // The client's own transactions still work after these (the connection is free again).
    await t.db.$transaction(async (tx) => {
      await tx.unit.create({ data: { name: "交通局" } });
    });
    expect(await t.db.unit.count()).toBe(2);
  });

  it("connects a client that has not run a query yet, and again after $disconnect", async () => {
    const other = t.connect();
    expect(await (await driverSql(other)).query(sql`SELECT COUNT(*) AS "n" FROM "Unit"`)).toEqual([{ n: 0 }]);
    await other.$disconnect();
    await driverTransaction(other, async (tx) => {
      await tx.execute(sql`INSERT INTO "Unit" ("name") VALUES (${"环保局"})`);
    });
    expect(await t.db.unit.count()).toBe(1);
  });
});
