import { assertRoundInPlan } from "@duban/core/plans";
import { z } from "zod";
import { exportQuarterlyAnalysis } from "@duban/core/exports/quarterly-analysis-docx";
import { exportRoundLedger } from "@duban/core/exports/round-ledger-xlsx";
import { writeAudit } from "@duban/core/audit";
import { authedProcedure, router, recordId } from "../trpc.ts";
import { run } from "./to-trpc-error.ts";

const input = z.object({ roundId: recordId, planId: recordId.nullish() });

/**
 * Downloads as base64 through tRPC: queries, so read-only users can export too, and the session
 * cookie protects them like every other procedure. Exports are logged (they carry unit data out).
 */
export const exportsRouter = router({
  roundXlsx: authedProcedure.input(input).query(({ ctx, input }) =>
    run(async () => {
      if (input.planId) await assertRoundInPlan(ctx.db, input.planId, input.roundId);
      const file = await exportRoundLedger(ctx.db, input.roundId, ctx.now());
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
});
