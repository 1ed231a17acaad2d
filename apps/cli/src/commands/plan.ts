import { readFileSync } from "node:fs";
import path from "node:path";
import { importPlan } from "@duban/core/import-plan";
import { PlanParseError, parsePlan, toPlanJson } from "@duban/domain/parse-plan";
import { type CliIo, openDatabase, UsageError } from "../io.ts";

function readPlanFile(file: string | undefined): string {
  if (!file) throw new UsageError("usage: plan parse <file> | plan import <file>");
  try {
    return readFileSync(path.resolve(process.env.INIT_CWD ?? process.cwd(), file), "utf8");
  } catch {
    throw new UsageError(`cannot read ${file}`);
  }
}

export async function planCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, file] = args;
  try {
    if (sub === "parse") {
      io.out(JSON.stringify(toPlanJson(parsePlan(readPlanFile(file))), null, 2));
      return 0;
    }
    if (sub === "import") {
      const text = readPlanFile(file);
      const db = await openDatabase(io);
      try {
        const result = await importPlan(db, text, io.now(), { actorType: "system", actorId: "cli" });
        if (result.unchanged) io.out(`方案未变化：${result.plan.title}（plan unchanged）`);
        else for (const line of result.lines) io.out(line);
        const tasks = result.plan.groups.reduce((n, g) => n + g.tasks.length, 0);
        io.out(`${result.plan.title}：${result.plan.groups.length} 个分组，${tasks} 项任务，${result.plan.units.length} 个责任单位`);
        for (const warning of result.plan.warnings) io.err(`提示：${warning}`);
        for (const kept of result.keptEdits) io.err(`提示：${kept.line}`);
        return 0;
      } finally {
        await db.$disconnect();
      }
    }
  } catch (error) {
    if (error instanceof PlanParseError) {
      io.err(`无法解析方案 (cannot parse plan): ${error.message}`);
      return 1;
    }
    throw error;
  }
  throw new UsageError("usage: plan parse <file> | plan import <file>");
}
