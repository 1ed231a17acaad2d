import { describe, expect, it } from "vitest";
import { ReplySessions } from "./reply-sessions.ts";

describe("ReplySessions", () => {
  it("keeps one step per contact until it expires", () => {
    const sessions = new ReplySessions(1000);
    const t0 = new Date("2026-10-12T02:00:00Z");
    sessions.set(1, { step: "details", statusUpdateId: 5, taskId: 8, roundId: 3, submitted: true }, t0);
    expect(sessions.get(1, new Date(t0.getTime() + 999))?.step).toBe("details");
    expect(sessions.get(2, t0)).toBeNull();
    expect(sessions.get(1, new Date(t0.getTime() + 1000))).toBeNull();
    sessions.set(1, { step: "extension-reason", roundId: 3, taskId: 8, statusUpdateId: null }, t0);
    sessions.clear(1);
    expect(sessions.get(1, t0)).toBeNull();
  });
});
