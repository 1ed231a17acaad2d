import { z } from "zod";
import { writeAudit } from "@duban/core/audit/audit";
import { computeScores } from "@duban/core/scores/compute-scores";
import { grantScoreExemption, revokeScoreExemption } from "@duban/core/scores/score-exemptions";
import { loadScoreRule, updateScoreRule } from "@duban/core/scores/score-rule";
import { exportScores } from "@duban/core/scores/scores-xlsx";
import { scoreRuleSchema } from "@duban/domain/score";
import { adminProcedure, authedProcedure, editorProcedure, router } from "../trpc.ts";
import { run } from "./to-trpc-error.ts";

const scope = z.object({ year: z.number().int().min(2000).max(2100), planId: z.number().int().positive().nullish() });

/** 考核: the ranking and its drill-down for everyone signed in; exemptions by staff; the rule by admin. */
export const scoresRouter = router({
  list: authedProcedure.input(scope).query(({ ctx, input }) => run(() => computeScores(ctx.db, { year: input.year, planId: input.planId ?? null, now: ctx.now() }))),
  rule: authedProcedure.query(({ ctx }) => loadScoreRule(ctx.db)),
  setRule: adminProcedure.input(scoreRuleSchema).mutation(({ ctx, input }) => run(() => updateScoreRule(ctx.db, { rule: input, userId: ctx.user.id, now: ctx.now() }))),
  exempt: editorProcedure
    .input(z.object({ submissionId: z.number().int().positive(), planId: z.number().int().positive().nullish(), reason: z.string().max(500) }))
    .mutation(({ ctx, input }) => run(() => grantScoreExemption(ctx.db, { ...input, userId: ctx.user.id, now: ctx.now() }))),
  unexempt: editorProcedure
    .input(z.object({ submissionId: z.number().int().positive(), planId: z.number().int().positive().nullish() }))
    .mutation(({ ctx, input }) => run(() => revokeScoreExemption(ctx.db, { ...input, userId: ctx.user.id, now: ctx.now() }))),
  xlsx: authedProcedure.input(scope).query(({ ctx, input }) =>
    run(async () => {
      const file = await exportScores(ctx.db, { year: input.year, planId: input.planId ?? null, now: ctx.now() });
      await writeAudit(ctx.db, { actorType: "user", actorId: ctx.user.id, action: "export.scores-xlsx", entity: "Score", entityId: input.year, detail: { fileName: file.fileName, planId: input.planId ?? null }, at: ctx.now() });
      return { fileName: file.fileName, mimeType: file.mimeType, base64: file.content.toString("base64") };
    }),
  ),
});
