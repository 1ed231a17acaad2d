/**
 * What each chat platform allows an app to send, as data, and the pacing that keeps the delivery
 * loop inside it. Pure: the caller passes the clock (milliseconds) in.
 *
 * Sources (public docs): Telegram Bot FAQ (about 30 messages/s overall, 1/s per chat, 20/min per
 * group); 企业微信 访问频率限制 (document/path/90454: per app and member 30/min and 1,000/h, the
 * excess dropped without an error; sending is outside the 10,000/min per-API base frequency);
 * 钉钉 工作通知 (the same content to one user once a day, the excess answered "success" but not
 * delivered; ~20/s app-wide); 飞书 发送消息 (5 QPS per user or chat, 50/s per app).
 */

export const DELIVERY_CHANNELS = ["telegram", "wecom", "dingtalk", "feishu"] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];

/** At most `count` messages in any `ms` milliseconds. */
export interface RateWindow {
  count: number;
  ms: number;
}

export interface ChannelLimits {
  /** The app (bot) as a whole: sends are spaced evenly at the tightest of these. */
  app: RateWindow[];
  /** One recipient (a private chat, a member, a user). */
  recipient: RateWindow[];
  /** A group chat, in place of `recipient` (Telegram). */
  group?: RateWindow[];
  /**
   * Beyond a limit the platform answers with an error ("answered": the send is retried) or drops
   * the message while answering success ("dropped": pacing is the only protection, so it must
   * hold before the send).
   */
  beyond: "answered" | "dropped";
  /** The same text reaches one recipient once a day (钉钉 工作通知): texts must differ (round, date). */
  identicalOncePerDay?: boolean;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export const CHANNEL_LIMITS: Readonly<Record<DeliveryChannel, ChannelLimits>> = {
  telegram: {
    app: [{ count: 30, ms: SECOND }],
    recipient: [{ count: 1, ms: SECOND }],
    group: [
      { count: 1, ms: SECOND },
      { count: 20, ms: MINUTE },
    ],
    beyond: "answered",
  },
  wecom: {
    // Sending is not counted in the per-API base frequency (10,000/min per corp): that stays the
    // app-wide ceiling, so a burst never trips 45009 on the other calls (token, card updates).
    app: [{ count: 10_000, ms: MINUTE }],
    recipient: [
      { count: 30, ms: MINUTE },
      { count: 1000, ms: HOUR },
    ],
    beyond: "dropped",
  },
  dingtalk: {
    app: [{ count: 20, ms: SECOND }],
    recipient: [],
    beyond: "dropped",
    identicalOncePerDay: true,
  },
  feishu: {
    app: [{ count: 50, ms: SECOND }],
    recipient: [{ count: 5, ms: SECOND }],
    beyond: "answered",
  },
};

/** The limits with the app-wide rate set to `perSecond` (this instance's share: two instances take half each). */
export function withAppRate(limits: ChannelLimits, perSecond: number): ChannelLimits {
  if (!(perSecond > 0)) throw new Error("an app rate must be positive");
  return { ...limits, app: [{ count: perSecond, ms: SECOND }] };
}

/** The most a channel's limits let the app send per second (spacing of the tightest app window). */
export function appRatePerSecond(limits: ChannelLimits): number {
  return Math.min(...limits.app.map((w) => (w.count * SECOND) / w.ms));
}

/** A Telegram address below zero is a group or channel; the other platforms' addresses are people. */
export function isGroupAddress(channel: DeliveryChannel, address: string): boolean {
  return channel === "telegram" && address.startsWith("-");
}

/** Spacing of the app's sends in whole microseconds, rounded up so that float sums never squeeze one more into a window. */
function appIntervalUs(limits: ChannelLimits): number {
  return Math.max(0, ...limits.app.map((w) => Math.ceil((w.ms * 1000) / w.count)));
}

export type PaceVerdict =
  /** Send at `at` (now or a moment later, the app's next slot); the slot is taken. */
  | { kind: "go"; at: number }
  /** The recipient's limit frees a slot soon: ask again at `until` (nothing taken meanwhile). */
  | { kind: "wait"; until: number }
  /** Not before `until`, further than worth holding a sender for: put the message back in the outbox till then. */
  | { kind: "defer"; until: number; reason: "recipient-limit" | "identical-today" };

export interface PacerOptions {
  /** Waits up to this long are held in process; longer ones are deferred (default 5 s). */
  maxWaitMs?: number;
}

const SHANGHAI_OFFSET_MS = 8 * HOUR;
const DAY = 24 * HOUR;

/**
 * Paces one channel's sends: the app as a whole evenly spaced at its tightest rate, and each
 * recipient (or group) within every one of its windows, counted exactly over the slots taken (a
 * sliding log, not a bucket, so "30 per minute" never becomes 59 across a boundary — the excess is
 * silently dropped on 企业微信). A recipient's slots are taken in order; the app's slots are taken
 * only when the recipient is ready, so one member at its limit never holds the others back.
 */
export class DeliveryPacer {
  /** The app's next free slot, in microseconds. */
  private nextAppUs = -Infinity;
  private readonly logs = new Map<string, number[]>();
  private readonly texts = new Map<string, Map<string, number>>();
  private readonly intervalUs: number;
  private readonly longest: number;
  private readonly maxWait: number;
  private pruneAt = 0;

