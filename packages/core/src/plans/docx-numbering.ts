import { DOMParser, type Element as XmlElement, type Node as XmlNode } from "@xmldom/xmldom";

/**
 * Word's automatic list numbering (word/numbering.xml). Many plans number their headings and tasks with
 * it, so "一、" or "（三）" is on the page but not in the paragraph's text; the parser needs it there.
 * Covers the formats plans use (Chinese counting, decimal, circled, letters, roman) and restarts of
 * deeper levels; numbering inherited from paragraph styles is not followed.
 */

const W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

interface Level {
  start: number;
  format: string;
  text: string;
}

function children(node: XmlNode, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) if (c.nodeType === 1 && (c as XmlElement).localName === name && (c as XmlElement).namespaceURI === W) out.push(c as XmlElement);
  return out;
}

function val(e: XmlElement | undefined): string | null {
  if (!e) return null;
  return e.getAttributeNS(W, "val") || e.getAttribute("w:val") || null;
}

const DIGITS = "零一二三四五六七八九";

function chineseCounting(n: number): string {
  if (n <= 0 || n >= 100) return String(n);
  if (n < 10) return DIGITS[n]!;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? "" : DIGITS[tens]}十${ones ? DIGITS[ones] : ""}`;
}

function letters(n: number, base: string): string {
  let out = "";
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) out = base[(k - 1) % 26] + out;
  return out;
}

function roman(n: number): string {
  const table: Array<[number, string]> = [[1000, "M"], [900, "CM"], [500, "D"], [400, "CD"], [100, "C"], [90, "XC"], [50, "L"], [40, "XL"], [10, "X"], [9, "IX"], [5, "V"], [4, "IV"], [1, "I"]];
  let out = "";
  let rest = n;
  for (const [value, symbol] of table) while (rest >= value) (out += symbol), (rest -= value);
  return out;
}

function formatNumber(n: number, format: string): string {
  switch (format) {
    case "chineseCounting":
    case "chineseCountingThousand":
    case "chineseLegalSimplified":
    case "japaneseCounting":
    case "taiwaneseCounting":
    case "ideographDigital":
      return chineseCounting(n);
    case "ideographTraditional":
      return "甲乙丙丁戊己庚辛壬癸"[n - 1] ?? String(n);
    case "decimalEnclosedCircle":
    case "decimalEnclosedCircleChinese":
      return n >= 1 && n <= 20 ? String.fromCodePoint(0x2460 + n - 1) : String(n);
    case "decimalFullWidth":
    case "decimalFullWidth2":
      return [...String(n)].map((d) => String.fromCodePoint(0xff10 + Number(d))).join("");
    case "lowerLetter":
      return letters(n, "abcdefghijklmnopqrstuvwxyz");
    case "upperLetter":
      return letters(n, "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
    case "lowerRoman":
      return roman(n).toLowerCase();
    case "upperRoman":
      return roman(n);
    case "decimalZero":
      return String(n).padStart(2, "0");
    default:
      return String(n);
  }
}

export interface ListNumbering {
  /** The number text of a paragraph (e.g. "（三）"), or "" when it has none; advances the list's counters. */
  next(numId: string, ilvl: number): string;
}

export function readNumbering(xml: string | null): ListNumbering {
  const abstracts = new Map<string, Map<number, Level>>();
  const nums = new Map<string, { abstractId: string; starts: Map<number, number> }>();
  if (xml) {
    const doc = new DOMParser({ onError: () => {} }).parseFromString(xml, "text/xml");
    const root = doc.documentElement;
    if (root) {
      for (const a of children(root, "abstractNum")) {
        const levels = new Map<number, Level>();
        for (const lvl of children(a, "lvl")) {
          levels.set(Number(lvl.getAttributeNS(W, "ilvl") || lvl.getAttribute("w:ilvl") || 0), {
            start: Number(val(children(lvl, "start")[0]) ?? 1),
            format: val(children(lvl, "numFmt")[0]) ?? "decimal",
            text: val(children(lvl, "lvlText")[0]) ?? "",
          });
        }
        abstracts.set(a.getAttributeNS(W, "abstractNumId") || a.getAttribute("w:abstractNumId") || "", levels);
      }
      for (const n of children(root, "num")) {
        const starts = new Map<number, number>();
        for (const o of children(n, "lvlOverride")) {
          const start = val(children(o, "startOverride")[0]);
          if (start !== null) starts.set(Number(o.getAttributeNS(W, "ilvl") || o.getAttribute("w:ilvl") || 0), Number(start));
        }
        nums.set(n.getAttributeNS(W, "numId") || n.getAttribute("w:numId") || "", { abstractId: val(children(n, "abstractNumId")[0]) ?? "", starts });
      }
    }
  }
  const counters = new Map<string, number[]>();
  return {
    next(numId, ilvl) {
      const num = nums.get(numId);
      const levels = num && abstracts.get(num.abstractId);
      const level = levels?.get(ilvl);
      if (!num || !levels || !level || level.format === "bullet" || level.format === "none") return "";
      const startOf = (l: number) => num.starts.get(l) ?? levels.get(l)?.start ?? 1;
      const counts = counters.get(numId) ?? [];
      counts[ilvl] = counts[ilvl] === undefined ? startOf(ilvl) : counts[ilvl]! + 1;
      counts.length = ilvl + 1; // deeper levels restart under a new item
      counters.set(numId, counts);
      return level.text.replace(/%(\d)/g, (_, d: string) => {
        const l = Number(d) - 1;
        return formatNumber(counts[l] ?? startOf(l), levels.get(l)?.format ?? "decimal");
      });
    },
  };
}
