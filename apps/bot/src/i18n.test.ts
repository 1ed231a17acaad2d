import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { i18n } from "./i18n.ts";

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), "locales");
const keys = (lang: string) =>
  readFileSync(path.join(dir, `${lang}.ftl`), "utf8")
    .split("\n")
    .map((line) => /^([a-z][a-z0-9_-]*) =/.exec(line)?.[1])
    .filter((k): k is string => k !== undefined)
    .sort();

describe("locales", () => {
  it("Chinese and English define the same messages", () => {
    expect(keys("en")).toEqual(keys("zh"));
    expect(keys("zh").length).toBeGreaterThan(80);
  });

  it("variables are inserted without invisible isolation marks", () => {
    const text = i18n.t("zh", "snoozed", { when: "10月13日 09:00" });
    expect(text).toBe("好的，将于 10月13日 09:00 再次提醒您。");
    expect(text).not.toMatch(/[\u2066-\u2069]/);
  });
});
