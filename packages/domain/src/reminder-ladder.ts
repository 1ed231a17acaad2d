import { z } from "zod";
import { shanghaiDate, shanghaiInstant, timeOfDaySchema, type Calendar } from "./calendar.ts";
import { isWithinWorkingHours, workingTimeOnOrAfter, type WorkingHours } from "./working-hours.ts";

export {
  DEFAULT_WORKING_HOURS,
  isWithinWorkingHours,
  nextWorkingMorning,
  workingHoursSchema,
  workingTimeOnOrAfter,
  type WorkingHours,
} from "./working-hours.ts";

/**
 * The reminder ladder of a deadline, counted in workdays around the due date.
 * Liaisons get `before` rungs, the due-day rung, then one every `overdueEvery` workdays while
 * overdue, up to `overdueMax` workdays overdue. From `headAfter` workdays overdue the unit head
 * (一把手) is reminded on the same cadence; at `officeAfter` the office gets one escalation.
 */
export interface Ladder {
  /** Workdays before the due date, e.g. [7, 3, 1]. */
  before: readonly number[];
  onDueDay: boolean;
  overdueEvery: number;
  /** No liaison or head reminder later than this many workdays overdue (the office escalation is exempt). */
  overdueMax: number;
  headAfter: number | null;
  officeAfter: number | null;
  /** Wall-clock time of every rung; a time outside working hours waits for the next working morning. */
  sendAt: string;
}

export const DEFAULT_LADDER: Readonly<Ladder> = Object.freeze({
  before: Object.freeze([7, 3, 1]),
  onDueDay: true,
  overdueEvery: 2,
  overdueMax: 30,
  headAfter: 3,
  officeAfter: 5,
  sendAt: "09:00",
});

/** Every field defaults to DEFAULT_LADDER, so a deadline stores only what it changes. */
export const ladderSchema = z.object({
  before: z
    .array(z.number().int().min(1).max(250))
    .max(20)
    .default(() => [...DEFAULT_LADDER.before])
    .transform((days) => [...new Set(days)].sort((a, b) => b - a)),
  onDueDay: z.boolean().default(DEFAULT_LADDER.onDueDay),
  overdueEvery: z.number().int().min(1).max(250).default(DEFAULT_LADDER.overdueEvery),
  overdueMax: z.number().int().min(0).max(250).default(DEFAULT_LADDER.overdueMax),
  headAfter: z.number().int().min(1).max(250).nullable().default(DEFAULT_LADDER.headAfter),
  officeAfter: z.number().int().min(1).max(250).nullable().default(DEFAULT_LADDER.officeAfter),
  sendAt: timeOfDaySchema.default(DEFAULT_LADDER.sendAt),
}) satisfies z.ZodType<Ladder, unknown>;

/**
 * Rung names: "before-7", "due", "overdue-2" (liaisons); "head-3" (unit heads); "office-5" (the
 * office); "snooze-2026-10-09" (a liaison's 稍后提醒, named by the Shanghai date it fires).
 * The number is always workdays relative to the due date.
 */
export type Rung =
  | `before-${number}`
  | "due"
  | `overdue-${number}`
  | `head-${number}`
  | `office-${number}`
  | `snooze-${string}`;

export type ReminderKind = "reminder" | "escalation-head" | "escalation-office";

export interface LadderContact {
  contactId: number;
  role: "liaison" | "head";
  /** False when the contact cannot be messaged (not joined the chat, blocked the bot). */
  reachable: boolean;
}

export interface LadderUnit {
  unitId: number;
  submitted: boolean;
  /** Set by a liaison's 稍后提醒; the liaison track is silent until then. */
  snoozedUntil: Date | null;
  contacts: LadderContact[];
}

export interface LadderRound {
  roundId: number;
  dueDate: string;
  ladder: Ladder;
  units: LadderUnit[];
  /**
   * Distinguishes a second ladder inside one round, e.g. a unit whose deadline was extended:
   * its rungs restart for the new due date under keys of their own.
   */
  keyScope?: string;
}

/** Everything the planner needs; pass only rounds that are open. */
export interface LadderState {
  calendar: Calendar;
  workingHours: WorkingHours;
  rounds: readonly LadderRound[];
  /** Keys of reminders already planned (stored), sent or not. */
  existingKeys: ReadonlySet<string>;
}

export interface PlannedReminder {
  key: string;
  roundId: number;
  unitId: number;
  /** null: the escalation goes to the office, not to a contact. */
  contactId: number | null;
  rung: Rung;
  kind: ReminderKind;
  /** When the rung became (or becomes) due; always inside working hours. */
  at: Date;
  dueDate: string;
}

export interface ScheduledRung {
  rung: Rung;
  kind: ReminderKind;
  at: Date;
}

