import { describe, expect, it } from "vitest";
import { EDGE_PUNCT_RE, foldWidth, splitOutsideBrackets, trimPunct } from "./plan-text.ts";

describe("plan text helpers (fast paths give the plain definitions' results)", () => {
  const samples = [
    "",
    "  ，市发改委、市财政局。 ",
    "、；;。.：:！!？?·\t\n\u3000\u00a0\u2003\ufeff\u2028",
    "。。",
    "责任单位：市教育局（牵头），市财政局；",
    "\u2000a\u200a",
    "\u200b零宽空格不是空白\u200b",
  ];
  it("trimPunct trims what its regex trims", () => {
    for (const s of samples) expect(trimPunct(s)).toBe(s.replace(EDGE_PUNCT_RE, ""));
  });

  it("foldWidth folds full-width ASCII one to one and leaves the rest", () => {
    expect(foldWidth("（牵头单位：Ｘ，１００％）")).toBe("(牵头单位:X,100%)");
    expect(foldWidth("市发改委、市财政局")).toBe("市发改委、市财政局");
    const long = "，".repeat(10_000);
    expect(foldWidth(long)).toBe(",".repeat(10_000));
  });

  it("splitOutsideBrackets splits the same with or without brackets to shield", () => {
    expect(splitOutsideBrackets("A，B；C", /[，；]/)).toEqual([
      { text: "A", start: 0 },
      { text: "B", start: 2 },
      { text: "C", start: 4 },
    ]);
    expect(splitOutsideBrackets("A（x，y），B《c，d》", /[，]/)).toEqual([
      { text: "A（x，y）", start: 0 },
      { text: "B《c，d》", start: 7 },
    ]);
    expect(splitOutsideBrackets("，A，", /[，]/).map((p) => p.text)).toEqual(["", "A", ""]);
  });
});
