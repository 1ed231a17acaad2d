import cron from "node-cron";
import type { Logger } from "pino";
import type { Messenger } from "@duban/core/messenger";
import { dispatchReminders } from "@duban/core/dispatch-reminders";
import { runSchedulerPass } from "@duban/core/run-scheduler-pass";
import type { Db } from "@duban/db/client";
import type { WorkingHours } from "@duban/domain/working-hours";
import type { SchedulerPassInfo } from "./metrics.ts";

export interface SchedulerOptions {
  db: Db;
  messenger: Messenger | null;
  log: Logger;
  officeChatId?: string | null;
  /** WORKING_HOURS; the domain's default when absent. */
  workingHours?: WorkingHours;
  now?: () => Date;
  /** How long stop() waits for a message being sent before it lets go (default 10 s). */
  stopTimeoutMs?: number;
  /** Told after every pass (metrics, /ready). */
  onPass?: (pass: SchedulerPassInfo) => void;
}

/**
 * node-cron only wakes the scheduler; what is due is decided from the database each time.
 * Every minute covers the reminder ladder and the dispatcher; 00:00:30 on the first day of
 * each quarter opens the new rounds promptly (the minute pass would too, this is belt and braces).
 * noOverlap: a slow pass is never run twice at once in one process; other instances are kept
 * apart by the database (unique keys and atomic claims).
 */
export interface RunningScheduler {
  catchUp: Promise<void>;
  /** Sends what is due now (a 催办 just queued) without waiting for the next minute. */
  deliverNow(): void;
  stop(): Promise<void>;
}

export function startScheduler(options: SchedulerOptions): RunningScheduler {
  const now = options.now ?? (() => new Date());
  // Shutdown: no new sends after the current one; a claim left behind is reclaimed by the next start.
  const stopping = new AbortController();
  const inFlight = new Set<Promise<void>>();
  const track = (work: Promise<void>): Promise<void> => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
    return work;
  };
  let delivering: Promise<void> | null = null;
  let again = false;
  const deliver = async (): Promise<void> => {
    if (!options.messenger) return;
    try {
      const d = await dispatchReminders(options.db, options.messenger, now(), { officeChatId: options.officeChatId ?? null, signal: stopping.signal });
      if (d.sent || d.retrying || d.failed || d.unreachable) options.log.info(d, "delivered on request");
    } catch (error) {
      options.log.error({ err: error }, "immediate delivery failed; the next pass retries");
    }
  };
  const pass = (reason: string) => track(runPass(reason));
  const runPass = async (reason: string) => {
    if (stopping.signal.aborted) return;
    const startedAt = new Date();
    let ok = false;
    try {
      const result = await runSchedulerPass({
        db: options.db,
        messenger: options.messenger,
        now: now(),
        officeChatId: options.officeChatId ?? null,
        workingHours: options.workingHours,
        signal: stopping.signal,
      });
      const d = result.dispatch;
      if (result.roundsCreated.length || result.planned.length || d.sent || d.retrying || d.failed || d.unreachable || d.reclaimed) {
        options.log.info({ reason, rounds: result.roundsCreated.length, planned: result.planned.length, ...d }, "scheduler pass");
      }
      ok = true;
    } catch (error) {
      options.log.error({ err: error, reason }, "scheduler pass failed; the next pass retries");
    } finally {
      options.onPass?.({ reason, startedAt, durationMs: Date.now() - startedAt.getTime(), ok });
    }
  };
  const opts = { timezone: "Asia/Shanghai", noOverlap: true } as const;
  const everyMinute = cron.schedule("* * * * *", () => pass("minute"), { ...opts, name: "duban-ladder" });
  const periodStart = cron.schedule("30 0 0 1 1,4,7,10 *", () => pass("period-start"), { ...opts, name: "duban-periods" });
  // Catch-up at start: rounds missed while down, reminders still relevant (stale rungs collapse).
  const catchUp = pass("start");
  return {
    catchUp,
    deliverNow() {
      if (stopping.signal.aborted) return;
      // One delivery at a time in this process; a request during one runs once more after it.
      if (delivering) {
        again = true;
        return;
      }
      delivering = track(
        (async () => {
          do {
            again = false;
            await deliver();
          } while (again && !stopping.signal.aborted);
          delivering = null;
        })(),
      );
    },
    async stop() {
      stopping.abort();
      await everyMinute.stop();
      await periodStart.stop();
      // A message stuck on an unreachable Telegram must not hold the process: wait a while, then go.
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), options.stopTimeoutMs ?? 10_000)));
      const outcome = await Promise.race([Promise.allSettled([...inFlight]).then(() => "done" as const), timeout]);
      clearTimeout(timer);
      if (outcome === "timeout") options.log.warn("stopped while a message was still being sent; it is retried after the next start");
    },
  };
}
