import { describe, expect, it } from "vitest";
import { keptProgress } from "./kept-progress.ts";

describe("keptProgress", () => {
  it("a percentage given now wins, 已完成 is 100%", () => {
    expect(keptProgress("in_progress", 70, { status: "in_progress", progress: 60 })).toBe(70);
    expect(keptProgress("done", null, { status: "in_progress", progress: 60 })).toBe(100);
  });
  it("推进中 or 有困难 without a percentage keeps the last known one", () => {
    expect(keptProgress("in_progress", null, { status: "in_progress", progress: 60 })).toBe(60);
    expect(keptProgress("blocked", null, { status: "in_progress", progress: 40 })).toBe(40);
  });
  it("nothing to keep: no earlier report, none with a percentage, a finished one, or 未开始", () => {
    expect(keptProgress("in_progress", null, null)).toBeNull();
    expect(keptProgress("in_progress", null, { status: "blocked", progress: null })).toBeNull();
    expect(keptProgress("in_progress", null, { status: "done", progress: 100 })).toBeNull();
    expect(keptProgress("not_started", null, { status: "in_progress", progress: 60 })).toBeNull();
  });
});
