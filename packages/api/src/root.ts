import { router } from "./trpc.ts";
import { planRouter } from "./routers/plan.ts";
import { authRouter } from "./routers/auth.ts";
import { usersRouter } from "./routers/users.ts";

export const appRouter = router({
  plan: planRouter,
  auth: authRouter,
  users: usersRouter,
});

export type AppRouter = typeof appRouter;
