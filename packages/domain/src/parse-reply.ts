import { z } from "zod";

/**
 * Understanding a liaison's free-text reply ("完成80%", "受检率96.5%", "已完成，报告已上报").
 * Pure. It extracts only what is clear; when something could mean two things it says so
 * (kind "unclear") and the caller asks the liaison instead of guessing.
 */

/** The statuses a liaison can report: 未开始, 推进中, 已完成, 有困难 (as stored in StatusUpdate.status). */
export const REPORT_STATUSES = ["not_started", "in_progress", "done", "blocked"] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];
export const reportStatusSchema = z.enum(REPORT_STATUSES);

export interface ReplyIndicator {
  id: number;
  name: string;
  measureUnit?: string | null;
}

/**
 * What the reply answers:
 * - "any": a message on its own (status, progress, values, note all possible);
 * - "progress": the bot asked for a percentage, so a bare number is the progress;
 * - "details": the status is already recorded; the text adds values and a note (status words are just words).
 */
export type ReplyExpectation = "any" | "progress" | "details";

export interface ReplyContext {
  indicators: readonly ReplyIndicator[];
  expect?: ReplyExpectation;
}

export interface IndicatorReading {
  indicatorId: number;
  name: string;
  value: number;
}

export interface ReplyReport {
  status: ReportStatus | null;
  /** 0–100 */
  progress: number | null;
  values: IndicatorReading[];
  note: string | null;
}

export type UnclearQuestion =
  /** Only words, no status: ask which status applies. */
  | "what-status"
  /** Two statuses that exclude each other ("已完成" and "推进中"). */
  | "conflicting-status"
  /** The label fits several indicators equally well (`candidates`). */
  | "which-indicator"
  /** A labelled value ("满意度95%") that matches no indicator of the task (`subject`). */
  | "unknown-indicator"
  /** A number alone ("60"): progress? a value? */
  | "bare-number"
  /** A percentage of progress outside 0–100. */
  | "progress-out-of-range";

export type ParsedReply =
  | ({ kind: "report" } & ReplyReport)
  | {
      kind: "unclear";
      question: UnclearQuestion;
      /** What was understood anyway, to keep while asking. */
      partial: ReplyReport;
      subject?: string;
      value?: number;
      candidates?: Array<{ id: number; name: string }>;
    }
  /** "收到", "好的": an acknowledgement (签收), nothing to record beyond that. */
  | { kind: "ack" }
  /** "申请延期（，理由…）": the unit asks the office for more time; the reason when given. */
  | { kind: "extension"; reason: string | null }
  | { kind: "empty" };

// --- normalisation -----------------------------------------------------------------------

/** Full-width digits, percent and dot to ASCII, one char for one char (so spans stay aligned). */
function normalise(text: string): string {
  return text.replace(/[\uFF10-\uFF19\uFF05\uFF0E]/g, (ch) => {
    const code = ch.charCodeAt(0);
    if (code === 0xff05) return "%";
    if (code === 0xff0e) return ".";
    return String.fromCharCode(code - 0xff10 + 0x30);
  });
}

const ACK = /^(收到|已收到|收到了|好的|好|明白|已明白|知悉|已知悉|知道了|ok|okay|received|got it|noted)[\s。.!！~～]*$/i;

/**
 * A message that opens with asking for more time. Only at the start: "已申请延期" or "延期已批复"
 * inside a sentence report what happened, they do not ask.
 */
