/**
 * Numbering markers that open an item of a Chinese government document. The hierarchy is
 * conventional (一、 > （一） > 1. > （1） > ①) but documents deviate, so the parser does not
 * assume a fixed rank: it only needs to know which kind of marker starts a line.
 */
import { chineseToInt } from "./plan-text.ts";

export type MarkerKind = "chapter" | "article" | "cn-dun" | "cn-paren" | "ar-dot" | "ar-paren" | "ar-close" | "circled" | "cn-shi" | "decimal" | "ar-space";

export interface Marker {
  kind: MarkerKind;
  /** The number as written, without the trailing 、/. separator: "5", "（三）", "(一)", "一", "一是". */
  number: string;
  /** Position of the number in sequence (1-based), used for duplicate and gap checks. */
  ordinal: number | null;
  /** The line's text after the marker. */
  rest: string;
}

const CN = "[一二三四五六七八九十百]+";
const AR = "[0-9０-９]{1,3}";

const PATTERNS: Array<{ kind: MarkerKind; re: RegExp }> = [
  { kind: "chapter", re: new RegExp(`^(第${CN}(?:章|部分))[\\s、：:.．]*`) },
  // 若干措施 written as articles: "第一条　降低市场准入门槛。…".
  { kind: "article", re: new RegExp(`^(第${CN}条)[\\s、：:.．]*`) },
  { kind: "cn-paren", re: new RegExp(`^([（(]\\s*${CN}\\s*[）)])[\\s、.．]*`) },
  { kind: "ar-paren", re: new RegExp(`^([（(]\\s*${AR}\\s*[）)])[\\s、.．]*`) },
  // "1）…" with only the closing bracket: its own kind, neither "(1)" nor "1.".
  { kind: "ar-close", re: new RegExp(`^(${AR})\\s*[）)]\\s*`) },
  { kind: "cn-dun", re: new RegExp(`^(${CN})\\s*[、.．]\\s*`) },
  // Outline numbers "1.1", "2.3.1" ("1.1 推进政务云扩容"); a quantity ("1.5万亩…", "2.5%") is not one.
  { kind: "decimal", re: new RegExp(`^(${AR}(?:[.．][0-9０-９]{1,2}){1,2})(?:\\s+|[、．.]\\s*|(?=[\\u4e00-\\u9fff])(?![%‰万亿千百十元个家项倍米吨亩人户天日年月次所件]))`) },
  // "1." must not be a decimal ("2.5%…"); "1、" is the same kind written with a 顿号.
  { kind: "ar-dot", re: new RegExp(`^(${AR})\\s*(?:[.．](?![0-9０-９])|、)\\s*`) },
  { kind: "circled", re: /^([①-⑳])\s*/ },
  // "1 夯实数字基础设施": a number and a space before a short heading (above "1.1" items). Never a
  // sentence, so a wrapped line "3 个工作日内办结。" stays text.
  { kind: "ar-space", re: new RegExp(`^(${AR})\\s+(?=[\\u4e00-\\u9fff][^。；;，,]{1,29}$)`) },
  { kind: "cn-shi", re: new RegExp(`^(${CN}是)[，,：:、]?\\s*`) },
];

function halfWidthDigits(s: string): string {
  return s.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

function ordinalOf(kind: MarkerKind, number: string): number | null {
  if (kind === "circled") return number.charCodeAt(0) - 0x2460 + 1;
  if (kind === "decimal") return Number(halfWidthDigits(number).split(/[.．]/).pop());
  const digits = halfWidthDigits(number).match(/[0-9]+/);
  if (digits) return Number(digits[0]);
  const cn = number.match(/[一二三四五六七八九十百]+/);
  return cn ? chineseToInt(cn[0]) : null;
}

/** Reads the numbering marker at the start of a (space-cleaned) line, or null. */
export function readMarker(text: string): Marker | null {
  for (const { kind, re } of PATTERNS) {
    const m = re.exec(text);
    if (!m || m[1] === undefined) continue;
    const rest = text.slice(m[0].length);
    if (rest.trim() === "") continue;
    const number = halfWidthDigits(m[1].replace(/\s+/g, ""));
    return { kind, number, ordinal: ordinalOf(kind, number), rest };
  }
  return null;
}

const INLINE_SHI_RE = new RegExp(`(?<=[。；;，,：:])\\s*(${CN}是)`, "g");

/**
 * Inline "一是…二是…" enumerations. They count only after a sentence or clause break (so
 * "统一是" never matches) and only in unbroken sequence starting from `next`.
 */
export function findInlineShi(text: string, next: number): Array<{ offset: number; number: string; ordinal: number }> {
  const found: Array<{ offset: number; number: string; ordinal: number }> = [];
  if (!text.includes("是")) return found;
  let expected = next;
  for (const m of text.matchAll(INLINE_SHI_RE)) {
    const number = m[1] ?? "";
    const ordinal = chineseToInt(number.slice(0, -1));
    if (ordinal !== expected) continue;
    found.push({ offset: (m.index ?? 0) + m[0].length - number.length, number, ordinal });
    expected++;
  }
  return found;
}
