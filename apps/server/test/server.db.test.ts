import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "@duban/core/auth/password";
import { createSession, SESSION_COOKIE } from "@duban/core/auth/session";
import { importPlan } from "@duban/core/import-plan";
import { createTestDb, type TestDb } from "@duban/db/testing";
import { createServerApp } from "../src/app.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const seed = readFileSync(path.resolve(here, "../../../plans/tongjiang-quality-city-2016.txt"), "utf8");

let test: TestDb;
let cookie: string;
beforeAll(async () => {
  test = await createTestDb();
  await importPlan(test.db, seed, new Date("2026-11-24T02:00:00Z"));
  const user = await test.db.user.create({ data: { username: "viewer1", role: "viewer", passwordHash: await hashPassword("correct horse") } });
  const session = await createSession(test.db, user.id, new Date(), "127.0.0.1");
  cookie = `${SESSION_COOKIE}=${session.token}`;
});
afterAll(() => test.cleanup());

describe("server over a real database (Hono app, fetch API)", () => {
  it("answers /health", async () => {
    const app = createServerApp({ db: test.db, consoleDist: "/nonexistent" });
    const response = await app.request("/health");
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true });
  });

  it("refuses plan.get without a session", async () => {
    const app = createServerApp({ db: test.db, consoleDist: "/nonexistent" });
    const response = await app.request("/trpc/plan.get");
    expect(response.status).toBe(401);
  });

  it("serves the seed plan through plan.get: 6 groups, 18 tasks, units and indicators", async () => {
    const app = createServerApp({ db: test.db, consoleDist: "/nonexistent" });
    const response = await app.request("/trpc/plan.get", { headers: { cookie } });
    expect(response.status).toBe(200);
    const plan = ((await response.json()) as { result: { data: any } }).result.data;
    expect(plan.title).toBe("同江市“质量强市”创建工作方案");
    expect(plan.groups).toHaveLength(6);
    const tasks = plan.groups.flatMap((g: { tasks: unknown[] }) => g.tasks);
    expect(tasks).toHaveLength(18);
    const task15 = tasks.find((t: { number: string }) => t.number === "15");
    expect(task15.units.map((u: { name: string }) => u.name)).toEqual(["商务局", "计生局", "旅游局", "市场监督管理局", "人民银行同江市支行"]);
    const task8 = tasks.find((t: { number: string }) => t.number === "8");
    expect(task8.indicators).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: "国家重点管理计量器具受检率", comparator: ">=", value: 95, unit: "%" })]),
    );
    expect(typeof task8.id).toBe("number");
  });
});
