import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import type { Db } from "@duban/db/client";
import { DEFAULT_WORKING_HOURS } from "@duban/domain/working-hours";
import { appRouter } from "./root.ts";
import { createCallerFactory, type ApiContext, type Role } from "./trpc.ts";

/**
 * Every procedure of the router, found from its definition (so a new one is covered without
 * editing this file): without a session each refuses before touching the database, and every
 * mutation refuses a read-only user. Self-service mutations on one's own session are the only
 * exceptions, listed here by name.
 */
const PUBLIC = new Set(["auth.login"]);
const SELF_SERVICE = new Set(["auth.login", "auth.logout", "auth.changePassword"]);

type ProcedureDef = { _def: { type: "query" | "mutation" | "subscription" } };
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, ProcedureDef>).map(([path, p]) => ({ path, type: p._def.type }));

// Any use of the database fails the test: a refusal must come before the use case runs.
const untouchableDb = new Proxy({} as Db, {
  get(_target, property) {
    throw new Error(`database touched (${String(property)}) before the role check`);
  },
});

function contextFor(role: Role | null): ApiContext {
  return {
    db: untouchableDb,
    now: () => new Date("2026-07-01T02:00:00Z"),
    user: role ? { id: 1, username: role, role, displayName: null } : null,
    sessionId: role ? "token" : null,
    ip: "127.0.0.1",
    setHeader: () => {},
    messenger: null,
    botUsername: null,
    secureCookies: false,
    workingHours: DEFAULT_WORKING_HOURS,
  };
}

const createCaller = createCallerFactory(appRouter);

async function call(role: Role | null, path: string): Promise<unknown> {
  let target: unknown = createCaller(contextFor(role));
  for (const segment of path.split(".")) target = (target as Record<string, unknown>)[segment];
  // No input: the role check runs before input parsing, so it must still answer first.
  return (target as (input?: unknown) => Promise<unknown>)(undefined);
}

async function refusal(role: Role | null, path: string): Promise<string> {
  try {
    await call(role, path);
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
  return "ALLOWED";
}

describe("every tRPC procedure", () => {
  it("is enumerated from the router (sanity)", () => {
    expect(procedures.length).toBeGreaterThan(30);
    expect(procedures.map((p) => p.path)).toEqual(expect.arrayContaining(["auth.login", "auth.me", "board.get", "rounds.urge", "users.create"]));
  });

  for (const { path } of procedures.filter((p) => !PUBLIC.has(p.path))) {
    it(`${path} refuses a request without a session`, async () => {
      expect(await refusal(null, path)).toBe("UNAUTHORIZED");
    });
  }

  for (const { path } of procedures.filter((p) => p.type === "mutation" && !SELF_SERVICE.has(p.path))) {
    it(`${path} refuses a viewer`, async () => {
      expect(await refusal("viewer", path)).toBe("FORBIDDEN");
    });
  }

  for (const { path } of procedures.filter((p) => p.path.startsWith("users."))) {
    it(`${path} refuses staff (admin only)`, async () => {
      expect(await refusal("staff", path)).toBe("FORBIDDEN");
    });
  }

  it("scores.setRule refuses staff (the 考核 rule is the admin's)", async () => {
    expect(await refusal("staff", "scores.setRule")).toBe("FORBIDDEN");
  });

  it("only self-service mutations are open to a viewer", () => {
    const openToViewer = procedures.filter((p) => p.type === "mutation" && SELF_SERVICE.has(p.path)).map((p) => p.path);
    expect(openToViewer.sort()).toEqual([...SELF_SERVICE].sort());
  });
});
