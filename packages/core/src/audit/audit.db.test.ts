import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@duban/db/testing";
import { listAudit, writeAudit } from "./audit.ts";

describe("audit log (temporary SQLite)", () => {
  let test: TestDb;
  beforeEach(async () => {
    test = await createTestDb();
  });
  afterEach(() => test.cleanup());

  it("writes events (also inside a transaction) and lists them newest first with the actor's name", async () => {
    const user = await test.db.user.create({ data: { username: "wang", displayName: "王科长", passwordHash: "x", role: "staff" } });
    await writeAudit(test.db, { actorType: "user", actorId: user.id, action: "deadline.create", entity: "Deadline", entityId: 7, detail: { title: "x" }, at: new Date("2026-10-12T02:00:00Z") });
    await test.db.$transaction(async (tx) => {
      await writeAudit(tx, { actorType: "system", action: "plan.import", entity: "Plan", entityId: 1, at: new Date("2026-10-12T03:00:00Z") });
    });
    const all = await listAudit(test.db, { page: 1, pageSize: 10 });
    expect(all.total).toBe(2);
    expect(all.items.map((i) => i.action)).toEqual(["plan.import", "deadline.create"]);
    expect(all.items[1]).toMatchObject({ actor: "王科长（wang）", entityId: "7", detail: '{"title":"x"}' });
    expect((await listAudit(test.db, { page: 1, pageSize: 10, action: "deadline" })).items).toHaveLength(1);
    expect((await listAudit(test.db, { page: 1, pageSize: 10, actorType: "system" })).items.map((i) => i.action)).toEqual(["plan.import"]);
  });
});
