import type { Db } from "@duban/db/client";
import { writeAudit } from "../audit/audit.ts";
import { hashPassword, verifyPassword } from "./password.ts";
import { createSession, type Role, type SessionUser } from "./session.ts";

/** Failed attempts allowed in the window before further tries are refused without checking. */
export const LOGIN_THROTTLE = {
  windowMs: 15 * 60 * 1000,
  perAccount: 5,
  perAddress: 20,
};

export type LoginResult =
  | { ok: true; token: string; expiresAt: Date; user: SessionUser }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

// Verified against when the username is unknown, so a miss costs as long as a hit.
let decoyHash: Promise<string> | null = null;

/**
 * Checks a username and password and opens a session. Throttled per account (failures since the
 * last success inside the window) and per address; throttled tries are refused before the KDF runs
 * and are not recorded, so a lock lifts one window after the failure that caused it. Each checked
 * attempt is reserved (recorded as a failure) before the check, so the limit holds under concurrency.
 */
export async function login(
  db: Db,
  input: { username: string; password: string; ip: string; now: Date },
): Promise<LoginResult> {
  const { password, ip, now } = input;
  const username = input.username.trim();
  const windowStart = new Date(now.getTime() - LOGIN_THROTTLE.windowMs);

  // The reservation: one transaction per attempt, serialised per account and per address, counts
  // the failures and, when under the limits, records this attempt as a failure before the password
  // is checked. Concurrent wrong passwords therefore see each other's rows: at most `perAccount`
  // of them reach the KDF. (SQLite runs one write transaction at a time; PostgreSQL takes an
  // advisory lock on the username and the address, always in that order, so no two wait on each other.)
  const reservation = await db.$transaction(async (tx) => {
    if ((db as unknown as { _activeProvider?: string })._activeProvider === "postgresql") {
      await tx.$executeRawUnsafe("SELECT pg_advisory_xact_lock(hashtext($1)), pg_advisory_xact_lock(hashtext($2))", `login-user:${username}`, `login-ip:${ip}`);
    }
    const lastSuccess = await tx.loginAttempt.findFirst({
      where: { username, ok: true, at: { gte: windowStart } },
      orderBy: { at: "desc" },
    });
    const accountFailures = await tx.loginAttempt.findMany({
      where: { username, ok: false, at: { gte: lastSuccess && lastSuccess.at > windowStart ? lastSuccess.at : windowStart } },
      orderBy: { at: "asc" },
      select: { at: true },
    });
    const addressFailures = await tx.loginAttempt.findMany({
      where: { ip, ok: false, at: { gte: windowStart } },
      orderBy: { at: "asc" },
      select: { at: true },
    });
    const lockedUntil = (failures: { at: Date }[], limit: number): number | null => {
      if (failures.length < limit) return null;
      // The lock lifts when the oldest failure that still counts leaves the window.
      const pivot = failures[failures.length - limit];
      return pivot ? pivot.at.getTime() + LOGIN_THROTTLE.windowMs : null;
    };
    const until = Math.max(
      lockedUntil(accountFailures, LOGIN_THROTTLE.perAccount) ?? 0,
      lockedUntil(addressFailures, LOGIN_THROTTLE.perAddress) ?? 0,
    );
    if (until > now.getTime()) return { attemptId: null, throttledUntil: until };
    const attempt = await tx.loginAttempt.create({ data: { username, ip, ok: false, at: now }, select: { id: true } });
    return { attemptId: attempt.id, throttledUntil: 0 };
    // A burst of attempts queues for the pool and the locks; each holds them for a few queries only.
  }, { maxWait: 15_000, timeout: 15_000 });
  if (reservation.attemptId === null) {
    return { ok: false, reason: "throttled", retryAfterSeconds: Math.ceil((reservation.throttledUntil - now.getTime()) / 1000) };
  }

  const user = await db.user.findUnique({ where: { username } });
  decoyHash ??= hashPassword("decoy password that never matches");
  const valid = user && !user.disabled ? await verifyPassword(password, user.passwordHash) : (await verifyPassword(password, await decoyHash), false);

  if (!valid || !user) {
    await writeAudit(db, {
      actorType: "system",
      action: "auth.login-failed",
      entity: "User",
      entityId: user?.id ?? null,
      detail: { username, ip },
      at: now,
    });
    return { ok: false, reason: "invalid" };
  }
  // The reserved failure becomes the success that resets the account's count.
  await db.loginAttempt.update({ where: { id: reservation.attemptId }, data: { ok: true } });

  const session = await createSession(db, user.id, now, ip);
  await writeAudit(db, { actorType: "user", actorId: user.id, action: "auth.login", entity: "User", entityId: user.id, detail: { ip }, at: now });
  return {
    ok: true,
    token: session.token,
    expiresAt: session.expiresAt,
    user: { id: user.id, username: user.username, role: user.role as Role, displayName: user.displayName },
  };
}
