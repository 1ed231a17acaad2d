/**
 * Importing a 300-task plan into a fresh SQLite database, beside an anchor measured in the same
 * run: raw better-sqlite3 inserting exactly the rows the import wrote (read back from an imported
 * copy), with prepared statements in one transaction. Medians and their ratio are printed at the end.
 */
import Database from "better-sqlite3";
import { afterAll, beforeAll, bench, describe } from "vitest";
import { createTestDb, type TestDb } from "@duban/db/testing";
import { parsePlan } from "@duban/domain/parse-plan";
import { importPlan } from "./import-plan.ts";

const RUNS = 7;
const now = new Date("2030-01-05T02:00:00Z");

// The layout of city 重点工作分解 notices: 10 groups of 30 tasks, each with a leader, lead and
// support label lines, an indicator and a quarterly report, so every table the import writes is filled.
const CN = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
const lines = ["某市人民政府关于2030年重点工作及责任分解的通知", "各县、市、区人民政府，市政府各部门："];
for (let g = 0; g < 10; g++) {
  lines.push(`${CN[g]}、第${g + 1}方面重点工作`);
  for (let t = 1; t <= 30; t++) {
    const k = g * 30 + t;
    lines.push(
      `${k}. 推进第${k}项重点工程建设，完成率达到${80 + (k % 20)}%以上。加快前期手续办理，每季度报送进展情况。`,
      `牵头负责领导:张${k}。`,
      `牵头责任单位:市第${k % 40}局。`,
      `协同责任单位:市第${(k + 3) % 40}局、市第${(k + 7) % 40}局等,各县、市、区政府。`,
    );
  }
}
const text = lines.join("\n");

/** The tables an import writes, parents first. */
const TABLES = ["Plan", "Unit", "UnitMember", "TaskGroup", "Task", "Assignment", "Indicator", "ReportingCycle", "Deadline", "AuditEvent"];

const fresh: TestDb[] = [];
const anchors: Array<{ test: TestDb; sqlite: Database.Database }> = [];
let rows: Map<string, Array<Record<string, unknown>>>;
const samples = new Map<string, number[]>();
const timed = async (name: string, work: () => Promise<unknown> | unknown) => {
  const started = performance.now();
  await work();
  samples.set(name, [...(samples.get(name) ?? []), performance.now() - started]);
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

beforeAll(async () => {
  // What the import writes, to replay by hand; and a check that the plan has the size we claim.
  const sample = await createTestDb({ provider: "sqlite" });
  await importPlan(sample.db, text, now);
  const tasks = await sample.db.task.count();
  if (tasks !== 300) throw new Error(`the generated plan imported ${tasks} tasks, not 300`);
  const reader = new Database(sample.file!, { readonly: true });
  rows = new Map(TABLES.map((table) => [table, reader.prepare(`SELECT * FROM "${table}"`).all() as Array<Record<string, unknown>>]));
  reader.close();
  await sample.cleanup();
  for (let i = 0; i < RUNS; i++) {
    const target = await createTestDb({ provider: "sqlite" });
    await target.db.$queryRawUnsafe("SELECT 1"); // the connection is opened before timing
    fresh.push(target);
    const copy = await createTestDb({ provider: "sqlite" });
    await copy.db.$disconnect();
    anchors.push({ test: copy, sqlite: new Database(copy.file!) });
  }
}, 600_000);

afterAll(async () => {
  const figures = new Map([...samples].map(([name, xs]) => [name, median(xs)]));
  for (const [name, ms] of figures) console.log(`median ${name}: ${ms.toFixed(1)} ms (${samples.get(name)!.length} runs)`);
  const ours = figures.get("importPlan");
  const anchor = figures.get("anchor");
  const parse = figures.get("parsePlan");
  if (ours !== undefined && anchor !== undefined) console.log(`import / anchor: ${(ours / anchor).toFixed(1)}×`);
  if (ours !== undefined && anchor !== undefined && parse !== undefined) console.log(`import without the parse / anchor: ${((ours - parse) / anchor).toFixed(1)}×`);
  for (const { sqlite } of anchors) sqlite.close();
  for (const t of [...fresh, ...anchors.map((a) => a.test)]) await t.cleanup();
});

describe("import a 300-task plan into a fresh SQLite database", () => {
  let run = 0;
  let anchorRun = 0;
  bench("importPlan (parse + compare + write, one transaction)", () => {
    // tinybench may call a task more often than its iterations; only fresh databases are measured.
    const target = fresh[run++];
    return target && timed("importPlan", () => importPlan(target.db, text, now));
  }, {
    iterations: RUNS,
    time: 0,
    warmupIterations: 0,
    warmupTime: 0,
  });
  bench("of which parsePlan of the same text", () => timed("parsePlan", () => parsePlan(text)), { iterations: RUNS, time: 0 });
  bench(
    "anchor: better-sqlite3 inserting the same rows, prepared statements, one transaction",
    () =>
      anchors[anchorRun] &&
      timed("anchor", () => {
        const { sqlite } = anchors[anchorRun++]!;
        sqlite.transaction(() => {
          for (const table of TABLES) {
            const list = rows.get(table)!;
            if (list.length === 0) continue;
            const columns = Object.keys(list[0]!);
            const insert = sqlite.prepare(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`);
            for (const row of list) insert.run(...columns.map((c) => row[c]));
          }
        })();
      }),
    { iterations: RUNS, time: 0, warmupIterations: 0, warmupTime: 0 },
  );
});
