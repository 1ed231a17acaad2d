/**
 * Low-level text helpers for the plan parser: line splitting, space cleaning, width folding
 * and bracket matching. Government plans arrive copied from web pages, Word and PDF, so the
 * same document may mix NBSP, ideographic spaces, full-width and half-width punctuation.
 */

/** One line of the source document with its 1-based line number in the original text. */
export interface SourceLine {
  line: number;
  text: string;
}

/** A piece of joined text that started on a given source line (for offset → line lookups). */
export interface TextPiece {
  line: number;
  text: string;
}

const SPACE_LIKE = /[\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff\t\v\f]/g;

/** Turns every kind of space (NBSP, full-width, zero-width) into a plain space and trims. */
export function cleanSpaces(s: string): string {
  return s.replace(SPACE_LIKE, " ").trim();
}

/**
 * Cleans text before parsing and storing: line endings normalised to "\n", NUL and the other
 * C0/C1 control characters dropped (except "\n" and "\t", which carry lines and table cells).
 * PostgreSQL refuses NUL in text columns, and none of them is ever part of a plan's content.
 */
export function cleanPlanText(text: string): string {
  return text.replace(/\r\n?/g, "\n").replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "");
}

export function splitLines(text: string): SourceLine[] {
  return text.split(/\r\n|\r|\n/).map((raw, i) => ({ line: i + 1, text: cleanSpaces(raw) }));
}

/**
 * Full-width ASCII (（，：％１ …) → half-width. One char maps to one char, so offsets found in the
 * folded copy are valid in the original: match on the fold, report slices of the original.
 */
export function foldWidth(s: string): string {
  // A loop over char codes: the parser folds every clause, and a replace callback per full-width
  // comma was one of its hot spots.
  let i = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xff01 && c <= 0xff5e) break;
  }
  if (i === s.length) return s;
  const codes = new Array<number>(s.length);
  for (let j = 0; j < s.length; j++) {
    const c = s.charCodeAt(j);
    codes[j] = c >= 0xff01 && c <= 0xff5e ? c - 0xfee0 : c;
  }
  let out = "";
  for (let j = 0; j < codes.length; j += 4096) out += String.fromCharCode(...codes.slice(j, j + 4096));
  return out;
}

/** Joins pieces with "\n" and returns a lookup from an offset in the joined text to its line. */
export function joinPieces(pieces: TextPiece[]): { text: string; lineAt: (offset: number) => number } {
  const starts: number[] = [];
  let text = "";
  for (const piece of pieces) {
    if (starts.length > 0) text += "\n";
    starts.push(text.length);
    text += piece.text;
  }
  const lineAt = (offset: number): number => {
    let index = 0;
    for (let i = 0; i < starts.length; i++) if ((starts[i] ?? 0) <= offset) index = i;
    return pieces[index]?.line ?? pieces[0]?.line ?? 1;
  };
  return { text, lineAt };
}

const OPENERS: Record<string, string> = { "（": "round", "(": "round", "【": "square", "[": "square", "［": "square", "〔": "square" };
const CLOSERS: Record<string, string> = { "）": "round", ")": "round", "】": "square", "]": "square", "］": "square", "〕": "square" };

const ANY_BRACKET_RE = /[（()【\[［〔）)】\]］〕]/;

/** A matched bracket pair: `start` is the opener's offset, `end` the offset just after the closer. */
export interface BracketSpan {
  start: number;
  end: number;
  depth: number;
}

/**
 * Matches brackets with a stack. Full- and half-width round brackets pair with each other
 * because real documents mix them ("（责任单位:X)"). Openers that never close are reported
 * separately so the caller can decide whether an unterminated one matters.
 */
export function matchBrackets(text: string): { spans: BracketSpan[]; unclosed: number[] } {
  if (!ANY_BRACKET_RE.test(text)) return { spans: [], unclosed: [] };
  const stack: { offset: number; family: string }[] = [];
  const spans: BracketSpan[] = [];
  const unclosed: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? "";
    const opener = OPENERS[ch];
    if (opener) {
      stack.push({ offset: i, family: opener });
      continue;
    }
    const closer = CLOSERS[ch];
    if (!closer) continue;
    // Close the nearest opener of the same family; openers above it were never closed.
    for (let j = stack.length - 1; j >= 0; j--) {
      const open = stack[j];
      if (open?.family !== closer) continue;
      for (const dangling of stack.splice(j)) if (dangling !== open) unclosed.push(dangling.offset);
      spans.push({ start: open.offset, end: i + 1, depth: j });
      break;
    }
  }
  for (const open of stack) unclosed.push(open.offset);
  spans.sort((a, b) => a.start - b.start);
  unclosed.sort((a, b) => a - b);
  return { spans, unclosed };
}

