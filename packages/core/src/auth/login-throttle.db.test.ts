import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDb, testProviders, type TestDb } from "@duban/db/testing";
import { createUser } from "../users/create-user.ts";
import { LOGIN_THROTTLE, login } from "./login.ts";

const t0 = new Date("2026-10-12T02:00:00Z");

describe.each(testProviders())("login throttle under concurrency (temporary %s database)", (provider) => {
  let test: TestDb;
  beforeEach(async () => {
    test = await createTestDb({ provider });
    await createUser(test.db, { username: "wang", password: "correct horse battery", role: "staff", now: t0, actor: null });
  });
  afterEach(() => test.cleanup());

  it("40 concurrent wrong passwords for one account: at most 5 are checked, the rest refused unchecked", async () => {
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => login(test.db, { username: "wang", password: `guess-${i}`, ip: `10.0.${i}.1`, now: t0 })),
    );
    const checked = results.filter((r) => !r.ok && r.reason === "invalid").length;
    const throttled = results.filter((r) => !r.ok && r.reason === "throttled").length;
    expect(checked).toBeLessThanOrEqual(LOGIN_THROTTLE.perAccount);
    expect(checked).toBeGreaterThan(0);
    expect(checked + throttled).toBe(40);
    // Every checked attempt left one failure row; refused ones left none.
    expect(await test.db.loginAttempt.count({ where: { username: "wang", ok: false } })).toBe(checked);
    expect(await test.db.auditEvent.count({ where: { action: "auth.login-failed" } })).toBe(checked);
    // The right password is refused too while the account is locked.
    expect(await login(test.db, { username: "wang", password: "correct horse battery", ip: "10.9.9.9", now: t0 })).toMatchObject({ ok: false, reason: "throttled" });
  }, 120_000);

  it("a right password after concurrent failures below the limit still signs in, and turns its reservation into the success", async () => {
    await Promise.all(Array.from({ length: LOGIN_THROTTLE.perAccount - 1 }, (_, i) => login(test.db, { username: "wang", password: `no-${i}`, ip: "10.0.0.1", now: t0 })));
    const ok = await login(test.db, { username: "wang", password: "correct horse battery", ip: "10.0.0.1", now: new Date(t0.getTime() + 1000) });
    expect(ok.ok).toBe(true);
    expect(await test.db.loginAttempt.count({ where: { username: "wang", ok: true } })).toBe(1);
  }, 120_000);
});
