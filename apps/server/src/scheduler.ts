import { setMaxListeners } from "node:events";
import cron from "node-cron";
import type { Logger } from "pino";
import type { Messenger } from "@duban/core/channels/messenger";
import { dispatchReminders, type DeliveryPacing } from "@duban/core/reminders/dispatch-reminders";
import { loadCalendar } from "@duban/core/calendar/calendar-source";
import { sendOfficeDigest } from "@duban/core/office/office-digest";
import { runSchedulerPass } from "@duban/core/reminders/run-scheduler-pass";
import type { Db } from "@duban/db/client";
import { channelPacers, type ChannelLimits, type DeliveryChannel } from "@duban/domain/channel-limits";
import { DEFAULT_WORKING_HOURS, type WorkingHours } from "@duban/domain/working-hours";
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
  /** How often the idle delivery loop looks for retries coming due (default 5 s). */
  pollMs?: number;
  /** Chats sent to at once (the dispatcher's default when absent). */
  concurrency?: number;
  /** Reminders claimed at once (the dispatcher's default when absent). */
  batchSize?: number;
  /**
   * Limits that differ from the platforms' (CHANNEL_LIMITS in domain): this instance's share of
   * Telegram's rate (TELEGRAM_RATE), or a bench's emulator.
   */
  channelLimits?: Partial<Record<DeliveryChannel, ChannelLimits>>;
  /** Wall clock for pacing, in ms (default Date.now). */
  clock?: () => number;
}

/**
 * node-cron only wakes the scheduler; what is due is decided from the database each time.
 * Every minute covers the reminder ladder; a delivery loop sends continuously; 00:00:30 on the first day of
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
  // Shutdown: no new sends after the current ones; a claim left behind is reclaimed by the next start.
  const stopping = new AbortController();
  // Every sender waiting on a channel's pace listens for shutdown (16 at once by default).
  setMaxListeners(100, stopping.signal);
  const inFlight = new Set<Promise<void>>();
  const track = (work: Promise<void>): Promise<void> => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
    return work;
  };

  // The delivery loop: drains the outbox batch after batch as fast as the Api's throttler lets
  // it, then sleeps until woken (a 催办 or 通知 queued, a pass planned rungs) or the poll interval
  // (retries coming due). One loop per process; instances are kept apart by atomic claims.
  let wake: () => void = () => undefined;
  let woken = false;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken || stopping.signal.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = () => undefined;
        resolve();
      }
      wake = done;
    });
  const nudge = () => {
    woken = true;
    wake();
  };
  // Each channel's pace is kept across batches by one pacer per channel for the life of the loop.
  const pacers = channelPacers(options.channelLimits);
  const pacing: DeliveryPacing = { pacerOf: pacers, ...(options.clock ? { clock: options.clock } : {}) };
  const deliveryLoop = async (messenger: Messenger) => {
    while (!stopping.signal.aborted) {
      woken = false;
      try {
        const d = await dispatchReminders(options.db, messenger, now(), {
          officeChatId: options.officeChatId ?? null,
          signal: stopping.signal,
          pacing,
          ...(options.concurrency ? { concurrency: options.concurrency } : {}),
          ...(options.batchSize ? { batchSize: options.batchSize } : {}),
        });
        if (d.sent || d.retrying || d.failed || d.unreachable || d.reclaimed || d.deferred) options.log.info(d, "delivered");
      } catch (error) {
        options.log.error({ err: error }, "delivery failed; retried shortly");
      }
      await sleep(options.pollMs ?? 5_000);
    }
  };

  const pass = (reason: string) => track(runPass(reason));
  const runPass = async (reason: string) => {
    if (stopping.signal.aborted) return;
    const startedAt = new Date();
    let ok = false;
    try {
      // Plans only: sending is the delivery loop's, woken right after.
      const result = await runSchedulerPass({
        db: options.db,
        messenger: null,
        now: now(),
        officeChatId: options.officeChatId ?? null,
        workingHours: options.workingHours,
        signal: stopping.signal,
        log: options.log,
      });
      if (result.roundsCreated.length || result.planned.length) {
        options.log.info({ reason, rounds: result.roundsCreated.length, planned: result.planned.length }, "scheduler pass");
      }
      // 每日督办简报: the first pass in working hours each workday sends it once (unique per day).
      // Its own failure is logged and retried by the next pass; the pass itself went fine.
      if (options.messenger && options.officeChatId) {
        try {
          const digest = await sendOfficeDigest(options.db, options.messenger, now(), {
            officeChatId: options.officeChatId,
            calendar: await loadCalendar(options.db),
            workingHours: options.workingHours ?? DEFAULT_WORKING_HOURS,
          });
          if (digest !== "outside-hours" && digest !== "already-sent") options.log.info({ digest }, "office digest");
        } catch (error) {
          options.log.error({ err: error }, "office digest failed; the next pass retries");
        }
      }
      ok = true;
    } catch (error) {
      options.log.error({ err: error, reason }, "scheduler pass failed; the next pass retries");
    } finally {
      options.onPass?.({ reason, startedAt, durationMs: Date.now() - startedAt.getTime(), ok });
    }
    nudge();
  };
  const opts = { timezone: "Asia/Shanghai", noOverlap: true } as const;
  const everyMinute = cron.schedule("* * * * *", () => pass("minute"), { ...opts, name: "duban-ladder" });
  const periodStart = cron.schedule("30 0 0 1 1,4,7,10 *", () => pass("period-start"), { ...opts, name: "duban-periods" });
  // Catch-up at start: rounds missed while down, reminders still relevant (stale rungs collapse).
  const catchUp = pass("start");
  if (options.messenger) track(deliveryLoop(options.messenger));
  return {
    catchUp,
    deliverNow() {
      if (!stopping.signal.aborted) nudge();
    },
    async stop() {
      stopping.abort();
      wake();
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
