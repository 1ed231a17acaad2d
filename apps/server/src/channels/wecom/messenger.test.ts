import { describe, expect, it } from "vitest";
import type { OutgoingMessage } from "@duban/core/channels/messenger";
import { WecomApiError, WecomTransportError } from "./api.ts";
import { classifyWecom, reminderCard } from "./messenger.ts";
import { flatXml, parseFlatXml } from "./xml.ts";

describe("企业微信 answers for the delivery loop", () => {
  it("45009 and -1 are retried later, 42001 after a refresh still failing is retried, 81013/60111 unreachable, the rest failed", () => {
    expect(classifyWecom({ errcode: 45009, errmsg: "api freq out of limit" })).toEqual({ ok: false, outcome: "retry", retryAfterMs: 60_000, error: "45009: api freq out of limit" });
    expect(classifyWecom({ errcode: -1, errmsg: "system busy" })).toMatchObject({ outcome: "retry" });
    expect(classifyWecom({ errcode: 42001, errmsg: "access_token expired" })).toMatchObject({ outcome: "retry" });
    expect(classifyWecom({ errcode: 81013, errmsg: "user & party & tag all invalid" })).toMatchObject({ outcome: "unreachable" });
    expect(classifyWecom({ errcode: 60111, errmsg: "userid not found" })).toMatchObject({ outcome: "unreachable" });
    expect(classifyWecom({ errcode: 40058, errmsg: "invalid parameter" })).toMatchObject({ outcome: "failed" });
  });

  it("a lost answer may have been delivered; a refused connection was not; a bad secret waits", () => {
    expect(classifyWecom(new WecomTransportError("timeout", true))).toMatchObject({ outcome: "retry", maybeDelivered: true });
    expect(classifyWecom(new WecomTransportError("ECONNREFUSED", false))).not.toHaveProperty("maybeDelivered");
    expect(classifyWecom(new WecomApiError(40001, "gettoken: 40001 invalid credential"))).toMatchObject({ outcome: "retry" });
  });
});

describe("the reminder card", () => {
  const message: OutgoingMessage = {
    reminderId: 42,
    key: "k",
    kind: "escalation-head",
    channel: "wecom",
    chatId: "zhangsan",
    language: "zh",
    text: `【督办】${"很长的标题".repeat(10)}\n${"任务说明".repeat(50)}`,
    roundId: 1,
    taskId: 2,
    unitId: 3,
    contactId: 4,
  };

  it("keeps within the documented lengths; a head's escalation has no 稍后提醒", () => {
    const card = reminderCard(message, "duban-42-x");
    expect(card.main_title.title.length).toBeLessThanOrEqual(26);
    expect(card.main_title.desc.length).toBeLessThanOrEqual(30);
    expect(card.sub_title_text.length).toBeLessThanOrEqual(112);
    expect(card.button_list.map((b) => b.text)).toEqual(["已完成", "推进中", "有困难", "申请延期"]);
    expect(card.button_list.map((b) => b.key)).toEqual(["st-42-d", "st-42-p", "st-42-b", "ex-42"]);
  });
});

describe("callback XML", () => {
  it("reads CDATA and plain fields, and what it writes", () => {
    const xml = "<xml><ToUserName><![CDATA[ww1]]></ToUserName><CreateTime>1348831860</CreateTime><Content><![CDATA[a <b> & ]]></Content><Note>x &amp; y</Note></xml>";
    expect(parseFlatXml(xml)).toEqual({ ToUserName: "ww1", CreateTime: "1348831860", Content: "a <b> & ", Note: "x & y" });
    expect(parseFlatXml(flatXml({ Content: "含 ]]> 的文本", AgentID: 1 }))).toEqual({ Content: "含 ]]> 的文本", AgentID: "1" });
  });

  it("refuses what is not a flat <xml> document", () => {
    for (const bad of ["", "{}", "<xml>", "<xml><A>1</B></xml>", "<xml><A>1</A> junk</xml>", "<root><A>1</A></root>"]) expect(parseFlatXml(bad)).toBeNull();
  });
});
