import { describe, expect, it } from "vitest";
import { fitNote, NOTE_MAX_LENGTH } from "./note-limit.ts";

describe("fitNote", () => {
  it("keeps a note up to the limit whole, trimmed; empty is null", () => {
    expect(fitNote("  情况说明  ")).toEqual({ note: "情况说明", cut: false });
    expect(fitNote("   ")).toEqual({ note: null, cut: false });
    expect(fitNote(null)).toEqual({ note: null, cut: false });
    const exact = "字".repeat(NOTE_MAX_LENGTH);
    expect(fitNote(exact)).toEqual({ note: exact, cut: false });
  });

  it("cuts a longer note to the limit and says so, never splitting an emoji", () => {
    const long = "长".repeat(NOTE_MAX_LENGTH + 50);
    expect(fitNote(long)).toEqual({ note: "长".repeat(NOTE_MAX_LENGTH), cut: true });
    const emoji = "😀".repeat(NOTE_MAX_LENGTH);
    const fitted = fitNote(emoji);
    expect(fitted.cut).toBe(true);
    expect(fitted.note!.length).toBeLessThanOrEqual(NOTE_MAX_LENGTH);
    expect(fitted.note).toBe("😀".repeat(NOTE_MAX_LENGTH / 2));
  });
});
