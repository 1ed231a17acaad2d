import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@duban/db/testing";
import { createUser } from "../users/create-user.ts";
import { updateUser } from "../users/update-user.ts";
import { changeOwnPassword } from "./change-password.ts";
import { clearedSessionCookie, readSessionCookie, sessionCookie } from "./cookie.ts";
import { ensureAdmin } from "./ensure-admin.ts";
import { LOGIN_THROTTLE, login } from "./login.ts";
import { destroySession, resolveSession, sessionIdOf } from "./session.ts";

const t0 = new Date("2026-10-12T02:00:00Z");
const later = (ms: number) => new Date(t0.getTime() + ms);

describe("console sign-in (temporary SQLite)", () => {
  let test: TestDb;
  beforeEach(async () => {
    test = await createTestDb();
    await createUser(test.db, { username: "wang", password: "correct horse battery", role: "staff", now: t0, actor: null });
  });
  afterEach(() => test.cleanup());

  it("opens a session for the right password; the database keeps only a hash of the cookie value", async () => {
    const result = await login(test.db, { username: "wang", password: "correct horse battery", ip: "10.0.0.1", now: t0 });
    if (!result.ok) throw new Error("expected a session");
    expect(result.user).toMatchObject({ username: "wang", role: "staff" });
    const stored = await test.db.session.findMany();
    expect(stored).toHaveLength(1);
    expect(stored[0]?.id).toBe(sessionIdOf(result.token));
    expect(stored[0]?.id).not.toBe(result.token);
    expect(await resolveSession(test.db, result.token, later(60_000))).toMatchObject({ username: "wang" });
    expect(await resolveSession(test.db, result.token, later(13 * 3600_000))).toBeNull();
    expect(await test.db.auditEvent.count({ where: { action: "auth.login" } })).toBe(1);
    await destroySession(test.db, result.token);
    expect(await resolveSession(test.db, result.token, later(60_000))).toBeNull();
  });

  it("refuses a wrong password or an unknown user the same way, and records the attempt", async () => {
    expect(await login(test.db, { username: "wang", password: "wrong", ip: "10.0.0.1", now: t0 })).toEqual({ ok: false, reason: "invalid" });
    expect(await login(test.db, { username: "nobody", password: "wrong", ip: "10.0.0.1", now: t0 })).toEqual({ ok: false, reason: "invalid" });
    expect(await test.db.loginAttempt.count({ where: { ok: false } })).toBe(2);
    expect(await test.db.auditEvent.count({ where: { action: "auth.login-failed" } })).toBe(2);
    expect(await test.db.session.count()).toBe(0);
  });

  it("throttles an account after 5 failures, even for the right password, until the window passes", async () => {
    for (let i = 0; i < LOGIN_THROTTLE.perAccount; i++) {
      await login(test.db, { username: "wang", password: `guess-${i}`, ip: `10.0.0.${i}`, now: later(i * 1000) });
    }
    const locked = await login(test.db, { username: "wang", password: "correct horse battery", ip: "10.9.9.9", now: later(10_000) });
    expect(locked).toMatchObject({ ok: false, reason: "throttled" });
    if (locked.ok || locked.reason !== "throttled") throw new Error("expected throttled");
    expect(locked.retryAfterSeconds).toBeGreaterThan(14 * 60);
    // Throttled tries are not recorded: they do not extend the lock.
    expect(await test.db.loginAttempt.count()).toBe(LOGIN_THROTTLE.perAccount);
    const after = await login(test.db, { username: "wang", password: "correct horse battery", ip: "10.9.9.9", now: later(LOGIN_THROTTLE.windowMs + 1000) });
    expect(after.ok).toBe(true);
  });

  it("a success resets the account's count", async () => {
    for (let i = 0; i < LOGIN_THROTTLE.perAccount - 1; i++) await login(test.db, { username: "wang", password: "nope", ip: "10.0.0.1", now: later(i) });
    expect((await login(test.db, { username: "wang", password: "correct horse battery", ip: "10.0.0.1", now: later(100) })).ok).toBe(true);
    expect((await login(test.db, { username: "wang", password: "nope", ip: "10.0.0.1", now: later(200) })).ok).toBe(false);
    expect((await login(test.db, { username: "wang", password: "correct horse battery", ip: "10.0.0.1", now: later(300) })).ok).toBe(true);
  });

  it("throttles an address that tries many accounts", async () => {
    for (let i = 0; i < LOGIN_THROTTLE.perAddress; i++) {
      await login(test.db, { username: `user${i}`, password: "password1", ip: "203.0.113.7", now: later(i) });
    }
    expect(await login(test.db, { username: "wang", password: "correct horse battery", ip: "203.0.113.7", now: later(1000) })).toMatchObject({ reason: "throttled" });
    expect((await login(test.db, { username: "wang", password: "correct horse battery", ip: "198.51.100.1", now: later(1000) })).ok).toBe(true);
  });

  it("refuses a disabled user, and disabling ends their sessions", async () => {
    const result = await login(test.db, { username: "wang", password: "correct horse battery", ip: "10.0.0.1", now: t0 });
    if (!result.ok) throw new Error("expected a session");
    await createUser(test.db, { username: "boss", password: "boss password 1", role: "admin", now: t0, actor: null });
    const boss = await test.db.user.findUniqueOrThrow({ where: { username: "boss" } });
    await updateUser(test.db, { id: result.user.id, disabled: true, now: t0, actor: boss.id });
    expect(await resolveSession(test.db, result.token, later(1000))).toBeNull();
    expect(await login(test.db, { username: "wang", password: "correct horse battery", ip: "10.0.0.1", now: later(2000) })).toEqual({ ok: false, reason: "invalid" });
  });

  it("changes one's own password, keeping the current session and ending the others", async () => {
    const a = await login(test.db, { username: "wang", password: "correct horse battery", ip: "10.0.0.1", now: t0 });
    const b = await login(test.db, { username: "wang", password: "correct horse battery", ip: "10.0.0.2", now: t0 });
    if (!a.ok || !b.ok) throw new Error("expected sessions");
    expect(await changeOwnPassword(test.db, { userId: a.user.id, currentPassword: "bad", newPassword: "new password 1", keepSessionToken: a.token, now: t0 })).toEqual({ ok: false });
    expect(await changeOwnPassword(test.db, { userId: a.user.id, currentPassword: "correct horse battery", newPassword: "new password 1", keepSessionToken: a.token, now: t0 })).toEqual({ ok: true });
    expect(await resolveSession(test.db, a.token, later(1000))).not.toBeNull();
    expect(await resolveSession(test.db, b.token, later(1000))).toBeNull();
    expect((await login(test.db, { username: "wang", password: "new password 1", ip: "10.0.0.1", now: later(2000) })).ok).toBe(true);
  });
});

