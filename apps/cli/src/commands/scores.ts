import { parseArgs } from "node:util";
import { computeScores } from "@duban/core/scores/compute-scores";
import { type CliIo, openDatabase, UsageError } from "../io.ts";

const USAGE = "usage: scores --year 2026 [--plan <id>]";

/** scores --year 2026 [--plan <id>]: the 考核 ranking, one JSON object per unit a line, best first. */
export async function scoresCommand(args: string[], io: CliIo): Promise<number> {
  let values: { year?: string; plan?: string };
  try {
    values = parseArgs({ args, options: { year: { type: "string" }, plan: { type: "string" } }, allowPositionals: false, strict: true }).values;
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
  if (!values.year || !/^\d{4}$/.test(values.year)) throw new UsageError(`--year: a year like 2026 is required\n${USAGE}`);
  if (values.plan !== undefined && !/^[1-9]\d*$/.test(values.plan)) throw new UsageError(`--plan: "${values.plan}" is not a plan id\n${USAGE}`);
  const db = await openDatabase(io);
  try {
    const planId = values.plan ? Number(values.plan) : null;
    if (planId !== null && !(await db.plan.findUnique({ where: { id: planId }, select: { id: true } }))) throw new UsageError(`--plan: no plan with id ${planId}`);
    const scores = await computeScores(db, { year: Number(values.year), planId, now: io.now() });
    for (const u of scores.units) {
      io.out(JSON.stringify({ unit: u.unit, owed: u.owed, onTime: u.onTime, late: u.late, missing: u.missing, exempt: u.exempt, score: u.score }));
    }
    return 0;
  } finally {
    await db.$disconnect();
  }
}
