import { describe, expect, it } from "vitest";
import { appRatePerSecond, CHANNEL_LIMITS, channelPacers, DeliveryPacer, isGroupAddress, withAppRate, type ChannelLimits, type PaceVerdict } from "./channel-limits.ts";

const T0 = Date.parse("2026-10-12T02:00:00Z"); // 10:00 in Shanghai

/** Sends `n` messages to the recipients in turn as soon as the pacer allows (waits honoured, deferrals skipped). */
function drive(pacer: DeliveryPacer, recipients: string[], n: number, options: { group?: boolean; text?: (i: number) => string } = {}) {
  const sent: Array<{ recipient: string; at: number }> = [];
  const deferred: Array<Extract<PaceVerdict, { kind: "defer" }> & { recipient: string }> = [];
  let clock = T0;
  for (let i = 0; i < n; i++) {
    const recipient = recipients[i % recipients.length]!;
    for (;;) {
      const v = pacer.reserve({ recipient, now: clock, ...(options.group ? { group: true } : {}), ...(options.text ? { text: options.text(i) } : {}) });
      if (v.kind === "wait") {
        clock = v.until;
        continue;
      }
      if (v.kind === "defer") deferred.push({ ...v, recipient });
      else {
        sent.push({ recipient, at: v.at });
        clock = Math.max(clock, v.at);
      }
      break;
    }
  }
  return { sent, deferred };
}

/** The most sends any window of `ms` holds, per recipient or overall. */
function busiest(times: number[], ms: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= ms) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe("per-channel limits as data", () => {
  it("names the platforms' documented limits", () => {
    expect(appRatePerSecond(CHANNEL_LIMITS.telegram)).toBe(30);
    expect(CHANNEL_LIMITS.telegram.group).toEqual([{ count: 1, ms: 1000 }, { count: 20, ms: 60_000 }]);
    expect(CHANNEL_LIMITS.wecom).toMatchObject({ recipient: [{ count: 30, ms: 60_000 }, { count: 1000, ms: 3_600_000 }], beyond: "dropped" });
    expect(CHANNEL_LIMITS.dingtalk).toMatchObject({ identicalOncePerDay: true, beyond: "dropped" });
    expect(appRatePerSecond(CHANNEL_LIMITS.dingtalk)).toBe(20);
    expect(appRatePerSecond(CHANNEL_LIMITS.feishu)).toBe(50);
    expect(CHANNEL_LIMITS.feishu.recipient).toEqual([{ count: 5, ms: 1000 }]);
    expect(appRatePerSecond(withAppRate(CHANNEL_LIMITS.telegram, 15))).toBe(15);
    expect(() => withAppRate(CHANNEL_LIMITS.telegram, 0)).toThrow();
  });

  it("a Telegram address below zero is a group; other channels' addresses are people", () => {
    expect(isGroupAddress("telegram", "-100123")).toBe(true);
    expect(isGroupAddress("telegram", "5001")).toBe(false);
    expect(isGroupAddress("wecom", "-x")).toBe(false);
  });
});