describe("ensureAdmin (first start from ADMIN_USERNAME/ADMIN_PASSWORD)", () => {
  let test: TestDb;
  beforeEach(async () => {
    test = await createTestDb();
  });
  afterEach(() => test.cleanup());

  it("creates the first admin once and never touches it again", async () => {
    expect(await ensureAdmin(test.db, "root", "first password", t0)).toBe(true);
    expect(await ensureAdmin(test.db, "root", "other password", t0)).toBe(false);
    expect(await ensureAdmin(test.db, "second", "other password", t0)).toBe(false);
    expect(await test.db.user.count()).toBe(1);
    expect((await login(test.db, { username: "root", password: "first password", ip: "127.0.0.1", now: t0 })).ok).toBe(true);
    expect(await test.db.auditEvent.count({ where: { action: "user.bootstrap-admin" } })).toBe(1);
  });

  it("does not take over an existing non-admin account with that name", async () => {
    await createUser(test.db, { username: "root", password: "staff password", role: "staff", now: t0, actor: null });
    expect(await ensureAdmin(test.db, "root", "first password", t0)).toBe(false);
    expect((await test.db.user.findUniqueOrThrow({ where: { username: "root" } })).role).toBe("staff");
  });
});

describe("session cookie", () => {
  it("is httpOnly, SameSite=Strict, Path=/, with a Max-Age", () => {
    const cookie = sessionCookie("tok", new Date(t0.getTime() + 3600_000), t0);
    expect(cookie).toBe("duban_session=tok; Path=/; HttpOnly; SameSite=Strict; Max-Age=3600");
    expect(sessionCookie("tok", t0, t0, true)).toContain("; Secure");
    expect(clearedSessionCookie()).toContain("Max-Age=0");
  });

  it("is read back from a Cookie header", () => {
    expect(readSessionCookie("a=1; duban_session=abc; b=2")).toBe("abc");
    expect(readSessionCookie("a=1")).toBeNull();
    expect(readSessionCookie(undefined)).toBeNull();
  });
});
