import { shanghaiDate, type Calendar } from "./calendar.ts";

/**
 * 红黄绿灯 — derived, never stored.
 * - red: the unit owes a submission whose due moment has passed;
 * - yellow: the unit reported difficulty (有困难), or owes a submission due within 3 workdays;
 * - green: submitted, or on track with more time left (or nothing owed).
 */
export type Light = "green" | "yellow" | "red";

export const LIGHTS: readonly Light[] = ["red", "yellow", "green"];

/** Workdays ahead of the due date at which an unsubmitted obligation turns yellow. */
export const DUE_SOON_WORKDAYS = 3;

export interface LightInput {
  now: Date;
  /** Due moment of the obligation in question (the earliest still owed, else the latest one); null when none. */
  dueAt: Date | null;
  /** The unit has submitted for that obligation. */
  submitted: boolean;
  /** The unit's latest status for the task is 有困难 (blocked). */
  blocked: boolean;
}

export function lightOf(input: LightInput, calendar: Pick<Calendar, "workdaysBetween">): Light {
  const { now, dueAt, submitted, blocked } = input;
  if (dueAt && !submitted && dueAt.getTime() < now.getTime()) return "red";
  if (blocked) return "yellow";
  if (dueAt && !submitted) {
    const today = shanghaiDate(now);
    const due = shanghaiDate(dueAt);
    if (calendar.workdaysBetween(today, due) <= DUE_SOON_WORKDAYS) return "yellow";
  }
  return "green";
}

/** The worse of two lights (a task row shows its worst unit). */
export function worseLight(a: Light, b: Light): Light {
  return LIGHTS.indexOf(a) <= LIGHTS.indexOf(b) ? a : b;
}
