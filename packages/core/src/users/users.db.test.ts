import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@duban/db/testing";
import { verifyPassword } from "../auth/password.ts";
import { createUser, UserError } from "./create-user.ts";
import { listUsers } from "./list-users.ts";
import { resetPassword, updateUser } from "./update-user.ts";

const now = new Date("2026-10-12T02:00:00Z");

describe("office users (temporary SQLite)", () => {
  let test: TestDb;
  let admin: number;
  beforeEach(async () => {
    test = await createTestDb();
    admin = (await createUser(test.db, { username: "admin", password: "admin password", role: "admin", now, actor: null })).id;
  });
  afterEach(() => test.cleanup());

  it("creates a user with a scrypt hash, refuses a taken name or a short password, and audits", async () => {
    const user = await createUser(test.db, { username: "li.staff", password: "staff password", role: "staff", displayName: "李", now, actor: admin });
    const row = await test.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.passwordHash).toMatch(/^scrypt\$/);
    expect(await verifyPassword("staff password", row.passwordHash)).toBe(true);
    await expect(createUser(test.db, { username: "li.staff", password: "another password", role: "viewer", now, actor: admin })).rejects.toBeInstanceOf(UserError);
    await expect(createUser(test.db, { username: "x", password: "short", role: "viewer", now, actor: admin })).rejects.toThrow();
    expect(await test.db.auditEvent.count({ where: { action: "user.create", actorId: String(admin) } })).toBe(1);
    expect((await listUsers(test.db)).map((u) => u.username)).toEqual(["admin", "li.staff"]);
    expect(JSON.stringify(await listUsers(test.db))).not.toContain("scrypt");
  });

  it("keeps at least one active admin", async () => {
    await expect(updateUser(test.db, { id: admin, role: "staff", now, actor: admin })).rejects.toMatchObject({ code: "last-admin" });
    await expect(updateUser(test.db, { id: admin, disabled: true, now, actor: admin })).rejects.toMatchObject({ code: "last-admin" });
    const second = await createUser(test.db, { username: "admin2", password: "admin password 2", role: "admin", now, actor: admin });
    await updateUser(test.db, { id: admin, role: "staff", now, actor: second.id });
    expect((await test.db.user.findUniqueOrThrow({ where: { id: admin } })).role).toBe("staff");
  });

  it("resets a password and signs the user out everywhere", async () => {
    const user = await createUser(test.db, { username: "zhao", password: "old password", role: "viewer", now, actor: admin });
    await test.db.session.create({ data: { id: "s1", userId: user.id, expiresAt: new Date(now.getTime() + 3600_000) } });
    await resetPassword(test.db, { id: user.id, password: "new password", now, actor: admin });
    expect(await test.db.session.count({ where: { userId: user.id } })).toBe(0);
    expect(await verifyPassword("new password", (await test.db.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash)).toBe(true);
    const audit = await test.db.auditEvent.findFirstOrThrow({ where: { action: "user.reset-password" } });
    expect(audit.detail).not.toContain("new password");
  });
});