describe("DeliveryPacer", () => {
  it("Telegram: 600 messages to 600 chats go out evenly at 30/s, never more than 30 in any second", () => {
    const { sent } = drive(new DeliveryPacer(CHANNEL_LIMITS.telegram), Array.from({ length: 600 }, (_, i) => String(i)), 600);
    expect(sent).toHaveLength(600);
    expect(busiest(sent.map((s) => s.at), 1000)).toBe(30);
    // 600 at 30/s: the last leaves just under 20 s after the first.
    expect(sent.at(-1)!.at - T0).toBeCloseTo((599 * 1000) / 30, 0);
  });

  it("Telegram: one chat gets one message a second; a group 20 a minute; the others are not held back", () => {
    const pacer = new DeliveryPacer(CHANNEL_LIMITS.telegram);
    const chat = drive(pacer, ["42"], 5).sent.map((s) => s.at - T0);
    expect(chat).toEqual([0, 1000, 2000, 3000, 4000]);

    const group = new DeliveryPacer(CHANNEL_LIMITS.telegram, { maxWaitMs: 120_000 });
    const times = drive(group, ["-1001"], 45, { group: true }).sent.map((s) => s.at);
    expect(busiest(times, 60_000)).toBe(20);
    expect(busiest(times, 1000)).toBe(1);

    // A chat waiting for its second does not take the app's slots: another chat goes at once.
    const mixed = new DeliveryPacer(CHANNEL_LIMITS.telegram);
    expect(mixed.reserve({ recipient: "a", now: T0 })).toEqual({ kind: "go", at: T0 });
    expect(mixed.reserve({ recipient: "a", now: T0 + 100 })).toEqual({ kind: "wait", until: T0 + 1000 });
    expect(mixed.reserve({ recipient: "b", now: T0 + 100 })).toEqual({ kind: "go", at: T0 + 100 });
  });

  it("企业微信: a member gets at most 30 a minute and 1,000 an hour; beyond, the message is deferred, never sent early", () => {
    const pacer = new DeliveryPacer(CHANNEL_LIMITS.wecom);
    const first = drive(pacer, ["lihua"], 31);
    expect(first.sent).toHaveLength(30);
    expect(first.deferred).toEqual([{ kind: "defer", until: first.sent[0]!.at + 60_000, reason: "recipient-limit", recipient: "lihua" }]);
    // Another member is not affected.
    expect(pacer.reserve({ recipient: "wangfang", now: T0 + 10 }).kind).toBe("go");

    // Over hours, sending whenever allowed (deferrals waited out): never more than the limits in any window.
    const hourly = new DeliveryPacer(CHANNEL_LIMITS.wecom, { maxWaitMs: Infinity });
    const times = drive(hourly, ["lihua"], 1100).sent.map((s) => s.at);
    expect(times).toHaveLength(1100);
    expect(busiest(times, 60_000)).toBe(30);
    expect(busiest(times, 3_600_000)).toBe(1000);
    // The 1,001st waits for the hour of the first to pass.
    expect(times[1000]! - times[0]!).toBe(3_600_000);
  });

  it("钉钉: the same text to one user once a day (the repeat deferred a day), a different text or user goes", () => {
    const pacer = new DeliveryPacer(CHANNEL_LIMITS.dingtalk);
    expect(pacer.reserve({ recipient: "u1", text: "任务8 2026Q3 请报送", now: T0 }).kind).toBe("go");
    expect(pacer.reserve({ recipient: "u1", text: "任务8 2026Q3 请报送", now: T0 + 5000 })).toEqual({ kind: "defer", until: T0 + 86_400_000, reason: "identical-today" });
    expect(pacer.reserve({ recipient: "u1", text: "任务8 2026Q3 请报送（10月13日）", now: T0 + 5000 }).kind).toBe("go");
    expect(pacer.reserve({ recipient: "u2", text: "任务8 2026Q3 请报送", now: T0 + 5000 }).kind).toBe("go");
    // A send the platform refused (rate) delivered nothing: its retry may go the same day.
    pacer.notDelivered({ recipient: "u2", text: "任务8 2026Q3 请报送" });
    expect(pacer.reserve({ recipient: "u2", text: "任务8 2026Q3 请报送", now: T0 + 9000 }).kind).toBe("go");
    // The next Shanghai day the same text may go again.
    expect(pacer.reserve({ recipient: "u1", text: "任务8 2026Q3 请报送", now: T0 + 86_400_000 }).kind).toBe("go");
    // 20/s app-wide.
    const { sent } = drive(new DeliveryPacer(CHANNEL_LIMITS.dingtalk), Array.from({ length: 100 }, (_, i) => `u${i}`), 100, { text: (i) => `t${i}` });
    expect(busiest(sent.map((s) => s.at), 1000)).toBe(20);
  });

  it("飞书: 5 a second to one user, 50 a second for the app", () => {
    const one = drive(new DeliveryPacer(CHANNEL_LIMITS.feishu), ["ou_1"], 12).sent.map((s) => s.at);
    expect(busiest(one, 1000)).toBe(5);
    const all = drive(new DeliveryPacer(CHANNEL_LIMITS.feishu), Array.from({ length: 200 }, (_, i) => `ou_${i}`), 200).sent.map((s) => s.at);
    expect(busiest(all, 1000)).toBe(50);
  });

  it("after a quiet spell the app's pace starts again from now, without a burst", () => {
    const limits: ChannelLimits = { app: [{ count: 10, ms: 1000 }], recipient: [], beyond: "answered" };
    const pacer = new DeliveryPacer(limits);
    expect(pacer.reserve({ recipient: "a", now: T0 })).toEqual({ kind: "go", at: T0 });
    expect(pacer.reserve({ recipient: "b", now: T0 + 60_000 })).toEqual({ kind: "go", at: T0 + 60_000 });
    expect(pacer.reserve({ recipient: "c", now: T0 + 60_000 })).toEqual({ kind: "go", at: T0 + 60_100 });
  });

  it("channelPacers keeps one pacer per channel with its limits (overrides win)", () => {
    const pacerOf = channelPacers({ telegram: withAppRate(CHANNEL_LIMITS.telegram, 15) });
    expect(pacerOf("telegram")).toBe(pacerOf("telegram"));
    expect(appRatePerSecond(pacerOf("telegram").limits)).toBe(15);
    expect(pacerOf("wecom").limits).toBe(CHANNEL_LIMITS.wecom);
  });
});
