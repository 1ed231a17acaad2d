import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BUSINESS_PLAN_TEXT, RIVER_PLAN_TEXT } from "@duban/core/testing/extra-plans";
import { runCli } from "./main.ts";
import type { CliIo } from "./io.ts";

const repo = path.resolve(import.meta.dirname, "../../..");
const seed = path.join(repo, "plans/tongjiang-quality-city-2016.txt");
const dir = mkdtempSync(path.join(os.tmpdir(), "duban-cli-plans-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const business = path.join(dir, "business.txt");
const river = path.join(dir, "river.txt");
writeFileSync(business, BUSINESS_PLAN_TEXT);
writeFileSync(river, RIVER_PLAN_TEXT);

async function run(argv: string[], now = new Date("2026-09-01T02:00:00Z")) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    readStdin: async () => "",
    env: { DATABASE_URL: `file:${path.join(dir, "plans.db")}` },
    now: () => now,
  };
  const code = await runCli(argv, io);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

const planIdOf = (out: string) => Number(/plan id: (\d+)/.exec(out)?.[1]);
const jsonLines = (out: string) => (out === "" ? [] : out.split("\n").map((l) => JSON.parse(l) as Record<string, unknown>));

describe("duban CLI with several plans", { timeout: 180_000 }, () => {
  it("imports three plans, lists them, re-imports the seed unchanged, and ticks rounds for all", async () => {
    const ids: number[] = [];
    for (const file of [seed, business, river]) {
      const result = await run(["plan", "import", file]);
      expect(result.code).toBe(0);
      expect(result.out).toContain("新建方案");
      ids.push(planIdOf(result.out));
    }
    expect(new Set(ids).size).toBe(3);

    const list = jsonLines((await run(["plan", "list"])).out);
    expect(list.map((p) => Object.keys(p))).toEqual(Array(3).fill(["id", "title", "docNumber", "tasks", "archived"]));
    expect(list.map((p) => p.id).sort()).toEqual([...ids].sort());
    expect(list.find((p) => p.id === ids[1])).toMatchObject({ docNumber: "同政办发〔2026〕11号", tasks: 3, archived: false });
    expect(list.find((p) => p.id === ids[0])!.tasks as number).toBeGreaterThan(10);

    const again = await run(["plan", "import", seed]);
    expect(again.out).toContain("方案未变化");
    expect(planIdOf(again.out)).toBe(ids[0]);
    expect(jsonLines((await run(["plan", "list"])).out)).toHaveLength(3);

    const tick = await run(["scheduler", "tick", "--at", "2026-10-12T10:00:00+08:00"]);
    expect(tick.code).toBe(0);
    const rounds = jsonLines((await run(["rounds", "list", "--period", "2026Q3"])).out);
    expect(new Set(rounds.map((r) => r.planId))).toEqual(new Set(ids));
    const businessRounds = jsonLines((await run(["rounds", "list", "--plan", String(ids[1])])).out);
    expect(businessRounds.length).toBeGreaterThan(0);
    expect(businessRounds.every((r) => r.planId === ids[1])).toBe(true);
  });

  it("updates the named plan, adds one with --new, archives and restores, and refuses bad targets", async () => {
    const list = jsonLines((await run(["plan", "list"])).out);
    const riverId = list.find((p) => p.docNumber === "同政办发〔2026〕27号")!.id as number;
    const updated = await run(["plan", "import", river, "--plan", String(riverId)]);
    expect(planIdOf(updated.out)).toBe(riverId);
    const added = await run(["plan", "import", river, "--new"]);
    expect(planIdOf(added.out)).not.toBe(riverId);
    expect(jsonLines((await run(["plan", "list"])).out)).toHaveLength(4);

    expect((await run(["plan", "archive", String(riverId)])).code).toBe(0);
    expect(jsonLines((await run(["plan", "list"])).out).find((p) => p.id === riverId)).toMatchObject({ archived: true });
    expect((await run(["plan", "restore", String(riverId)])).code).toBe(0);
    expect(jsonLines((await run(["plan", "list"])).out).find((p) => p.id === riverId)).toMatchObject({ archived: false });

    expect((await run(["plan", "import", river, "--plan", "999"])).code).toBe(1);
    expect((await run(["plan", "import", river, "--plan", "1", "--new"])).code).toBe(2);
    expect((await run(["rounds", "list", "--plan", "x"])).code).toBe(2);
    expect((await run(["rounds", "list", "--plan", "999"])).code).toBe(1);
  });
});
