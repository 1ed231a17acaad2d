import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "@duban/core/auth/password";
import { createSession, SESSION_COOKIE } from "@duban/core/auth/session";
import { importPlan } from "@duban/core/plans/import-plan";
import { createTestDb, type TestDb } from "@duban/db/testing";
import { createServerApp } from "../src/app.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const seed = readFileSync(path.resolve(here, "../../../plans/tongjiang-quality-city-2016.txt"), "utf8");

let test: TestDb;
let cookie: string;
let staffCookie: string;
beforeAll(async () => {
  test = await createTestDb();
  await importPlan(test.db, seed, new Date("2026-11-24T02:00:00Z"));
  const user = await test.db.user.create({ data: { username: "viewer1", role: "viewer", passwordHash: await hashPassword("correct horse") } });
  const session = await createSession(test.db, user.id, new Date(), "127.0.0.1");
  cookie = `${SESSION_COOKIE}=${session.token}`;
  const staff = await test.db.user.create({ data: { username: "staff1", role: "staff", passwordHash: await hashPassword("correct horse") } });
  staffCookie = `${SESSION_COOKIE}=${(await createSession(test.db, staff.id, new Date(), "127.0.0.1")).token}`;
});

async function post(app: ReturnType<typeof createServerApp>, procedure: string, input: unknown, as = staffCookie) {
  const response = await app.request(`/trpc/${procedure}`, { method: "POST", headers: { cookie: as, "content-type": "application/json" }, body: JSON.stringify(input) });
  return { status: response.status, body: (await response.json()) as { error?: { message: string; data: Record<string, unknown> } } };
}
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
    // Nothing about the server's insides: no stack trace.
    const body = (await response.json()) as { error: { message: string; data: Record<string, unknown> } };
    expect(body.error.data).not.toHaveProperty("stack");
  });

  it("answers a plan it cannot read with the line at fault, as the user's mistake", async () => {
    const app = createServerApp({ db: test.db, consoleDist: "/nonexistent" });
    const { status, body } = await post(app, "imports.preview", { text: "关于印发某某方案的通知\n\n一、总体要求\n加强管理。" });
    expect(status).toBe(400);
    expect(body.error?.data).toMatchObject({ reason: "unreadable-plan" });
    expect(body.error?.message).toMatch(/^第 \d+ 行：/);
  });

  it("a reference to a task that does not exist is refused, not a server error", async () => {
    const app = createServerApp({ db: test.db, consoleDist: "/nonexistent" });
    const { status, body } = await post(app, "deadlines.create", { taskId: 999_999, title: "专项检查", rule: { kind: "once", dueDate: "2026-12-20", dayBasis: "calendar" } });
    expect(status).toBe(400);
    expect(body.error?.message).toBe("引用的记录不存在");
  });

  it("催办 of a round that does not exist is a 404, not a server error", async () => {
    const app = createServerApp({ db: test.db, consoleDist: "/nonexistent" });
    const { status, body } = await post(app, "rounds.urge", { roundId: 999_999 });
    expect(status).toBe(404);
    expect(body.error?.message).toBe("报送轮次不存在");
  });

  it("an unexpected failure says only that it failed, and the details go to the log", async () => {
    const broken = await createTestDb();
    await broken.db.$executeRawUnsafe('DROP TABLE "Deadline"');
    const staff = await broken.db.user.create({ data: { username: "staff2", role: "staff", passwordHash: await hashPassword("correct horse") } });
    const session = await createSession(broken.db, staff.id, new Date(), "127.0.0.1");
    const logged: unknown[] = [];
    const log = { error: (...args: unknown[]) => logged.push(args) } as unknown as import("pino").Logger;
    const app = createServerApp({ db: broken.db, consoleDist: "/nonexistent", log });
    const response = await app.request("/trpc/deadlines.list", { headers: { cookie: `${SESSION_COOKIE}=${session.token}` } });
    expect(response.status).toBe(500);
    const body = (await response.json()) as { error: { message: string; data: Record<string, unknown> } };
    expect(body.error.message).toBe("服务器出错，请稍后重试");
    expect(JSON.stringify(body)).not.toMatch(/no such table|prisma|\.ts\b/i);
    expect(logged).toHaveLength(1);
    await broken.cleanup();
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

  it("serves the console: client routes get index.html, a missing asset is a 404", async () => {
    const dist = mkdtempSync(path.join(os.tmpdir(), "duban-dist-"));
    mkdirSync(path.join(dist, "assets"));
    writeFileSync(path.join(dist, "index.html"), "<!doctype html><title>督办</title>");
    writeFileSync(path.join(dist, "assets", "app-1.js"), "console.log(1)");
    const app = createServerApp({ db: test.db, consoleDist: dist });
    expect(await (await app.request("/tasks/6")).text()).toContain("<title>督办</title>");
    expect(await (await app.request("/assets/app-1.js")).text()).toBe("console.log(1)");
    const missing = await app.request("/assets/app-0.js");
    expect(missing.status).toBe(404);
    expect(await missing.text()).not.toContain("<title>");
  });

  it("compresses what the client accepts, and lets browsers keep hashed assets but revalidate index.html", async () => {
    const dist = mkdtempSync(path.join(os.tmpdir(), "duban-dist-"));
    mkdirSync(path.join(dist, "assets"));
    writeFileSync(path.join(dist, "index.html"), "<!doctype html><title>督办</title>");
    writeFileSync(path.join(dist, "assets", "app-abc123.js"), `console.log(${JSON.stringify("督办".repeat(2000))})`);
    const app = createServerApp({ db: test.db, consoleDist: dist });
    const asset = await app.request("/assets/app-abc123.js", { headers: { "accept-encoding": "gzip" } });
    expect(asset.headers.get("content-encoding")).toBe("gzip");
    expect(asset.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(gunzipSync(Buffer.from(await asset.arrayBuffer())).toString("utf8")).toContain("督办督办");
    expect((await app.request("/tasks/6")).headers.get("cache-control")).toBe("no-cache");
    const plain = await app.request("/assets/app-abc123.js");
    expect(plain.headers.get("content-encoding")).toBeNull();
  });
});
