import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { importPlan } from "@duban/core/plans/import-plan";
import { archivePlan, listPlans, PlanScopeError, PlanTargetError, restorePlan } from "@duban/core/plans/plans";
import { PlanDocumentError, readPlanDocument } from "@duban/core/plans/read-plan-document";
import { PlanParseError, parsePlan, toPlanJson } from "@duban/domain/parse-plan";
import { type CliIo, openDatabase, UsageError } from "../io.ts";

const USAGE = "usage: plan parse <file> | plan import <file> [--plan <id> | --new] | plan list | plan archive <id> | plan restore <id>   (.txt, .docx or .xlsx)";

/** The plan's text from a .txt, .docx or .xlsx file (by extension; the reader checks the content too). */
async function readPlanFile(file: string | undefined): Promise<string> {
  if (!file) throw new UsageError(USAGE);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path.resolve(process.env.INIT_CWD ?? process.cwd(), file));
  } catch {
    throw new UsageError(`cannot read ${file}`);
  }
  return (await readPlanDocument(path.basename(file), bytes)).text;
}

function planIdArg(value: string | undefined, flag: string): number {
  const id = Number(value);
  if (!value || !Number.isInteger(id) || id <= 0) throw new UsageError(`${flag}: "${value ?? ""}" is not a plan id (see plan list)`);
  return id;
}

function importArgs(args: string[]): { file: string | undefined; planId: number | undefined; newPlan: boolean } {
  try {
    const { values, positionals } = parseArgs({ args, options: { plan: { type: "string" }, new: { type: "boolean" } }, allowPositionals: true, strict: true });
    if (positionals.length > 1) throw new UsageError(USAGE);
    if (values.plan !== undefined && values.new) throw new UsageError("plan import: --plan and --new exclude each other");
    return { file: positionals[0], planId: values.plan === undefined ? undefined : planIdArg(values.plan, "--plan"), newPlan: values.new ?? false };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

export async function planCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, file] = args;
  try {
    if (sub === "list") {
      if (args.length > 1) throw new UsageError(USAGE);
      const db = await openDatabase(io);
      try {
        for (const p of await listPlans(db, io.now())) {
          io.out(JSON.stringify({ id: p.id, title: p.title, docNumber: p.docNumber, tasks: p.tasks, archived: p.archived }));
        }
        return 0;
      } finally {
        await db.$disconnect();
      }
    }
    if (sub === "archive" || sub === "restore") {
      if (args.length !== 2) throw new UsageError(USAGE);
      const planId = planIdArg(file, `plan ${sub}`);
      const db = await openDatabase(io);
      try {
        const actor = { actorType: "system" as const, actorId: "cli" };
        if (sub === "archive") {
          const result = await archivePlan(db, { planId, now: io.now(), actor });
          io.out(`方案 ${planId} 已归档（plan archived），取消待发提醒 ${result.cancelledReminders} 条`);
        } else {
          await restorePlan(db, { planId, now: io.now(), actor });
          io.out(`方案 ${planId} 已恢复（plan restored）`);
        }
        return 0;
      } finally {
        await db.$disconnect();
      }
    }
    if (sub === "parse") {
      io.out(JSON.stringify(toPlanJson(parsePlan(await readPlanFile(file))), null, 2));
      return 0;
    }
    if (sub === "import") {
      const target = importArgs(args.slice(1));
      const text = await readPlanFile(target.file);
      const db = await openDatabase(io);
      try {
        const result = await importPlan(db, text, io.now(), { actorType: "system", actorId: "cli" }, { planId: target.planId, newPlan: target.newPlan });
        if (result.unchanged) io.out(`方案未变化：${result.plan.title}（plan unchanged）`);
        else for (const line of result.lines) io.out(line);
        io.out(`方案编号 plan id: ${result.planId}`);
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
    if (error instanceof PlanDocumentError) {
      io.err(`无法读取方案文件 (cannot read plan file): ${error.message}`);
      return 1;
    }
    if (error instanceof PlanParseError) {
      io.err(`无法解析方案 (cannot parse plan): ${error.message}`);
      return 1;
    }
    if (error instanceof PlanScopeError || error instanceof PlanTargetError) {
      io.err(error.message);
      return 1;
    }
    throw error;
  }
  throw new UsageError(USAGE);
}
