import { assertRoundInPlan } from "@duban/core/plans/plans";
import { z } from "zod";
import { exportQuarterlyAnalysis } from "@duban/core/exports/quarterly-analysis-docx";
import { exportRoundLedger } from "@duban/core/exports/round-ledger-xlsx";
import { exportCityAnalysis } from "@duban/core/exports/city-analysis-docx";
import { exportPlanLedger } from "@duban/core/exports/plan-ledger-xlsx";
import { periodKeySchema } from "@duban/domain/period";
import { writeAudit } from "@duban/core/audit/audit";
import { authedProcedure, router, recordId } from "../trpc.ts";
import { run } from "./to-trpc-error.ts";

/** The console passes its own origin so the files' attachment links open the console. */
const baseUrl = z.url().max(200).nullish();
const input = z.object({ roundId: recordId, planId: recordId.nullish(), baseUrl });
const planPeriod = z.object({ planId: recordId, periodKey: periodKeySchema, baseUrl });

/**
 * Downloads as base64 through tRPC: queries, so read-only users can export too, and the session
 * cookie protects them like every other procedure. Exports are logged (they carry unit data out).
 */
export const exportsRouter = router({
  roundXlsx: authedProcedure.input(input).query(({ ctx, input }) =>
    run(async () => {
      if (input.planId) await assertRoundInPlan(ctx.db, input.planId, input.roundId);
      const file = await exportRoundLedger(ctx.db, input.roundId, ctx.now(), { baseUrl: input.baseUrl });
      await writeAudit(ctx.db, { actorType: "user", actorId: ctx.user.id, action: "export.round-xlsx", entity: "Round", entityId: input.roundId, detail: { fileName: file.fileName }, at: ctx.now() });
      return { fileName: file.fileName, mimeType: file.mimeType, base64: file.content.toString("base64") };
    }),
  ),
  roundDocx: authedProcedure.input(input).query(({ ctx, input }) =>
    run(async () => {
      if (input.planId) await assertRoundInPlan(ctx.db, input.planId, input.roundId);
      const file = await exportQuarterlyAnalysis(ctx.db, input.roundId, ctx.now());
      await writeAudit(ctx.db, { actorType: "user", actorId: ctx.user.id, action: "export.round-docx", entity: "Round", entityId: input.roundId, detail: { fileName: file.fileName }, at: ctx.now() });
      return { fileName: file.fileName, mimeType: file.mimeType, base64: file.content.toString("base64") };
    }),
  ),
  /** 台账 of every task × unit of a plan for a period. */
  planXlsx: authedProcedure.input(planPeriod).query(({ ctx, input }) =>
    run(async () => {
      const file = await exportPlanLedger(ctx.db, { planId: input.planId, periodKey: input.periodKey, now: ctx.now(), baseUrl: input.baseUrl });
      await writeAudit(ctx.db, { actorType: "user", actorId: ctx.user.id, action: "export.plan-xlsx", entity: "Plan", entityId: input.planId, detail: { fileName: file.fileName, periodKey: input.periodKey }, at: ctx.now() });
      return { fileName: file.fileName, mimeType: file.mimeType, base64: file.content.toString("base64") };
    }),
  ),
  /** City-wide 季度质量分析报告 draft of a plan for a period. */
  planDocx: authedProcedure.input(planPeriod).query(({ ctx, input }) =>
    run(async () => {
      const file = await exportCityAnalysis(ctx.db, { planId: input.planId, periodKey: input.periodKey, now: ctx.now() });
      await writeAudit(ctx.db, { actorType: "user", actorId: ctx.user.id, action: "export.plan-docx", entity: "Plan", entityId: input.planId, detail: { fileName: file.fileName, periodKey: input.periodKey }, at: ctx.now() });
      return { fileName: file.fileName, mimeType: file.mimeType, base64: file.content.toString("base64") };
    }),
  ),
});