/** A round's rungs per track, each in ladder order with `at` non-decreasing. */
export interface RoundSchedule {
  liaison: ScheduledRung[];
  head: ScheduledRung[];
  office: ScheduledRung[];
}

/** Deterministic and unique per (round, unit, contact, rung): stored under a unique index. */
export function reminderKey(r: { roundId: number; unitId: number; contactId: number | null; rung: Rung; keyScope?: string | undefined }): string {
  const scope = r.keyScope ? `${r.keyScope}:` : "";
  return `r${r.roundId}:u${r.unitId}:c${r.contactId ?? "office"}:${scope}${r.rung}`;
}

/**
 * When each rung of a ladder falls for a due date. A rung lands on a workday at `sendAt`; a time
 * outside working hours, or a due date on a rest day, moves to the next working morning. Rungs
 * that end up at the same instant stay in ladder order (the later rung supersedes).
 */
export function ladderSchedule(dueDate: string, ladder: Ladder, cal: Calendar, hours: WorkingHours): RoundSchedule {
  const sendAtInHours = hours.start <= ladder.sendAt && ladder.sendAt < hours.end;
  const place = (date: string): Date => {
    const at = shanghaiInstant(date, ladder.sendAt);
    return sendAtInHours && cal.isWorkday(date) ? at : workingTimeOnOrAfter(at, cal, hours);
  };
  const liaison: ScheduledRung[] = [];
  const head: ScheduledRung[] = [];
  const office: ScheduledRung[] = [];

  const before = [...new Set(ladder.before)].filter((n) => n > 0).sort((a, b) => b - a);
  for (const n of before) liaison.push({ rung: `before-${n}`, kind: "reminder", at: place(cal.addWorkdays(dueDate, -n)) });
  if (ladder.onDueDay) liaison.push({ rung: "due", kind: "reminder", at: place(dueDate) });

  // overdue[n] = the n-th workday after the due date.
  const horizon = Math.max(ladder.overdueMax, ladder.officeAfter ?? 0);
  const overdue: string[] = [dueDate];
  for (let n = 1; n <= horizon; n++) overdue.push(cal.nextWorkday(overdue[n - 1] ?? dueDate));
  const overdueDay = (n: number): string => overdue[n] ?? dueDate;

  const every = Math.max(1, ladder.overdueEvery);
  for (let n = every; n <= ladder.overdueMax; n += every) {
    liaison.push({ rung: `overdue-${n}`, kind: "reminder", at: place(overdueDay(n)) });
  }
  if (ladder.headAfter !== null) {
    for (let n = ladder.headAfter; n <= ladder.overdueMax; n += every) {
      head.push({ rung: `head-${n}`, kind: "escalation-head", at: place(overdueDay(n)) });
    }
  }
  if (ladder.officeAfter !== null) {
    const n = ladder.officeAfter;
    office.push({ rung: `office-${n}`, kind: "escalation-office", at: place(overdueDay(n)) });
  }
  return { liaison, head, office };
}

/** The last rung whose time has come (ties resolved to the later rung in ladder order). */
function latestCurrent(track: readonly ScheduledRung[], now: number): ScheduledRung | null {
  let latest: ScheduledRung | null = null;
  for (const r of track) {
    if (r.at.getTime() > now) break;
    latest = r;
  }
  return latest;
}

function snoozeRungs(cal: Calendar, hours: WorkingHours): (unit: LadderUnit) => ScheduledRung | null {
  // Snoozes to the same morning are common; place each distinct time once per pass.
  const cache = new Map<number, ScheduledRung>();
  return (unit) => {
    if (unit.snoozedUntil === null) return null;
    let rung = cache.get(unit.snoozedUntil.getTime());
    if (!rung) {
      const at = workingTimeOnOrAfter(unit.snoozedUntil, cal, hours);
      rung = { rung: `snooze-${shanghaiDate(at)}`, kind: "reminder", at };
      cache.set(unit.snoozedUntil.getTime(), rung);
    }
    return rung;
  };
}

function scheduleCache(state: LadderState): (round: LadderRound) => RoundSchedule {
  const cache = new Map<string, RoundSchedule>();
  return (round) => {
    const id = `${round.dueDate}|${JSON.stringify(round.ladder)}`;
    let schedule = cache.get(id);
    if (!schedule) {
      schedule = ladderSchedule(round.dueDate, round.ladder, state.calendar, state.workingHours);
      cache.set(id, schedule);
    }
    return schedule;
  };
}

function reachable(unit: LadderUnit, role: LadderContact["role"]): LadderContact[] {
  return unit.contacts.filter((c) => c.role === role && c.reachable);
}

function planned(round: LadderRound, unit: LadderUnit, contactId: number | null, r: ScheduledRung): PlannedReminder {
  const base = { roundId: round.roundId, unitId: unit.unitId, contactId, rung: r.rung };
  return { key: reminderKey({ ...base, keyScope: round.keyScope }), ...base, kind: r.kind, at: r.at, dueDate: round.dueDate };
}

