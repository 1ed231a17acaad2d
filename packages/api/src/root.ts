import { router } from "./trpc.ts";
import { planRouter } from "./routers/plan.ts";
import { authRouter } from "./routers/auth.ts";
import { usersRouter } from "./routers/users.ts";
import { boardRouter } from "./routers/board.ts";
import { tasksRouter } from "./routers/tasks.ts";
import { unitsRouter } from "./routers/units.ts";
import { deadlinesRouter } from "./routers/deadlines.ts";
import { roundsRouter } from "./routers/rounds.ts";
import { extensionsRouter } from "./routers/extensions.ts";
import { noticesRouter } from "./routers/notices.ts";
import { importsRouter } from "./routers/imports.ts";
import { calendarRouter } from "./routers/calendar.ts";
import { auditRouter } from "./routers/audit.ts";
import { exportsRouter } from "./routers/exports.ts";
import { statusUpdatesRouter } from "./routers/status-updates.ts";
import { alertsRouter } from "./routers/alerts.ts";
import { scoresRouter } from "./routers/scores.ts";

export const appRouter = router({
  plan: planRouter,
  auth: authRouter,
  users: usersRouter,
  board: boardRouter,
  tasks: tasksRouter,
  statusUpdates: statusUpdatesRouter,
  units: unitsRouter,
  deadlines: deadlinesRouter,
  rounds: roundsRouter,
  extensions: extensionsRouter,
  notices: noticesRouter,
  imports: importsRouter,
  calendar: calendarRouter,
  audit: auditRouter,
  exports: exportsRouter,
  alerts: alertsRouter,
  scores: scoresRouter,
});

export type AppRouter = typeof appRouter;
