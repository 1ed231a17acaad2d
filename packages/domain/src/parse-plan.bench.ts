import { readFileSync } from "node:fs";
import path from "node:path";
import { bench, describe } from "vitest";
import { parsePlan } from "./parse-plan.ts";

const seed = readFileSync(path.resolve(import.meta.dirname, "../../../plans/tongjiang-quality-city-2016.txt"), "utf8");
// A plan ten times the seed's size: each group's tasks repeated ten times, renumbered 1…180.
const section = seed.slice(seed.indexOf("三、主要任务"), seed.indexOf("五、方法和步骤"));
let n = 0;
const bigSection = section
  .split(/\n(?=\s*\([一二三四五六]\))/)
  .map((group) => {
    const [heading, ...tasks] = group.split(/\n(?=\s*\d+\.)/);
    const copies = Array.from({ length: 10 }, () => tasks.map((t) => t.replace(/^(\s*)\d+\./, (_, space: string) => `${space}${++n}.`)));
    return [heading, ...copies.flat()].join("\n");
  })
  .join("\n");
const big = seed.replace(section, bigSection);
if (parsePlan(big).groups.flatMap((g) => g.tasks).length !== 180) throw new Error("the large plan did not parse to 180 tasks");

describe("parsePlan", () => {
  bench("seed plan (18 tasks)", () => {
    parsePlan(seed);
  });
  bench("a plan ten times the seed (180 tasks)", () => {
    parsePlan(big);
  });
});
