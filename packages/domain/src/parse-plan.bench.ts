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

// 300 tasks in the layout of city 重点工作分解 notices: 10 groups of 30, each task with leader,
// lead and support label lines (placeholders included); and the same tasks as a tab-separated table.
const CN = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
const labelled = ["某市人民政府关于2030年重点工作及责任分解的通知", "各县、市、区人民政府，市政府各部门："];
const table = ["某市2030年重点工作任务分解表", "序号\t工作任务\t分管市领导\t牵头单位\t配合单位\t完成时限"];
for (let g = 0; g < 10; g++) {
  labelled.push(`${CN[g]}、第${g + 1}方面重点工作`);
  table.push(`${CN[g]}、第${g + 1}方面重点工作`);
  for (let t = 1; t <= 30; t++) {
    const k = g * 30 + t;
    const title = `推进第${k}项重点工程建设，完成投资${k}亿元以上。加快前期手续办理，确保按期开工。`;
    labelled.push(`${k}. ${title}`, `牵头负责领导:张${k}。`, `牵头责任单位:市第${k % 17}局。`, `协同责任单位:市第${(k + 3) % 17}局、市第${(k + 5) % 17}局等,各县、市、区政府。`);
    table.push(`${k}\t${title}\t张${k}\t市第${k % 17}局\t市第${(k + 3) % 17}局、县政府有关部门\t2030年${(k % 12) + 1}月底`);
  }
}
const city = labelled.join("\n");
const sheet = table.join("\n");
for (const [name, text] of [["labelled", city], ["table", sheet]] as const) {
  if (parsePlan(text).groups.flatMap((g) => g.tasks).length !== 300) throw new Error(`the ${name} 300-task plan did not parse to 300 tasks`);
}

/**
 * The floor a parser of this text cannot beat, to read the figures above as ratios: split the
 * same text into lines and run one regex over each (a numbered-item test).
 */
function anchor(text: string): number {
  let items = 0;
  for (const line of text.split("\n")) if (/^\s*(?:\d{1,3}|[一二三四五六七八九十]+)[.、．\t]/.test(line)) items++;
  return items;
}

describe("parsePlan", () => {
  bench("300 tasks with label lines (重点工作分解)", () => {
    parsePlan(city);
  });
  bench("anchor: the same text, line split + one regex per line", () => {
    anchor(city);
  });
  bench("300 tasks as a tab-separated table (任务分解表)", () => {
    parsePlan(sheet);
  });
  bench("seed plan (18 tasks)", () => {
    parsePlan(seed);
  });
  bench("a plan ten times the seed (180 tasks)", () => {
    parsePlan(big);
  });
});
