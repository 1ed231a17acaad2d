import { describe, expect, it } from "vitest";
import { parseCardActionKey } from "@duban/core/channels/liaison-actions";
import { DingtalkTokenError, DingtalkTransportError } from "./api.ts";
import { classifyDingtalk, reminderCard } from "./messenger.ts";

describe("钉钉 answers, classified for the delivery loop", () => {
  it("throttling and 钉钉's trouble are retried; a bad request fails; a lost answer may have been delivered", () => {
    expect(classifyDingtalk({ status: 403, body: { code: "Forbidden.AccessDenied.QpsLimitForApi", message: "qps" } })).toMatchObject({ outcome: "retry", retryAfterMs: 2000 });
    expect(classifyDingtalk({ status: 403, body: { code: "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi" } })).toMatchObject({ outcome: "retry", retryAfterMs: 2000 });
    expect(classifyDingtalk({ status: 503, body: { code: "ServiceUnavailable" } })).toMatchObject({ outcome: "retry", maybeDelivered: true });
    expect(classifyDingtalk({ status: 403, body: { code: "Forbidden.AccessDenied.AccessTokenPermissionDenied" } })).toMatchObject({ outcome: "retry", retryAfterMs: 600_000 });
    expect(classifyDingtalk({ status: 400, body: { code: "InvalidParameter.cardData", message: "x" } })).toMatchObject({ outcome: "failed", error: expect.stringContaining("InvalidParameter.cardData") });
    expect(classifyDingtalk(new DingtalkTransportError("/v1.0/x: TimeoutError", true))).toMatchObject({ outcome: "retry", maybeDelivered: true });
    expect(classifyDingtalk(new DingtalkTransportError("/v1.0/x: ECONNREFUSED", false))).not.toHaveProperty("maybeDelivered");
    expect(classifyDingtalk(new DingtalkTokenError(400, "invalidClientIdOrSecret"))).toMatchObject({ outcome: "retry" });
  });

  it("a reminder card's buttons carry the action keys; a head's escalation cannot be snoozed; a spent card has none", () => {
    const card = reminderCard({ reminderId: 42, kind: "reminder", text: "【督办提醒】任务8" });
    const buttons = card.contents.flatMap((c) => ((c as { actions?: Array<{ id: string; actionType: string }> }).actions ?? []));
    expect(buttons.map((b) => parseCardActionKey(b.id))).toEqual([
      { type: "status", reminderId: 42, status: "done" },
      { type: "status", reminderId: 42, status: "in_progress" },
      { type: "status", reminderId: 42, status: "blocked" },
      { type: "extension", reminderId: 42 },
      { type: "snooze", reminderId: 42 },
    ]);
    expect(buttons.every((b) => b.actionType === "request")).toBe(true);
    const head = reminderCard({ reminderId: 42, kind: "escalation-head", text: "x" });
    expect(JSON.stringify(head)).not.toContain("sz-42");
    expect(JSON.stringify(reminderCard({ reminderId: 42, kind: "reminder", text: "x" }, "已记录：已完成"))).not.toContain("st-42");
  });
});