const EXTENSION = /^(?:我们?|本单位)?(?:想|要|需要|拟)?(?:申请延期|延期申请|请求延期|申请延长(?:时限|期限)?|申请宽限|(?:please\s+)?(?:request|ask)(?:ing)?\s+(?:for\s+)?(?:an?\s+)?extension|extension(?:\s+request)?)(?=$|[\s,，。.;；:：!！、(（]|因|由于|理由|原因|because|due)/i;

/** "申请延期，因设备未到货" → "因设备未到货"; "申请延期" → null. */
export function extensionRequestOf(text: string): { reason: string | null } | null {
  const source = text.trim();
  const match = EXTENSION.exec(source);
  if (!match) return null;
  const reason = source.slice(match[0].length).replace(/^[\s,，。.;；:：!！、]+/, "").replace(/^(?:理由|原因)(?:是|为)?[:：\s]*/, "").trim();
  return { reason: /[\p{L}\p{N}]/u.test(reason) ? reason : null };
}

// --- measurements: label + number + unit ------------------------------------------------

const NUMBER = /(\d+(?:\.\d+)?)\s*(%|个百分点|万元|亿元|项|天|次|个|家|件|人|元|台|套|批|户|条|场|所|年|月|日|号)?/g;
const DATE_UNITS = new Set(["年", "月", "日", "号"]);
/** Characters a label is made of (CJK, Latin letters); punctuation ends it. */
const LABEL_CHAR = /[\u3400-\u9fffA-Za-z]/;
const LABEL_JOINERS = /[\s:：]/;
/** Words between a label and its number that are not part of the label. */
const LABEL_TAIL = /(已经达到|已达到|已达|达到|提升至|提高至|提高到|提升到|上升至|上升到|约为|约|为|是|达|至|到|了|的)+$/;
const PROGRESS_WORDS = /完成|进度|进展|推进|progress|done|complete/i;
const FILLER_LABEL = /^(目前|当前|现在|截至目前|截止目前|已经|已|约|大约|总体|整体|总|current|currently|now|about)*$/i;
/** Common substrings that say nothing about which indicator is meant. */
const GENERIC = new Set(["完成", "进度", "进展", "达到", "以上", "以下", "不少于", "不低于", "全市", "我市", "全年", "本年", "工作", "情况", "比例", "数量", "总数", "目标", "指标", "任务", "建设", "提高", "提升"]);

interface Span {
  start: number;
  end: number;
}

interface Measurement extends Span {
  label: string;
  value: number;
  unit: string | null;
}

function findMeasurements(text: string): Measurement[] {
  const found: Measurement[] = [];
  for (const m of text.matchAll(NUMBER)) {
    const numStart = m.index;
    const unit = m[2] ?? null;
    const after = text[numStart + m[0].length] ?? "";
    // "3月5日", "2026年": dates are words, not values.
    if (unit && DATE_UNITS.has(unit)) continue;
    if (!unit && /[年月日号]/.test(after)) continue;
    // Part of a word or an identifier ("12315热线", "A3").
    const before = text[numStart - 1] ?? "";
    if (/[A-Za-z0-9.]/.test(before)) continue;
    if (!unit && after && LABEL_CHAR.test(after) && !/[\s,，。;；、]/.test(after)) continue;

    let i = numStart;
    while (i > 0 && LABEL_JOINERS.test(text[i - 1] ?? "")) i--;
    let labelStart = i;
    while (labelStart > 0 && LABEL_CHAR.test(text[labelStart - 1] ?? "")) labelStart--;
    const rawLabel = text.slice(labelStart, i);
    const label = rawLabel.replace(LABEL_TAIL, "");
    found.push({ start: rawLabel ? labelStart : numStart, end: numStart + m[0].length, label, value: Number(m[1]), unit });
  }
  return found;
}

function longestCommonSubstring(a: string, b: string): string {
  let best = "";
  for (let i = 0; i < a.length; i++) {
    for (let j = i + best.length + 1; j <= a.length; j++) {
      const piece = a.slice(i, j);
      if (b.includes(piece)) best = piece;
      else break;
    }
  }
  return best;
}

type IndicatorMatch =
  | { kind: "one"; indicator: ReplyIndicator }
  | { kind: "many"; indicators: ReplyIndicator[] }
  | { kind: "none" };

/**
 * The indicator a label names: the one sharing the longest distinctive piece of its name
 * ("受检率" → "国家重点管理计量器具受检率"). The shared piece must end the label (what is
 * written right before the number names it: in "完成计量器具检定1200台" the number counts
 * 检定, not the 计量器具 of an indicator), and the number's unit must fit the indicator's.
 * Ties that a whole-label containment does not break are reported, never resolved by guessing.
 */
export function matchIndicator(label: string, indicators: readonly ReplyIndicator[], unit: string | null = null): IndicatorMatch {
  const clean = label.trim();
  if (clean.length < 2) return { kind: "none" };
  const scored = indicators
    .filter((indicator) => unit === null || !indicator.measureUnit || indicator.measureUnit === unit)
    .map((indicator) => {
      const common = longestCommonSubstring(clean, indicator.name);
      const endsLabel = common.length > 0 && clean.length - (clean.lastIndexOf(common) + common.length) <= 1;
      const distinctive = common.length >= 2 && !GENERIC.has(common) && endsLabel;
      return { indicator, score: distinctive ? common.length : 0, whole: indicator.name.includes(clean) || clean.includes(indicator.name) };
    })
    .filter((s) => s.score > 0);
  if (scored.length === 0) return { kind: "none" };
  const best = Math.max(...scored.map((s) => s.score));
  let top = scored.filter((s) => s.score === best);
  if (top.length > 1 && top.some((s) => s.whole)) top = top.filter((s) => s.whole);
  if (top.length === 1) return { kind: "one", indicator: top[0]!.indicator };
  return { kind: "many", indicators: top.map((s) => s.indicator) };
}

// --- statuses ---------------------------------------------------------------------------

interface StatusHit extends Span {
  status: ReportStatus;
}

const STATUS_PATTERNS: Array<{ status: ReportStatus; pattern: RegExp }> = [
  { status: "not_started", pattern: /(尚未|还未|还没有?|没有?|未)(开始|启动|开展)|not (yet )?started/gi },
  { status: "blocked", pattern: /有困难|存在困难|遇到困难|困难较大|有难度|受阻|需要协调|需协调|请求协调|难以推进|无法推进|blocked|stuck|need(s)? help/gi },
  { status: "in_progress", pattern: /推进中|正在推进|进行中|正在进行|正在办理|办理中|实施中|正在实施|正在开展|按计划推进|有序推进|稳步推进|in progress|ongoing|on track/gi },
  { status: "done", pattern: /(已经|已全部|已全面|全部|均已|已)?(完成|办结|完工)|\b(done|completed|finished)\b/gi },
];

const NEGATION_BEFORE = /(未|没|没有|尚未|还未|还没|不|无法)$/;
const PARTIAL_BEFORE = /(部分|基本|大部分|初步|逐步)$/;
const FUTURE_CLAUSE = /预计|计划|将于|将在|争取|力争|拟|确保|底前|月前|日前|之前|before|will|plan/i;

function findStatuses(text: string, measured: readonly Span[]): { hits: StatusHit[]; negatedDone: boolean } {
  const hits: StatusHit[] = [];
  let negatedDone = false;
  const inMeasurement = (start: number, end: number) => measured.some((m) => start < m.end && end > m.start);
  for (const { status, pattern } of STATUS_PATTERNS) {
    for (const m of text.matchAll(pattern)) {
      const start = m.index;
      const end = start + m[0].length;
      if (hits.some((h) => start < h.end && end > h.start)) continue;
      // "完成80%": the word labels a percentage, it is not the status 已完成.
      if (inMeasurement(start, end)) continue;
      if (status === "done") {
        const before = text.slice(Math.max(0, start - 3), start);
        if (NEGATION_BEFORE.test(before)) {
          negatedDone = true;
          continue;
        }
        const clauseStart = Math.max(text.lastIndexOf("，", start), text.lastIndexOf(",", start), text.lastIndexOf("。", start), text.lastIndexOf("；", start), 0);
        if (FUTURE_CLAUSE.test(text.slice(clauseStart, start))) continue;
        if (PARTIAL_BEFORE.test(before)) {
          hits.push({ status: "in_progress", start: start - (before.match(PARTIAL_BEFORE)?.[0].length ?? 0), end });
          continue;
        }
      }
      hits.push({ status, start, end });
    }
  }
  return { hits, negatedDone };
}

function combineStatuses(hits: readonly StatusHit[]): ReportStatus | "conflict" | null {
  const set = new Set(hits.map((h) => h.status));
  if (set.size === 0) return null;
  if (set.size === 1) return [...set][0]!;
  // "推进中，但有困难": in progress and blocked is simply blocked.
  if (set.size === 2 && set.has("blocked") && set.has("in_progress")) return "blocked";
  return "conflict";
}

// --- note -------------------------------------------------------------------------------

const EDGE_PUNCTUATION = /^[\s,，。.;；:：、!！?？~～\-—]+|[\s,，;；:：、\-—]+$/g;
const FILLER_NOTE = /^(目前|当前|现在|已经|已|我们|我单位|本单位|了|的|啦|哈|嗯|呢|吧|请查收|谢谢)*[。.!！]?$/;

function noteOf(text: string, spans: readonly Span[]): string | null {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  let rest = "";
  let cursor = 0;
  for (const span of sorted) {
    if (span.start < cursor) continue;
    rest += text.slice(cursor, span.start) + " ";
    cursor = span.end;
  }
  rest += text.slice(cursor);
  const cleaned = rest
    .replace(/\s*([,，。;；、])\s*[,，;；、\s]*/g, "$1")
    .replace(/\s+/g, " ")
    .replace(EDGE_PUNCTUATION, "")
    .trim();
  if (!/[\u3400-\u9fffA-Za-z]{2,}|[\u3400-\u9fff].*[\u3400-\u9fff]/.test(cleaned)) return null;
  if (FILLER_NOTE.test(cleaned)) return null;
  return cleaned;
}

// --- the parser -------------------------------------------------------------------------

export function parseReply(text: string, context: ReplyContext): ParsedReply {
  const expect = context.expect ?? "any";
  const source = normalise(text).trim();
  if (!/[\p{L}\p{N}]/u.test(source)) return { kind: "empty" };
  if (expect !== "progress" && ACK.test(source)) return { kind: "ack" };
  const extension = extensionRequestOf(source);
  if (extension) return { kind: "extension", ...extension };

  const partial: ReplyReport = { status: null, progress: null, values: [], note: null };
  const used: Span[] = [];
  let unclear: Extract<ParsedReply, { kind: "unclear" }> | null = null;
  const ask = (question: UnclearQuestion, extra: Partial<Extract<ParsedReply, { kind: "unclear" }>> = {}) => {
    unclear ??= { kind: "unclear", question, partial, ...extra };
  };

  const measurements = findMeasurements(source);
  const onlyNumber = /^\d+(?:\.\d+)?[\s。!！]*$/.test(source);
  for (const m of measurements) {
    const match = matchIndicator(m.label, context.indicators, m.unit);
    if (match.kind === "one") {
      if (!partial.values.some((v) => v.indicatorId === match.indicator.id)) {
        partial.values.push({ indicatorId: match.indicator.id, name: match.indicator.name, value: m.value });
      }
      used.push(m);
      continue;
    }
    if (match.kind === "many") {
      used.push(m);
      ask("which-indicator", { subject: m.label, value: m.value, candidates: match.indicators.map((i) => ({ id: i.id, name: i.name })) });
      continue;
    }
    const progressLabel = !m.label || PROGRESS_WORDS.test(m.label) || FILLER_LABEL.test(m.label);
    const isPercent = m.unit === "%";
    const bare = !m.label && !m.unit;
    if (progressLabel && (isPercent || (bare && expect === "progress") || (!!m.label && PROGRESS_WORDS.test(m.label) && !m.unit && onlyNumberAfterLabel(source, m)))) {
      used.push(m);
      if (m.value < 0 || m.value > 100) {
        ask("progress-out-of-range", { value: m.value });
        continue;
      }
      partial.progress ??= Math.round(m.value);
      continue;
    }
    if (bare && onlyNumber) {
      used.push(m);
      ask("bare-number", { value: m.value });
      continue;
    }
    // A value that looks like an indicator the task does not have is asked about — unless it is
    // one figure inside a sentence of its own ("计量标准装置新增3项，已通过考核"): that is a note.
    const inSentence = noteOf(source, [...used, m]) !== null;
    if (m.label && !progressLabel && !inSentence && (isPercent || (m.unit !== null && context.indicators.some((i) => i.measureUnit === m.unit)))) {
      used.push(m);
      ask("unknown-indicator", { subject: m.label, value: m.value });
    }
    // Anything else ("检查3次") stays part of the note.
  }

  let statusConflict = false;
  if (expect === "any") {
    const { hits } = findStatuses(source, used);
    const combined = combineStatuses(hits);
    if (combined === "conflict") statusConflict = true;
    else partial.status = combined;
    used.push(...hits);
  }

  partial.note = noteOf(source, used);
  if (unclear) return unclear;
  if (statusConflict) return { kind: "unclear", question: "conflicting-status", partial };

  if (expect === "any" && partial.status === null && partial.progress !== null) {
    partial.status = partial.progress >= 100 ? "done" : partial.progress === 0 ? "not_started" : "in_progress";
  }
  const nothing = partial.status === null && partial.progress === null && partial.values.length === 0;
  if (nothing && partial.note === null) return { kind: "empty" };
  if (expect === "any" && nothing) return { kind: "unclear", question: "what-status", partial };
  return { kind: "report", ...partial };
}

/** "进度60" with nothing after it: a percentage without the sign. */
function onlyNumberAfterLabel(source: string, m: Measurement): boolean {
  return source.slice(m.end).replace(/[\s。.!！]/g, "") === "";
}