/** Spans not nested in another span. */
export function topLevelSpans(spans: BracketSpan[]): BracketSpan[] {
  const result: BracketSpan[] = [];
  for (const span of spans) {
    const last = result[result.length - 1];
    if (last && span.start < last.end) continue;
    result.push(span);
  }
  return result;
}

/** Book-title marks and curly quotes also shield their content from splitting (《…、…》). */
const SPLIT_OPENERS = new Set([...Object.keys(OPENERS), "《", "“"]);
const SPLIT_CLOSERS = new Set([...Object.keys(CLOSERS), "》", "”"]);

/** Splits on any of `separators` that are not inside brackets; pieces keep their start offsets. */
export function splitOutsideBrackets(text: string, separators: RegExp): { text: string; start: number }[] {
  // Most clauses hold no separator at all: skip the walk.
  if (!separators.test(text)) return [{ text, start: 0 }];
  const pieces: { text: string; start: number }[] = [];
  let start = 0;
  // Without brackets or quotes every separator splits: one regex pass finds them.
  if (!SPLIT_SHIELD_RE.test(text)) {
    for (const m of text.matchAll(globalOf(separators))) {
      pieces.push({ text: text.slice(start, m.index), start });
      start = m.index + m[0].length;
    }
    pieces.push({ text: text.slice(start), start });
    return pieces;
  }
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? "";
    if (SPLIT_OPENERS.has(ch)) depth++;
    else if (SPLIT_CLOSERS.has(ch)) depth = Math.max(0, depth - 1);
    else if (depth === 0 && separators.test(ch)) {
      pieces.push({ text: text.slice(start, i), start });
      start = i + 1;
    }
  }
  pieces.push({ text: text.slice(start), start });
  return pieces;
}

const SPLIT_SHIELD_RE = new RegExp(`[${[...SPLIT_OPENERS, ...SPLIT_CLOSERS].map((c) => `\\${c}`).join("")}]`);

/** The callers' one-character separator classes, made global once each (matchAll needs the flag); keyed by source, as a literal is a new object per call. */
const globalSeparators = new Map<string, RegExp>();
function globalOf(separators: RegExp): RegExp {
  let re = globalSeparators.get(separators.source);
  if (!re) {
    re = new RegExp(separators.source, `${separators.flags.replace("g", "")}g`);
    if (globalSeparators.size < 100) globalSeparators.set(separators.source, re);
  }
  return re;
}

/** Removes the given [start, end) ranges from text (ranges may overlap or come unsorted). */
export function cutRanges(text: string, ranges: Array<[number, number]>): string {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  let out = "";
  let at = 0;
  for (const [start, end] of sorted) {
    if (start > at) out += text.slice(at, start);
    at = Math.max(at, end);
  }
  return out + text.slice(at);
}

const EDGE_PUNCT = "、，,；;。.：:！!？?·\\s";

/** Trims spaces and list/sentence punctuation from both ends (the same as replacing this with ""). */
export const EDGE_PUNCT_RE = new RegExp(`^[${EDGE_PUNCT}]+|[${EDGE_PUNCT}]+$`, "g");

export function trimPunct(s: string): string {
  // A loop from both ends: the regex's end-anchored branch was tried at every offset of every clause.
  let start = 0;
  let end = s.length;
  while (start < end && isEdgePunct(s.charCodeAt(start))) start++;
  while (end > start && isEdgePunct(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/** The characters EDGE_PUNCT_RE trims: its punctuation and \s (WhiteSpace and LineTerminator). */
const EDGE_CODES = new Set([..."、，,；;。.：:！!？?·", "\t", "\n", "\v", "\f", "\r", " ", "\u00a0", "\u1680", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000", "\ufeff"].map((c) => c.charCodeAt(0)));
function isEdgePunct(code: number): boolean {
  return EDGE_CODES.has(code) || (code >= 0x2000 && code <= 0x200a);
}

const CN_DIGITS: Record<string, number> = { 零: 0, 〇: 0, "○": 0, Ｏ: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 一 → 1, 十二 → 12, 二十 → 20, 一百零三 → 103; null when it is not a Chinese numeral. */
export function chineseToInt(s: string): number | null {
  if (!/^[零〇○一二两三四五六七八九十百]+$/.test(s)) return null;
  let total = 0;
  let current = 0;
  for (const ch of s) {
    if (ch === "百") {
      total += (current || 1) * 100;
      current = 0;
    } else if (ch === "十") {
      total += (current || 1) * 10;
      current = 0;
    } else current = CN_DIGITS[ch] ?? 0;
  }
  return total + current;
}

/** Digit-by-digit Chinese year: 二〇一六 → 2016. */
export function chineseYear(s: string): number | null {
  let out = "";
  for (const ch of s) {
    const d = CN_DIGITS[ch];
    if (d === undefined) return null;
    out += String(d);
  }
  return out.length === 4 ? Number(out) : null;
}
