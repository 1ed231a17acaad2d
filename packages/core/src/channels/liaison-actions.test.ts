import { describe, expect, it } from "vitest";
import { inviteTokenInText } from "../invites/redeem-channel-invite.ts";
import { cardActionKey, parseCardActionKey, type CardAction } from "./liaison-actions.ts";

describe("card action keys", () => {
  it("round-trip every action", () => {
    const actions: CardAction[] = [
      { type: "status", reminderId: 12, status: "done" },
      { type: "status", reminderId: 12, status: "in_progress" },
      { type: "status", reminderId: 7, status: "blocked" },
      { type: "status", reminderId: 7, status: "not_started" },
      { type: "snooze", reminderId: 2147483647 },
      { type: "extension", reminderId: 1 },
      { type: "open", reminderId: 42 },
      { type: "tasks" },
    ];
    for (const action of actions) {
      const key = cardActionKey(action);
      expect(key).toMatch(/^[A-Za-z0-9_-]{1,24}$/);
      expect(parseCardActionKey(key)).toEqual(action);
    }
  });

  it("refuse anything else", () => {
    for (const key of ["", "st-12", "st-12-x", "sz-12-d", "op-12-d", "op-", "tk-1", "ex-0", "st-99999999999-d", "st-2147483648-d", "zz-1", " st-1-d", "st-1-d "]) {
      expect(parseCardActionKey(key)).toBeNull();
    }
  });
});

describe("绑定 <code>", () => {
  const token = "AbCdEfGhIjKlMnOpQrStUvWxYz012345";
  it("finds the invitation code in what the member sends", () => {
    expect(inviteTokenInText(`绑定 ${token}`)).toBe(token);
    expect(inviteTokenInText(`绑定：${token}`)).toBe(token);
    expect(inviteTokenInText(`bind ${token}`)).toBe(token);
    expect(inviteTokenInText(token)).toBeNull();
    expect(inviteTokenInText("绑定 short")).toBeNull();
    expect(inviteTokenInText(`绑定 ${token} 谢谢`)).toBeNull();
  });
});