function byTimeThenKey(a: PlannedReminder, b: PlannedReminder): number {
  return a.at.getTime() - b.at.getTime() || a.roundId - b.roundId || a.unitId - b.unitId || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/**
 * The reminders to store and send at `now`. Pure: same state and clock, same answer.
 *
 * Nothing is planned outside working hours. Submitted units get nothing. Per track
 * (round, unit, contact) only the latest rung whose time has come is planned, and only if its key
 * is not in `existingKeys`: a rung is never repeated, and rungs missed while the scheduler was
 * down collapse into the current one. Liaison rungs go to reachable liaisons, head rungs to
 * reachable heads, the office escalation (contactId null) is planned whoever is reachable.
 * A snooze silences the liaison track until the snooze time (moved into working hours); then a
 * "snooze-<date>" rung fires once, unless a regular rung falls at the same moment or later.
 */
export function planReminders(state: LadderState, now: Date): PlannedReminder[] {
  const { calendar: cal, workingHours: hours, existingKeys } = state;
  if (!isWithinWorkingHours(now, cal, hours)) return [];
  const t = now.getTime();
  const scheduleOf = scheduleCache(state);
  const snoozeOf = snoozeRungs(cal, hours);
  const out: PlannedReminder[] = [];
  const emit = (p: PlannedReminder) => {
    if (!existingKeys.has(p.key)) out.push(p);
  };

  for (const round of state.rounds) {
    const schedule = scheduleOf(round);
    for (const unit of round.units) {
      if (unit.submitted) continue;

      const snooze = snoozeOf(unit);
      if (snooze === null || snooze.at.getTime() <= t) {
        const regular = latestCurrent(schedule.liaison, t);
        const current = snooze !== null && (regular === null || snooze.at.getTime() > regular.at.getTime()) ? snooze : regular;
        if (current) for (const c of reachable(unit, "liaison")) emit(planned(round, unit, c.contactId, current));
      }

      const headRung = latestCurrent(schedule.head, t);
      if (headRung) for (const c of reachable(unit, "head")) emit(planned(round, unit, c.contactId, headRung));

      const officeRung = latestCurrent(schedule.office, t);
      if (officeRung) emit(planned(round, unit, null, officeRung));
    }
  }
  return out.sort(byTimeThenKey);
}

/**
 * Preview for the console: every rung falling in (from, to] that is not already stored, under the
 * same rules (reachable contacts, unsubmitted units, snooze) but without collapsing, since in the
 * future each rung is expected to fire on time.
 */
export function upcomingReminders(state: LadderState, from: Date, to: Date): PlannedReminder[] {
  const { calendar: cal, workingHours: hours, existingKeys } = state;
  const lo = from.getTime();
  const hi = to.getTime();
  const inWindow = (r: ScheduledRung) => r.at.getTime() > lo && r.at.getTime() <= hi;
  const scheduleOf = scheduleCache(state);
  const snoozeOf = snoozeRungs(cal, hours);
  const out: PlannedReminder[] = [];
  const emit = (p: PlannedReminder) => {
    if (!existingKeys.has(p.key)) out.push(p);
  };

  for (const round of state.rounds) {
    const schedule = scheduleOf(round);
    for (const unit of round.units) {
      if (unit.submitted) continue;
      const liaisons = reachable(unit, "liaison");
      const heads = reachable(unit, "head");
      const snooze = snoozeOf(unit);
      const snoozeAt = snooze?.at.getTime() ?? -Infinity;

      // Rungs before the snooze time are swallowed by it; one at the same moment replaces it.
      const liaisonTrack = schedule.liaison.filter((r) => r.at.getTime() >= snoozeAt);
      if (snooze && inWindow(snooze) && !liaisonTrack.some((r) => r.at.getTime() === snoozeAt)) liaisonTrack.push(snooze);
      for (const r of liaisonTrack.filter(inWindow)) for (const c of liaisons) emit(planned(round, unit, c.contactId, r));
      for (const r of schedule.head.filter(inWindow)) for (const c of heads) emit(planned(round, unit, c.contactId, r));
      for (const r of schedule.office.filter(inWindow)) emit(planned(round, unit, null, r));
    }
  }
  return out.sort(byTimeThenKey);
}

/**
 * When a round starts collecting answers for a unit: the first liaison rung (7 workdays before
 * the due date by default), or the due day when the ladder has none. A progress reply before
 * that is information about the quarter, not the quarter's report.
 */
export function reportingWindowOpens(dueDate: string, ladder: Ladder, cal: Calendar, hours: WorkingHours): Date {
  const first = ladderSchedule(dueDate, ladder, cal, hours).liaison[0];
  return first ? first.at : workingTimeOnOrAfter(shanghaiInstant(dueDate, hours.start), cal, hours);
}
