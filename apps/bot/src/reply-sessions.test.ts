import { describe, expect, it } from "vitest";
import { ReplySessions, type ChatSessionData } from "./reply-sessions.ts";

/** A chat session as grammY hands it over: a value that is read and written back. */
function chat(initial?: ChatSessionData) {
  let data: ChatSessionData | null | undefined = initial;
  return {
    access: { read: () => data, write: (next: ChatSessionData | null) => void (data = next) },
    get data() {
      return data;
    },
  };
}

describe("ReplySessions", () => {
  const t0 = new Date("2026-10-12T02:00:00Z");
  const later = (ms: number) => new Date(t0.getTime() + ms);

  it("keeps one step per chat until it expires", () => {
    const c = chat();
    new ReplySessions(c.access, t0, 1000).set({ step: "details", statusUpdateId: 5, taskId: 8, roundId: 3, submitted: true });
    expect(c.data?.reply?.expiresAt).toBe(t0.getTime() + 1000);
    expect(new ReplySessions(c.access, later(999), 1000).get()?.step).toBe("details");
    expect(new ReplySessions(c.access, later(1000), 1000).get()).toBeNull();
    // An expired step is removed, so nothing stale stays stored.
    expect(c.data).toBeNull();
  });

  it("a new step replaces the old one, and clearing removes the stored value", () => {
    const c = chat();
    const sessions = new ReplySessions(c.access, t0);
    sessions.set({ step: "details", statusUpdateId: 5, taskId: 8, roundId: 3, submitted: true });
    sessions.set({ step: "extension-reason", roundId: 3, taskId: 8, statusUpdateId: null });
    expect(sessions.get()).toEqual({ step: "extension-reason", roundId: 3, taskId: 8, statusUpdateId: null });
    sessions.clear();
    expect(c.data).toBeNull();
    expect(sessions.get()).toBeNull();
  });

  it("a chat without a session reads as no step and clearing writes nothing", () => {
    let writes = 0;
    const sessions = new ReplySessions({ read: () => undefined, write: () => void writes++ }, t0);
    expect(sessions.get()).toBeNull();
    sessions.clear();
    expect(writes).toBe(0);
  });
});
