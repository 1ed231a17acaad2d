import { z } from "zod";
import { listAudit } from "@duban/core/audit/audit";
import { authedProcedure, router } from "../trpc.ts";

export const auditRouter = router({
  list: authedProcedure
    .input(
      z.object({
        page: z.number().int().min(1).max(100_000).default(1),
        pageSize: z.number().int().min(1).max(200).default(50),
        action: z.string().trim().max(64).nullish(),
        entity: z.string().trim().max(64).nullish(),
        actorType: z.enum(["user", "contact", "system"]).nullish(),
      }),
    )
    .query(({ ctx, input }) => listAudit(ctx.db, input)),
});
