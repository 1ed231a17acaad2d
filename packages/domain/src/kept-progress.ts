import type { ReportStatus } from "./parse-reply.ts";

/**
 * The progress a new status report carries. A percentage given now wins; 已完成 is 100%.
 * 推进中 or 有困难 without one keeps the unit's last known percentage for the task (a liaison who
 * reported 60% and taps 推进中 again has not gone back to nothing), unless that was a 100%
 * 已完成: a task reopened as in progress starts its percentage anew. 未开始 has none.
 */
export function keptProgress(status: ReportStatus, given: number | null, last: { status: string; progress: number | null } | null): number | null {
  if (given !== null) return given;
  if (status === "done") return 100;
  if (status === "not_started") return null;
  if (!last || last.progress === null || last.status === "done") return null;
  return last.progress;
}
