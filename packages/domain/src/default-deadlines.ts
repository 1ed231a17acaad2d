/**
 * Deadlines a freshly imported plan gets, so the office starts with a working schedule:
 * a quarterly progress round for every task, and a round for each cadence the plan text
 * itself states (每季度…报告 → quarterly, 每年…白皮书 → annual). The office edits them later.
 */
export type DefaultRule =
  | { kind: "quarterly"; offsetDays: number; dayBasis: "workday" | "calendar" }
  | { kind: "annual"; month: number; day: number; dayBasis: "workday" | "calendar" };

export interface DefaultDeadline {
  /** Stable across re-imports: identifies the cycle within the plan. */
  cycleKey: string;
  cycleName: string;
  cadence: "quarterly" | "annual";
  /** Index of the task in document order. */
  taskIndex: number;
  title: string;
  rule: DefaultRule;
}

interface TaskLike {
  number: string;
  title: string;
  cadences: Array<{ kind: "quarterly" | "annual"; what: string }>;
}

/** 5 workdays after quarter end for progress; 10 for analysis reports; 31 January for annual papers. */
export const PROGRESS_OFFSET_WORKDAYS = 5;
export const QUARTERLY_REPORT_OFFSET_WORKDAYS = 10;

export function defaultDeadlines(tasks: TaskLike[]): DefaultDeadline[] {
  const result: DefaultDeadline[] = [];
  tasks.forEach((task, taskIndex) => {
    result.push({
      cycleKey: "progress",
      cycleName: "季度进度填报",
      cadence: "quarterly",
      taskIndex,
      title: `任务${task.number}季度进度`,
      rule: { kind: "quarterly", offsetDays: PROGRESS_OFFSET_WORKDAYS, dayBasis: "workday" },
    });
    task.cadences.forEach((cadence, i) => {
      const what = cadence.what || (cadence.kind === "quarterly" ? "季度报告" : "年度报告");
      result.push({
        cycleKey: `task-${taskIndex + 1}-${cadence.kind}-${i + 1}`,
        cycleName: cadence.kind === "quarterly" ? `每季度${what}` : `年度${what}`,
        cadence: cadence.kind,
        taskIndex,
        title: cadence.kind === "quarterly" ? `每季度${what}` : `年度${what}`,
        rule:
          cadence.kind === "quarterly"
            ? { kind: "quarterly", offsetDays: QUARTERLY_REPORT_OFFSET_WORKDAYS, dayBasis: "workday" }
            : { kind: "annual", month: 1, day: 31, dayBasis: "workday" },
      });
    });
  });
  return result;
}
