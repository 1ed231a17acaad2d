import { describe, expect, it } from "vitest";
import { inviteState, joinPath, parseInviteState } from "./channel-invite-link.ts";
import { newInviteToken } from "./invite-token.ts";

describe("the OAuth state of an invitation link", () => {
  it("carries the channel and the token, in characters 企业微信 accepts, and reads back", () => {
    const token = newInviteToken();
    const state = inviteState("wecom", token);
    expect(state).toMatch(/^[A-Za-z0-9]{1,128}$/);
    expect(state).not.toContain(token);
    expect(parseInviteState(state)).toEqual({ ok: true, channel: "wecom", token });
    expect(parseInviteState(inviteState("dingtalk", token))).toEqual({ ok: true, channel: "dingtalk", token });
    expect(parseInviteState(inviteState("feishu", "abcdefghijklmnop_-"))).toEqual({ ok: true, channel: "feishu", token: "abcdefghijklmnop_-" });
  });

  it("refuses what it did not make: another channel, odd or too short hex, a token of bad characters, nothing", () => {
    const token = newInviteToken();
    const hex = Buffer.from(token).toString("hex");
    expect(parseInviteState(`telegram${hex}`)).toEqual({ ok: false });
    expect(parseInviteState(`wecom${hex}0`)).toEqual({ ok: false });
    expect(parseInviteState(`wecom${hex.slice(0, 20)}`)).toEqual({ ok: false });
    expect(parseInviteState(`wecom${Buffer.from("a b c d e f g h i j").toString("hex")}`)).toEqual({ ok: false });
    expect(parseInviteState(token)).toEqual({ ok: false });
    expect(parseInviteState("")).toEqual({ ok: false });
    expect(parseInviteState(undefined)).toEqual({ ok: false });
  });

  it("comes back to one path per channel", () => {
    expect(joinPath("dingtalk")).toBe("/join/dingtalk");
  });
});
