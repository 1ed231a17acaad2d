import { z } from "zod";
import { importPlan, previewImport } from "@duban/core/import-plan";
import { editorProcedure, router } from "../trpc.ts";
import { run } from "./to-trpc-error.ts";

// A plan text is a few dozen KB; 2 MB leaves room without inviting abuse.
// Without a target the import updates the plan with the same 文号 (or title), else adds one.
const planText = z.object({
  text: z.string().min(1, "请粘贴或上传方案全文").max(2_000_000, "文件过大"),
  planId: z.number().int().positive().nullish(),
  newPlan: z.boolean().optional(),
});

export const importsRouter = router({
  /** Parses and diffs against the stored plan without writing (a mutation: it carries the whole text). */
  preview: editorProcedure.input(planText).mutation(({ ctx, input }) => run(() => previewImport(ctx.db, input.text, { planId: input.planId, newPlan: input.newPlan }))),
  confirm: editorProcedure.input(planText).mutation(({ ctx, input }) =>
    run(async () => {
      const result = await importPlan(ctx.db, input.text, ctx.now(), { actorType: "user", actorId: ctx.user.id }, { planId: input.planId, newPlan: input.newPlan });
      return { planId: result.planId, created: result.created, unchanged: result.unchanged, lines: result.lines };
    }),
  ),
});
