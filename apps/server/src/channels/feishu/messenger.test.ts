import { describe, expect, it } from "vitest";
import type { OutgoingMessage } from "@duban/core/channels/messenger";
import { EnvError, parseEnv } from "../../env.ts";
import { FeishuHttpError, FeishuTransportError, sdkLogger } from "./api.ts";
import { LATE, withinDeadline } from "./events.ts";
import { classifyFeishu, reminderCard, spentCard } from "./messenger.ts";

describe("飞书 answers for the delivery loop", () => {
  it("99991400 (HTTP 429) waits x-ogw-ratelimit-reset; 230020 retries; 230013 is unreachable; a bad card failed", () => {
    expect(classifyFeishu(new FeishuHttpError(429, { code: 99991400, msg: "request trigger frequency limit" }, 5))).toEqual({ ok: false, outcome: "retry", retryAfterMs: 5000, error: "99991400: request trigger frequency limit" });
    expect(classifyFeishu(new FeishuHttpError(400, { code: 230020, msg: "frequency limit" }, null))).toMatchObject({ outcome: "retry", retryAfterMs: 1000 });
    expect(classifyFeishu(new FeishuHttpError(400, { code: 230013, msg: "Bot has NO availability to this user." }, null))).toMatchObject({ outcome: "unreachable" });
    expect(classifyFeishu(new FeishuHttpError(400, { code: 230099, msg: "Failed to create card content" }, null))).toMatchObject({ outcome: "failed" });
    expect(classifyFeishu(new FeishuHttpError(502, null, null))).toMatchObject({ outcome: "retry" });
    expect(classifyFeishu(new FeishuHttpError(404, null, null))).toMatchObject({ outcome: "failed" });
  });

  it("a wrong secret or a token still refused waits; a lost answer may have been delivered; a refused connection was not", () => {
    expect(classifyFeishu(new FeishuHttpError(400, { code: 10014, msg: "app secret invalid" }, null))).toMatchObject({ outcome: "retry" });
    expect(classifyFeishu({ code: 99991663, msg: "Invalid access token" })).toMatchObject({ outcome: "retry" });
    expect(classifyFeishu(new FeishuTransportError("timeout", true))).toMatchObject({ outcome: "retry", maybeDelivered: true });
    expect(classifyFeishu(new FeishuTransportError("ECONNREFUSED", false))).not.toHaveProperty("maybeDelivered");
  });

  it("the SDK's log lines keep only text and error messages, never the request objects that carry secrets", () => {
    const lines: string[] = [];
    const logger = sdkLogger({ warn: (m) => lines.push(m), error: (m) => lines.push(m) });
    logger.error([{ config: { data: '{"app_secret":"s3cret"}' } }, new Error("Request failed with status code 400")]);
    (logger.info as (...args: unknown[]) => void)("ignored");
    expect(lines).toEqual(["feishu sdk: Request failed with status code 400"]);
  });
});

describe("the reminder card", () => {
  const message: OutgoingMessage = {
    reminderId: 42,
    key: "k",
    kind: "escalation-head",
    channel: "feishu",
    chatId: "ou_x",
    language: "zh",
    text: `【督办】${"很长的标题".repeat(10)}\n${"任务说明".repeat(1000)}`,
    roundId: 1,
    taskId: 2,
    unitId: 3,
    contactId: 4,
  };

  it("is a 共享卡片 whose buttons carry the action keys; a head's escalation has no 稍后提醒; long text is cut", () => {
    const card = reminderCard(message);
    expect(card.config.update_multi).toBe(true);
    const actions = card.elements[1]!.actions!;
    expect(actions.map((a) => a.text.content)).toEqual(["已完成", "推进中", "有困难", "申请延期"]);
    expect(actions.map((a) => a.value.key)).toEqual(["st-42-d", "st-42-p", "st-42-b", "ex-42"]);
    expect(card.elements[0]!.text!.content.length).toBeLessThanOrEqual(3000);
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(30 * 1024);
  });

  it("once spent, keeps its text and shows what was recorded, without buttons", () => {
    const card = spentCard("reminder", "任务8", "已记录：推进中");
    expect(card.elements).toEqual([
      { tag: "div", text: { tag: "plain_text", content: "任务8" } },
      { tag: "note", elements: [{ tag: "plain_text", content: "已记录：推进中" }] },
    ]);
  });
});

describe("the 3-second answer", () => {
  it("is the work's result when it is quick, LATE when it is not (the work still finishes)", async () => {
    expect(await withinDeadline(Promise.resolve("done"), 1000)).toBe("done");
    let finished = false;
    const slow = new Promise<string>((resolve) => setTimeout(() => ((finished = true), resolve("late result")), 150));
    expect(await withinDeadline(slow, 20)).toBe(LATE);
    expect(await slow).toBe("late result");
    expect(finished).toBe(true);
  });
});

describe("飞书 env", () => {
  const FEISHU = { FEISHU_APP_ID: "cli_a1b2c3d4e5f60718", FEISHU_APP_SECRET: "secret" };

  it("is off without FEISHU_*, on with both; the API root and rate have defaults", () => {
    expect(parseEnv({}).FEISHU_APP_ID).toBeUndefined();
    expect(parseEnv(FEISHU)).toMatchObject({ ...FEISHU, FEISHU_API_ROOT: "https://open.feishu.cn", FEISHU_RATE: 40 });
  });

  it("refuses half a configuration, naming what is missing, and an App ID that is not one", () => {
    expect(() => parseEnv({ FEISHU_APP_ID: FEISHU.FEISHU_APP_ID })).toThrow(EnvError);
    expect(() => parseEnv({ FEISHU_APP_ID: FEISHU.FEISHU_APP_ID })).toThrow(/missing: FEISHU_APP_SECRET/);
    expect(() => parseEnv({ ...FEISHU, FEISHU_APP_ID: "wx123" })).toThrow(/FEISHU_APP_ID/);
    expect(() => parseEnv({ ...FEISHU, FEISHU_RATE: "80" })).toThrow(/FEISHU_RATE/);
  });
});
