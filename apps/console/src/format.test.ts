import { describe, expect, it } from "vitest";
import { fmtDate, fmtDateTime, statusText } from "./format.ts";

describe("format", () => {
  it("shows instants on the Shanghai wall clock whatever the browser's zone", () => {
    expect(fmtDateTime("2026-10-13T09:30:00.000Z")).toBe("2026-10-13 17:30");
    expect(fmtDate("2026-12-31T16:30:00.000Z")).toBe("2027-01-01");
    expect(fmtDateTime(null)).toBe("—");
  });

  it("names statuses in both languages and passes unknown ones through", () => {
    expect(statusText("blocked", "zh")).toBe("有困难");
    expect(statusText("done", "en")).toBe("Done");
    expect(statusText(null, "zh")).toBe("未报");
    expect(statusText("自定义", "zh")).toBe("自定义");
  });
});