  constructor(
    readonly limits: ChannelLimits,
    options: PacerOptions = {},
  ) {
    this.intervalUs = appIntervalUs(limits);
    this.longest = Math.max(0, ...limits.recipient.map((w) => w.ms), ...(limits.group ?? []).map((w) => w.ms));
    this.maxWait = options.maxWaitMs ?? 5 * SECOND;
  }

  reserve(input: { recipient: string; group?: boolean; text?: string; now: number }): PaceVerdict {
    const { now } = input;
    this.prune(now);
    const windows = input.group ? (this.limits.group ?? this.limits.recipient) : this.limits.recipient;
    const key = `${input.group ? "g" : "r"}:${input.recipient}`;

    if (this.limits.identicalOncePerDay && input.text !== undefined) {
      const sentAt = this.texts.get(input.recipient)?.get(input.text);
      if (sentAt !== undefined && dayOf(sentAt) === dayOf(now)) return { kind: "defer", until: sentAt + DAY, reason: "identical-today" };
    }

    const log = this.logs.get(key) ?? [];
    let earliest = now;
    for (const w of windows) {
      if (log.length >= w.count) earliest = Math.max(earliest, log[log.length - w.count]! + w.ms);
    }
    if (earliest > now + this.maxWait) return { kind: "defer", until: earliest, reason: "recipient-limit" };
    if (earliest > now) return { kind: "wait", until: earliest };

    const atUs = Math.max(Math.ceil(now * 1000), this.nextAppUs);
    this.nextAppUs = atUs + this.intervalUs;
    const at = atUs / 1000;
    if (windows.length > 0) {
      log.push(at);
      this.logs.set(key, log);
    }
    if (this.limits.identicalOncePerDay && input.text !== undefined) {
      const seen = this.texts.get(input.recipient) ?? new Map<string, number>();
      seen.set(input.text, at);
      this.texts.set(input.recipient, seen);
    }
    return { kind: "go", at };
  }

  /**
   * A send that did not reach the recipient (refused for rate, failed): its text does not count
   * as seen today, so the retry is not held to the next day. Its slots stay taken — the call was made.
   */
  notDelivered(input: { recipient: string; text?: string }): void {
    if (input.text === undefined) return;
    const seen = this.texts.get(input.recipient);
    seen?.delete(input.text);
    if (seen?.size === 0) this.texts.delete(input.recipient);
  }

  /** Forgets slots no window can see any more (at most once a minute), so memory follows recent traffic. */
  private prune(now: number): void {
    if (now < this.pruneAt) return;
    this.pruneAt = now + MINUTE;
    for (const [key, log] of this.logs) {
      const keep = log.filter((t) => t > now - this.longest);
      if (keep.length === 0) this.logs.delete(key);
      else if (keep.length !== log.length) this.logs.set(key, keep);
    }
    for (const [recipient, seen] of this.texts) {
      for (const [text, at] of seen) if (dayOf(at) !== dayOf(now)) seen.delete(text);
      if (seen.size === 0) this.texts.delete(recipient);
    }
  }
}

/** The Shanghai calendar day of an instant (ms), as a day number. */
function dayOf(ms: number): number {
  return Math.floor((ms + SHANGHAI_OFFSET_MS) / DAY);
}

/** One pacer per channel, made on first use and kept (their state is the recent traffic). */
export function channelPacers(limits: Partial<Record<DeliveryChannel, ChannelLimits>> = {}, options: PacerOptions = {}): (channel: DeliveryChannel) => DeliveryPacer {
  const pacers = new Map<DeliveryChannel, DeliveryPacer>();
  return (channel) => {
    let pacer = pacers.get(channel);
    if (!pacer) {
      pacer = new DeliveryPacer(limits[channel] ?? CHANNEL_LIMITS[channel], options);
      pacers.set(channel, pacer);
    }
    return pacer;
  };
}
