import { describe, expect, it } from "vitest";
import { trendAxis } from "./trend-axis.ts";

describe("trendAxis", () => {
  it("shows the target line beside a single reported value", () => {
    const axis = trendAxis([96.5], 95, true);
    expect(axis.min).toBeLessThan(95);
    expect(axis.max).toBeGreaterThan(96.5);
    expect(axis.max).toBeLessThanOrEqual(100);
  });

  it("ends a percentage axis at 100 unless a value is above it", () => {
    expect(trendAxis([80, 90, 97], 95, true).max).toBe(100);
    expect(trendAxis([120, 160], 95, true).max).toBeGreaterThanOrEqual(160);
  });

  it("spans counts and their target with room on both sides", () => {
    const axis = trendAxis([3, 8, 12], 15, false);
    expect(axis.min).toBeLessThanOrEqual(3);
    expect(axis.max).toBeGreaterThan(15);
    expect(axis.min).toBeGreaterThanOrEqual(0);
  });

  it("gives an axis of some height when every point equals the target", () => {
    const axis = trendAxis([330], 330, false);
    expect(axis.min).toBeLessThan(330);
    expect(axis.max).toBeGreaterThan(330);
  });
});
