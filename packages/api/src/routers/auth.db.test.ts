import { TRPCError } from "@trpc/server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resolveSession } from "@duban/core/auth/session";
import { createUser } from "@duban/core/users/create-user";
import { createTestDb, type TestDb } from "@duban/db/testing";
import { DEFAULT_WORKING_HOURS } from "@duban/domain/working-hours";
import { appRouter } from "../root.ts";
import { createCallerFactory, type ApiContext } from "../trpc.ts";

const now = new Date("2026-10-12T02:00:00Z");
const createCaller = createCallerFactory(appRouter);

describe("auth router over a real database", () => {
  let test: TestDb;
  let headers: Array<[string, string]>;
  const ctx = (over: Partial<ApiContext> = {}): ApiContext => ({
    db: test.db,
    now: () => now,
    user: null,
    sessionId: null,
    ip: "192.0.2.1",
    setHeader: (name, value) => headers.push([name, value]),
    messenger: null,
    botUsername: null,
    secureCookies: false,
    workingHours: DEFAULT_WORKING_HOURS,
    ...over,
  });
  beforeEach(async () => {
    test = await createTestDb();
    headers = [];
    await createUser(test.db, { username: "liu", password: "liu password 1", role: "viewer", now, actor: null });
  });
  afterEach(() => test.cleanup());

  it("login sets an httpOnly SameSite=Strict cookie holding a live session; logout clears both", async () => {
    const result = await createCaller(ctx()).auth.login({ username: "liu", password: "liu password 1" });
    expect(result.user).toMatchObject({ username: "liu", role: "viewer" });
    const [name, cookie] = headers[0]!;
    expect(name).toBe("Set-Cookie");
    expect(cookie).toMatch(/^duban_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);
    const token = /^duban_session=([^;]+)/.exec(cookie)![1]!;
    const user = await resolveSession(test.db, token, now);
    expect(user).toMatchObject({ username: "liu" });

    headers = [];
    const caller = createCaller(ctx({ user, sessionId: token }));
    expect((await caller.auth.me()).user.username).toBe("liu");
    await caller.auth.logout();
    expect(headers[0]?.[1]).toContain("Max-Age=0");
    expect(await resolveSession(test.db, token, now)).toBeNull();
  });

  it("answers a wrong password with UNAUTHORIZED and a throttled account with TOO_MANY_REQUESTS", async () => {
    const caller = createCaller(ctx());
    const codeOf = (p: Promise<unknown>) => p.then(() => "OK", (e: unknown) => (e instanceof TRPCError ? e.code : String(e)));
    for (let i = 0; i < 5; i++) expect(await codeOf(caller.auth.login({ username: "liu", password: "wrong" }))).toBe("UNAUTHORIZED");
    expect(await codeOf(caller.auth.login({ username: "liu", password: "liu password 1" }))).toBe("TOO_MANY_REQUESTS");
    expect(headers).toEqual([]);
  });

  it("marks the cookie Secure when the console is served over HTTPS", async () => {
    await createCaller(ctx({ secureCookies: true })).auth.login({ username: "liu", password: "liu password 1" });
    expect(headers[0]?.[1]).toMatch(/; Secure/);
  });
});
