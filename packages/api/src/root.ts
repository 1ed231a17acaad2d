import { router } from "./trpc.ts";
import { planRouter } from "./routers/plan.ts";

export const appRouter = router({
  plan: planRouter,
});

export type AppRouter = typeof appRouter;
