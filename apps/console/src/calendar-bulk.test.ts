import { describe, expect, it } from "vitest";
import { parseBulk } from "./calendar-bulk.ts";

describe("parseBulk (the State Council notice, typed in)", () => {
  it("reads holidays and make-up workdays in Chinese or English words", () => {
    const { days, errors } = parseBulk("2027-02-06 放假 春节\n2027-02-14 调休 春节\n\n2027-10-01 holiday National Day\n2027-09-26 workday");
    expect(errors).toEqual([]);
    expect(days).toEqual([
      { date: "2027-02-06", kind: "holiday", name: "春节" },
      { date: "2027-02-14", kind: "workday", name: "春节" },
      { date: "2027-10-01", kind: "holiday", name: "National Day" },
      { date: "2027-09-26", kind: "workday", name: null },
    ]);
  });

  it("reports lines it cannot read instead of guessing", () => {
    const { days, errors } = parseBulk("2027/02/06 放假\n2027-02-07 开会");
    expect(days).toEqual([]);
    expect(errors).toEqual(["1: 2027/02/06 放假", "2: 2027-02-07 开会"]);
  });
});
