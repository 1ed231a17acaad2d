import { z } from "zod";
import { importParsedPlan, importPlan, previewImport } from "@duban/core/plans/import-plan";
import { editorProcedure, recordId, router } from "../trpc.ts";
import { parsedPlanInput } from "./parsed-plan-input.ts";
import { run } from "./to-trpc-error.ts";

// A plan text is a few dozen KB; 2 MB leaves room without inviting abuse.
// Without a target the import updates the plan with the same 文号 (or title), else adds one.
const planText = z.string().min(1, "请粘贴或上传方案全文").max(2_000_000, "文件过大");
const target = { planId: recordId.nullish(), newPlan: z.boolean().optional() };

export const importsRouter = router({
  /** Parses and diffs against the stored plan without writing (a mutation: it carries the whole text). */
  preview: editorProcedure
    // `plan`: the office's corrections so far, compared against the (changed) target instead of a fresh reading.
    .input(z.object({ text: planText, plan: parsedPlanInput.optional(), ...target }))
    .mutation(({ ctx, input }) => run(() => previewImport(ctx.db, input.text, { planId: input.planId, newPlan: input.newPlan }, input.plan))),
  /**
   * Imports the plan as the office corrected it in the preview (`plan`), exactly; without `plan`,
   * the text as the parser reads it.
   */
  confirm: editorProcedure.input(z.object({ text: planText, plan: parsedPlanInput.optional(), ...target })).mutation(({ ctx, input }) =>
    run(async () => {
      const actor = { actorType: "user" as const, actorId: ctx.user.id };
      const into = { planId: input.planId, newPlan: input.newPlan };
      const result = input.plan
        ? await importParsedPlan(ctx.db, { text: input.text, plan: input.plan }, ctx.now(), actor, into)
        : await importPlan(ctx.db, input.text, ctx.now(), actor, into);
      return { planId: result.planId, created: result.created, unchanged: result.unchanged, lines: result.lines };
    }),
  ),
});
