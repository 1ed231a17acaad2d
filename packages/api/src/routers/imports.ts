import { z } from "zod";
import { importParsedPlan, importPlan, previewImport } from "@duban/core/import-plan";
import { editorProcedure, router } from "../trpc.ts";
import { parsedPlanInput } from "./parsed-plan-input.ts";
import { run } from "./to-trpc-error.ts";

// A plan text is a few dozen KB; 2 MB leaves room without inviting abuse.
const planText = z.string().min(1, "请粘贴或上传方案全文").max(2_000_000, "文件过大");

export const importsRouter = router({
  /** Parses and diffs against the stored plan without writing (a mutation: it carries the whole text). */
  preview: editorProcedure.input(z.object({ text: planText })).mutation(({ ctx, input }) => run(() => previewImport(ctx.db, input.text))),
  /**
   * Imports the plan as the office corrected it in the preview (`plan`), exactly; without `plan`,
   * the text as the parser reads it.
   */
  confirm: editorProcedure.input(z.object({ text: planText, plan: parsedPlanInput.optional() })).mutation(({ ctx, input }) =>
    run(async () => {
      const actor = { actorType: "user" as const, actorId: ctx.user.id };
      const result = input.plan
        ? await importParsedPlan(ctx.db, { text: input.text, plan: input.plan }, ctx.now(), actor)
        : await importPlan(ctx.db, input.text, ctx.now(), actor);
      return { planId: result.planId, created: result.created, unchanged: result.unchanged, lines: result.lines };
    }),
  ),
});
