import { useParams } from "react-router";

/** The plan a page shows, carried in the URL (/plans/:planId/…); null on the old plan-less paths. */
export function usePlanId(): number | null {
  const { planId } = useParams();
  const id = Number(planId);
  return Number.isInteger(id) && id > 0 ? id : null;
}

/** The per-plan page kinds: each lives at /plans/:planId/<section>. */
export type PlanSection = "board" | "tasks" | "deadlines" | "rounds";

/** The plan and page kind a path shows, or null for a page that is not per plan. */
export function planPathOf(pathname: string): { planId: number; section: PlanSection } | null {
  const match = /^\/plans\/(\d+)\/(board|tasks|deadlines|rounds)(\/|$)/.exec(pathname);
  return match ? { planId: Number(match[1]), section: match[2] as PlanSection } : null;
}

/**
 * Where the header's plan switcher goes from `pathname`: the same page kind of the other plan. A
 * task belongs to one plan, so from a task page it goes to the other plan's board (its task list).
 */
export function switchPlanPath(pathname: string, planId: number): string {
  const section = planPathOf(pathname)?.section ?? (pathname.startsWith("/deadlines") ? "deadlines" : pathname.startsWith("/rounds") ? "rounds" : "board");
  return `/plans/${planId}/${section === "tasks" ? "board" : section}`;
}

/** The plan an old plan-less link means: the most recently imported active plan, else the newest archived one. */
export function defaultPlanOf(plans: ReadonlyArray<{ id: number; archived: boolean }>): number | null {
  // plan.list is ordered newest import first, as defaultPlanId orders them on the server.
  return (plans.find((p) => !p.archived) ?? plans[0])?.id ?? null;
}

/**
 * The plan the header's switcher shows: the one in the URL, else
 * the one last shown, else the default plan that "/" and the plan-less links open, so the switcher
 * never reads 选择方案… over a board that shows a plan.
 */
export function menuPlanOf(pathname: string, lastShown: number | null, plans: ReadonlyArray<{ id: number; archived: boolean }>): number | null {
  return planPathOf(pathname)?.planId ?? lastShown ?? defaultPlanOf(plans);
}
