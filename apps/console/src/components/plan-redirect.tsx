import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Navigate, useLocation, useParams } from "react-router";
import { defaultPlanOf, type PlanSection } from "../plan-route.ts";
import { useTRPC } from "../trpc.ts";
import { PageLoading } from "./page-loading.tsx";

/**
 * An old plan-less path (/deadlines, /rounds) goes to the default plan's page, query kept, so
 * bookmarks keep working; with no plan imported yet the plan-less page shows (`fallback`).
 */
export function DefaultPlanRedirect({ section, fallback }: { section: PlanSection; fallback: ReactNode }) {
  const trpc = useTRPC();
  const { search } = useLocation();
  const plans = useQuery(trpc.plan.list.queryOptions());
  if (plans.isPending) return <PageLoading />;
  const planId = defaultPlanOf(plans.data ?? []);
  return planId === null ? fallback : <Navigate to={`/plans/${planId}/${section}${search}`} replace />;
}

/** /tasks/:id goes to the task under its own plan (/plans/:planId/tasks/:id); an unknown task shows the page's error. */
export function TaskPlanRedirect({ fallback }: { fallback: ReactNode }) {
  const trpc = useTRPC();
  const id = Number(useParams().id);
  const valid = Number.isInteger(id) && id > 0;
  const task = useQuery(trpc.tasks.get.queryOptions({ id }, { enabled: valid, retry: false }));
  if (valid && task.isPending) return <PageLoading />;
  return task.data ? <Navigate to={`/plans/${task.data.planId}/tasks/${id}`} replace /> : fallback;
}

/** /plans/:planId/tasks is the plan's task list: its board. */
export function PlanTasksRedirect() {
  const { planId } = useParams();
  const { search } = useLocation();
  return <Navigate to={`/plans/${planId}/board${search}`} replace />;
}
