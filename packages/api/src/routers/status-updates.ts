import { assertRoundInPlan, assertTaskInPlan } from "@duban/core/plans/plans";
import { z } from "zod";
import { NOTE_MAX_LENGTH } from "@duban/domain/note-limit";
import { reportStatusSchema } from "@duban/domain/parse-reply";
import { recordStatus } from "@duban/core/submissions/record-status";
import { editorProcedure, router, recordId } from "../trpc.ts";
import { run } from "./to-trpc-error.ts";

const id = recordId;

/** What the office enters for a unit, e.g. after a phone call: the same fields a liaison sends. */
export const officeStatusInput = z.object({
  /** The plan the office is looking at; the task (and round) must belong to it. */
  planId: id.nullish(),
  taskId: id,
  unitId: id,
  /** The round it answers; null records it as information only. */
  roundId: id.nullish(),
  status: reportStatusSchema,
  progress: z.number().int().min(0).max(100).nullish(),
  note: z.string().trim().max(NOTE_MAX_LENGTH).nullish(),
  values: z.array(z.object({ indicatorId: id, value: z.number().finite() })).max(20).default([]),
});

export const statusUpdatesRouter = router({
  /** 代为填报: recorded as the signed-in user's entry (source "console"), audited like a reply. */
  record: editorProcedure
    .input(officeStatusInput)
    .mutation(({ ctx, input: { planId, ...input } }) =>
      run(async () => {
        if (planId) {
          await assertTaskInPlan(ctx.db, planId, input.taskId);
          if (input.roundId) await assertRoundInPlan(ctx.db, planId, input.roundId);
        }
        return recordStatus(ctx.db, { ...input, userId: ctx.user.id, contactId: null, source: "console", now: ctx.now(), workingHours: ctx.workingHours });
      }),
    ),
});
