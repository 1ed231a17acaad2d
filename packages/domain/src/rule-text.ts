import type { DeadlineRule } from "./due-date.ts";

// No runtime imports: the console renders rule wording in the user's language from this file alone.

/** "每季度结束后10个工作日内" / "每年1月31日前" / "2026-12-31前", or the English equivalents. */
export function describeRule(rule: DeadlineRule, lang: "zh" | "en" = "zh"): string {
  switch (rule.kind) {
    case "once":
      return lang === "zh" ? `${rule.dueDate}前` : `by ${rule.dueDate}`;
    case "quarterly": {
      const n = rule.offsetDays;
      const workday = rule.dayBasis === "workday";
      if (lang === "zh") {
        if (n === 0) return workday ? "每季度末（遇休息日顺延）" : "每季度末";
        return `每季度结束后${n}${workday ? "个工作日" : "日"}内`;
      }
      if (n === 0) return workday ? "at the end of each quarter (next workday if a rest day)" : "at the end of each quarter";
      return `within ${n} ${workday ? "workday" : "day"}${n === 1 ? "" : "s"} after each quarter ends`;
    }
    case "annual": {
      const workday = rule.dayBasis === "workday";
      if (lang === "zh") return `每年${rule.month}月${rule.day}日前${workday ? "（遇休息日顺延）" : ""}`;
      return `by ${MONTHS_EN[rule.month - 1]} ${rule.day} each year, for the previous year${workday ? " (next workday if a rest day)" : ""}`;
    }
  }
}

const MONTHS_EN = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;
