/**
 * Finds who is responsible for an item and by when, wherever the document writes it:
 * a bracketed annotation "（责任单位：X、Y）", "(牵头单位:X;配合单位:Y)", "（X牵头，Y、Z配合）",
 * "（A、B负责）", a label line "责任单位：X" / "完成时限：2017年6月底前", or a bare unit list in
 * brackets at the very end of the item. Returns the text with those annotations cut out.
 */
import { cutRanges, foldWidth, matchBrackets, splitOutsideBrackets, topLevelSpans, trimPunct } from "./plan-text.ts";
import { isPlaceholder, looksLikeUnit, normalizeUnitName, splitRoleSuffix, splitUnitClause, type WrittenRole, type WrittenUnit } from "./plan-units.ts";

// "主要责任单位 / 其他责任单位" is how many county plans write 牵头 / 配合.
const LEAD_LABELS = ["牵头单位", "牵头部门", "主责单位", "主责部门", "主办单位", "牵头责任单位", "牵头责任部门", "牵头落实单位", "主要责任单位", "主要责任部门", "第一责任单位", "牵头科室", "牵头股室", "牵头处室"];
const SUPPORT_LABELS = [
  "配合单位",
  "配合部门",
  "协办单位",
  "协助单位",
  "参与单位",
  "参与部门",
  "协同单位",
  "协同部门",
  "协作单位",
  "协作部门",
  "协同责任单位",
  "配合责任单位",
  "主要协作单位",
  "主要配合单位",
  "其他责任单位",
  "其他责任部门",
  "次要责任单位",
  "协同配合单位",
  "配合科室",
  "配合股室",
  "配合处室",
];
const GENERIC_LABELS = ["责任单位", "责任部门", "负责单位", "负责部门", "承办单位", "实施单位", "实施主体", "责任主体", "部门分工", "责任分工", "单位分工", "责任科室", "责任股室", "责任处室"];
/** Persons, not units: "牵头负责领导：金力", "分管省领导：X". */
const LEADER_LABELS = [
  "牵头负责领导",
  "牵头领导",
  "责任领导",
  "分管领导",
  "分管省领导",
  "分管市领导",
  "分管县领导",
  "分管区领导",
  "牵头省领导",
  "牵头市领导",
  "牵头县领导",
  "牵头区领导",
  "联系领导",
  "包保领导",
  "县级领导",
  "市级领导",
  "区级领导",
  "省级领导",
  "责任县领导",
  "责任市领导",
  "责任区领导",
  "联系县领导",
  "联系市领导",
  "包联领导",
  "领衔领导",
  "责任人",
];
const DEADLINE_LABELS = ["完成时限", "完成时间", "完成期限", "时间节点", "时限要求", "时间要求", "办结时限", "进度安排", "时间安排", "时限", "时间"];

type LabelKind = WrittenRole | "deadline" | "leader";

function labelKind(label: string): LabelKind {
  if (LEADER_LABELS.includes(label)) return "leader";
  if (LEAD_LABELS.includes(label)) return "lead";
  if (SUPPORT_LABELS.includes(label)) return "support";
  if (DEADLINE_LABELS.includes(label)) return "deadline";
  return "generic";
}

const ALL_LABELS = [...LEAD_LABELS, ...SUPPORT_LABELS, ...GENERIC_LABELS, ...DEADLINE_LABELS, ...LEADER_LABELS].sort((a, b) => b.length - a.length);
// A label counts only at the start of the text or after a break, and must be followed by a colon:
// "各责任单位要…" is prose, "责任单位：…" is an annotation. Matched on width-folded text (：→:).
// A closing bracket is a break too: "…（牵头单位：X；配合单位：Y）完成时限：2017年6月底前".
const LABEL_RE = new RegExp(`(?:^|(?<=[。；;，,\\s【\\[()】\\]—]))(${ALL_LABELS.join("|")})\\s*:`, "g");
const LABEL_AT_START_RE = new RegExp(`^\\s*(${ALL_LABELS.join("|")})\\s*:?`);

interface LabelHit {
  start: number;
  valueStart: number;
  kind: LabelKind;
}

function findLabels(folded: string): LabelHit[] {
  return [...folded.matchAll(LABEL_RE)].map((m) => ({
    start: m.index ?? 0,
    valueStart: (m.index ?? 0) + m[0].length,
    kind: labelKind(m[1] ?? ""),
  }));
}

/** "2017年6月底前", "长期坚持", "2018年底前完成": a time limit written without a label. */
function isUnlabelledDeadline(clause: string): boolean {
  const c = foldWidth(clause).trim();
  if (c.length > 30) return false;
  const startsLikeTime = /^(?:于|在)?(?:\d{4}\s*年|\d{1,2}\s*月|年底|年内|长期|持续|常态化|每年|每季度|每月|[上下]半年)/.test(c);
  return startsLikeTime && /(前|底|完成|年内|坚持|推进|长期|持续|常态化|开展)$/.test(c);
}

export interface AnnotationContent {
  units: WrittenUnit[];
  deadlines: string[];
  /** Persons named as the task's leader. */
  leaders: string[];
  /** Offset (in the content) of a unit label with nothing after it, e.g. "（责任单位：）". */
  emptyLabelAt: number | null;
}

/**
 * Reads clauses like "X牵头", "Y、Z配合", "A、B负责", "2017年底前完成". With `strict`, every clause
 * must be one of those and every unit must look like an organisation, otherwise this is not an
 * annotation at all (so "(扣除地质因素影响)" stays part of the text) and null is returned.
 */
function readRoleClauses(text: string, strict: boolean): AnnotationContent | null {
  const result: AnnotationContent = { units: [], deadlines: [], leaders: [], emptyLabelAt: null };
  for (const piece of splitOutsideBrackets(text, /[，,；;]/)) {
    const clause = trimPunct(piece.text);
    if (clause === "") continue;
    if (isUnlabelledDeadline(clause)) {
      result.deadlines.push(clause);
      continue;
    }
    const { role } = splitRoleSuffix(clause);
    if (role === null) {
      if (strict) return null;
      continue;
    }
    const units = readJointClause(clause, role) ?? splitUnitClause(clause, role);
    if (strict && !plausibleUnitList(units)) return null;
    result.units.push(...units);
  }
  if (strict && result.units.length === 0) return null;
  return result;
}

/**
 * "A会同B负责", "A会同有关部门负责": A leads, B supports. Null when the clause has no 会同.
 */
function readJointClause(clause: string, role: WrittenRole): WrittenUnit[] | null {
  const m = /^(.+?)(?:会同|联合)(.+)$/.exec(clause);
  if (!m?.[1] || !m[2] || role === "support") return null;
  const leads = splitUnitClause(m[1], "lead");
  const { name } = splitRoleSuffix(m[2]);
  return [...leads, ...splitUnitClause(name, "support")];
}

/**
 * A list closed by a role word ("A、B、C负责") is a unit list when every name looks like an
 * organisation or a placeholder, or, for short lists of short names, when most of them do (a
 * name with an unusual ending such as 共青团中央 does not turn the list into prose).
 */
function plausibleUnitList(units: WrittenUnit[]): boolean {
  const ok = units.filter((u) => looksLikeUnit(u.name) || isPlaceholder(u.name)).length;
  if (ok === units.length) return true;
  return ok * 2 > units.length && units.every((u) => u.name.length <= 12 && !/[\s，,。；;：:]/.test(u.name));
}

/** A value after a unit label (or a table cell): clauses split on ，；, each may carry its own role word. */
export function readLabelledUnits(value: string, role: WrittenRole): WrittenUnit[] {
  const units: WrittenUnit[] = [];
  for (const piece of splitOutsideBrackets(value, /[，,；;]/)) {
    const clause = spacedList(trimPunct(piece.text));
    if (clause === "" || isUnlabelledDeadline(clause)) continue;
    units.push(...(readJointClause(clause, role) ?? splitUnitClause(clause, role)));
  }
  return units;
}

/**
 * Units separated by spaces only ("人民银行X分行 市金融工作局 市财政局", or a table cell whose
 * units stood on lines of their own): spaces become 、 when every piece is a unit name or a
 * placeholder, so a name written with a space inside ("国网 供电公司") is left alone.
 */
export function spacedList(clause: string): string {
  if (!/\s/.test(clause)) return clause;
  const pieces = clause.split(/\s+/).filter((p) => p !== "");
  if (pieces.length < 2) return clause;
  const names = pieces.map((p) => normalizeUnitName(splitRoleSuffix(p).name));
  return names.every((n) => looksLikeUnit(n) || isPlaceholder(n)) ? pieces.join("、") : clause;
}

/** Deadlines written inside a unit label's value ("责任单位：X，2017年底前完成"). */
function deadlinesInValue(value: string): string[] {
  return splitOutsideBrackets(value, /[，,；;]/)
    .map((p) => trimPunct(p.text))
    .filter((c) => c !== "" && isUnlabelledDeadline(c));
}

function readLabelledContent(content: string, labels: LabelHit[]): AnnotationContent {
  const first = labels[0];
  const result: AnnotationContent = { units: [], deadlines: [], leaders: [], emptyLabelAt: null };
  if (first && first.start > 0) {
    const before = readRoleClauses(content.slice(0, first.start), false);
    if (before) {
      result.units.push(...before.units);
      result.deadlines.push(...before.deadlines);
    }
  }
  labels.forEach((label, i) => {
    const end = labels[i + 1]?.start ?? content.length;
    // A full stop ends the value: "〔责任单位：A、B按职责分工负责。具体任务涉及…，下同。〕" goes on with a remark, not units.
    const value = trimPunct(splitOutsideBrackets(content.slice(label.valueStart, end), /[。]/)[0]?.text ?? "");
    if (label.kind === "deadline") {
      if (value !== "") result.deadlines.push(value);
      return;
    }
    if (label.kind === "leader") {
      if (value !== "") result.leaders.push(value);
      return;
    }
    const units = readLabelledUnits(value, label.kind);
    if (units.length === 0 && result.emptyLabelAt === null) result.emptyLabelAt = label.start;
    result.units.push(...units);
    result.deadlines.push(...deadlinesInValue(value));
  });
  return result;
}

/** Reads the inside of a bracket pair; null when it is ordinary text, not an annotation. */
export function readAnnotation(content: string, atEnd: boolean): AnnotationContent | null {
  const labels = findLabels(foldWidth(content));
  if (labels.length > 0) return readLabelledContent(content, labels);
  const roles = readRoleClauses(content, true);
  if (roles) return roles;
  if (!atEnd) return null;
  // Closing the item, "（2018年底前完成）" is its time limit.
  if (isUnlabelledDeadline(trimPunct(content))) return { units: [], deadlines: [trimPunct(content)], leaders: [], emptyLabelAt: null };
  return readBareUnitList(content);
}

/** "（市发改委、市财政局）" closing an item: a list of nothing but organisation names. */
function readBareUnitList(content: string): AnnotationContent | null {
  if (/^(含|包括|不含|除|如|即|见|详见|以下简称|简称)/.test(content.trim())) return null;
  // "县（市、区、旗）": one-character qualifiers of the word before, not a list of units.
  if (splitOutsideBrackets(content, /[、，,]/).some((p) => p.text.trim().length <= 1)) return null;
  const units = splitUnitClause(content, "generic");
  if (units.length === 0 || !units.every((u) => looksLikeUnit(u.name) || isPlaceholder(u.name))) return null;
  return { units, deadlines: [], leaders: [], emptyLabelAt: null };
}

/**
 * A document rule on roles: "列第一位者为牵头单位，下同", "排在第一位的部门为牵头部门". It says the
 * first listed unit leads; it is not itself an annotation's content.
 */
export const LEAD_RULE_RE =
  /(?:除[^，,。（）()]{1,16}外[，,]\s*)?(?:(?:列|排|排名|名列|排列)?在?(?:第一位|第一个|第一家|首位|最前|第一)(?:的|者)?(?:单位|部门)?(?:者)?(?:为|是)(?:牵头|主责)(?:或汇总|或总牵头)?(?:单位|部门)?|(?:列|排|排名|名列|排列)在?(?:第一位|首位|最前)的(?:单位|部门)(?:牵头|负总责))(?:[，,]\s*下同)?/;
const LEAD_RULE_GLOBAL_RE = new RegExp(LEAD_RULE_RE.source, "g");
/**
 * Another document rule: "无牵头单位的，责任单位即为牵头单位" — where no lead is named, every listed
 * responsible unit leads (not only the first).
 */
export const ALL_LEAD_RULE_RE = /无牵头(?:单位|部门)的[，,]?\s*(?:其)?责任(?:单位|部门)(?:即|均|即均)?为牵头(?:单位|部门)/;
/** Every wording of the rule names 牵头 or 主责: a cheap test before the rule's own regex. */
export const MAY_STATE_LEAD_RULE_RE = /牵头|主责/;

export interface AssignmentScan {
  units: WrittenUnit[];
  deadlines: string[];
  leaders: string[];
  /** The text with every annotation removed (title and body are taken from this). */
  remainder: string;
  /** Offset of a bracket opening a unit label that never closes: "（责任单位：X、Y" … */
  unterminatedAt: number | null;
  /** Offset of a unit label with no unit after it. */
  emptyLabelAt: number | null;
}

/** Scans an item's text (several lines joined with "\n") for assignments and deadlines. */
export function scanAssignments(written: string): Readonly<AssignmentScan> {
  const known = scanCache.get(written);
  if (known) return known;
  const scan = scanText(written);
  // Locating tasks and building them scan the same item texts several times; results are
  // shared, so callers never mutate them.
  if (scanCache.size >= 20_000) scanCache.clear();
  scanCache.set(written, scan);
  return scan;
}

const scanCache = new Map<string, AssignmentScan>();

/** Forgets earlier scans: each parse starts cold, so timings and memory do not depend on history. */
export function resetScanCache(): void {
  scanCache.clear();
}

function scanText(written: string): AssignmentScan {
  // Blanked, not cut: offsets stay valid and "（A、B负责。列第一位者为牵头单位，下同）" reads as "（A、B负责。）".
  // A bracket that held nothing but the rule ("X、Y（列第一位为牵头单位，下同）") goes too.
  const text = MAY_STATE_LEAD_RULE_RE.test(written)
    ? written.replace(LEAD_RULE_GLOBAL_RE, (m) => " ".repeat(m.length)).replace(/[（(]\s*[）)]/g, (m) => " ".repeat(m.length))
    : written;
  const folded = foldWidth(text);
  const { spans, unclosed } = matchBrackets(text);
  const scan: AssignmentScan = { units: [], deadlines: [], leaders: [], remainder: text, unterminatedAt: null, emptyLabelAt: null };
  const cuts: Array<[number, number]> = [];
  const annotationSpans: Array<[number, number]> = [];

  const top = topLevelSpans(spans);
  for (const [i, span] of top.entries()) {
    // "At the end" allows other bracketed notes after it: "…（2018年底前完成）（市发改委）".
    const later = top.slice(i + 1).map((s): [number, number] => [s.start - span.end, s.end - span.end]);
    const atEnd = /^[\s。；;.，,]*$/.test(cutRanges(text.slice(span.end), later));
    const found = readAnnotation(text.slice(span.start + 1, span.end - 1), atEnd);
    if (!found) continue;
    scan.units.push(...markFirst(found.units));
    scan.deadlines.push(...found.deadlines);
    scan.leaders.push(...found.leaders);
    if (found.emptyLabelAt !== null && scan.emptyLabelAt === null) scan.emptyLabelAt = span.start + 1 + found.emptyLabelAt;
    annotationSpans.push([span.start, span.end]);
    cuts.push([span.start, span.end]);
  }

  readLabelLines(text, folded, annotationSpans, scan, cuts);
  if (scan.units.length === 0 && scan.leaders.length === 0) readRoleSentences(text, scan, cuts);

  for (const offset of unclosed) {
    if (LABEL_AT_START_RE.test(folded.slice(offset + 1).split("\n")[0] ?? "")) {
      scan.unterminatedAt = offset;
      break;
    }
  }
  scan.remainder = tidyRemainder(cutRanges(text, cuts));
  return scan;
}

/** Marks the first plain (generic) unit of one list: several lists in one task each have a lead. */
function markFirst(units: WrittenUnit[]): WrittenUnit[] {
  const first = units.find((u) => u.role === "generic");
  return units.map((u) => (u === first ? { ...u, first: true } : u));
}

/** Where a label's value ends: at 。 or the line end, unless the line breaks after a list separator. */
function valueEnd(folded: string, from: number): number | null {
  let at = from;
  for (;;) {
    const offset = folded.slice(at).search(/[。\n]/);
    if (offset < 0) return null;
    const end = at + offset;
    if (folded[end] === "\n" && /[、,;]\s*$/.test(folded.slice(from, end))) {
      at = end + 1;
      continue;
    }
    return end;
  }
}

/** Labels outside brackets: "责任单位：X、Y" lines, "牵头单位:X,配合单位:Y", "…。完成时限：2017年底。" */
function readLabelLines(text: string, folded: string, annotationSpans: Array<[number, number]>, scan: AssignmentScan, cuts: Array<[number, number]>): void {
  const inSpan = (offset: number) => annotationSpans.some(([s, e]) => offset >= s && offset < e);
  const hits = findLabels(folded).filter((h) => !inSpan(h.start));
  hits.forEach((hit, i) => {
    const stops = [hits[i + 1]?.start ?? text.length, ...annotationSpans.map(([s]) => s).filter((s) => s >= hit.valueStart)];
    const sentenceEnd = valueEnd(folded, hit.valueStart);
    if (sentenceEnd !== null) stops.push(sentenceEnd);
    const end = Math.min(...stops);
    const value = trimPunct(text.slice(hit.valueStart, end));
    if (hit.kind === "deadline") {
      if (value !== "") scan.deadlines.push(value);
    } else if (hit.kind === "leader") {
      if (value !== "") scan.leaders.push(value);
    } else {
      const units = readLabelledUnits(value, hit.kind);
      if (units.length === 0 && scan.emptyLabelAt === null) scan.emptyLabelAt = hit.start;
      scan.units.push(...markFirst(units));
      scan.deadlines.push(...deadlinesInValue(value));
    }
    // Cut one separator with the label so the sentence stays whole: "…工作，责任单位：X。" and
    // "…工作。责任单位：X。" both leave "…工作。".
    const separatorBefore = /[，,；;]/.test(text[hit.start - 1] ?? "");
    // "…工作。——责任单位：X": the dash only introduces the label.
    const dashes = /—+\s*$/.exec(text.slice(0, hit.start))?.[0].length ?? 0;
    cuts.push([separatorBefore ? hit.start - 1 : hit.start - dashes, !separatorBefore && text[end] === "。" ? end + 1 : end]);
  });
}

/**
 * Roles written as a plain sentence after the task, with no bracket and no label:
 * "区住房城乡建设局牵头，区城市管理局配合；2026年6月底前完成。" on the next line, or closing the
 * paragraph. Read only when nothing else in the item assigns units, never from its first sentence
 * (the task itself), and only when the sentence is nothing but role clauses naming at least one
 * real unit ("各地要按职责分工负责" names nobody and stays prose).
 */
function readRoleSentences(text: string, scan: AssignmentScan, cuts: Array<[number, number]>): void {
  if (!ROLE_SENTENCE_HINT_RE.test(text)) return;
  const sentences = splitOutsideBrackets(text, /[。\n]/);
  for (const sentence of sentences.slice(1)) {
    const clause = trimPunct(sentence.text);
    if (clause === "") continue;
    const found = readRoleClauses(clause, true);
    if (!found || !found.units.some((u) => !isPlaceholder(u.name))) continue;
    scan.units.push(...markFirst(found.units));
    scan.deadlines.push(...found.deadlines);
    const end = sentence.start + sentence.text.length;
    cuts.push([sentence.start, text[end] === "。" ? end + 1 : end]);
  }
}

/** Every role sentence ends a clause with one of these words: a cheap test before splitting sentences. */
const ROLE_SENTENCE_HINT_RE = /牵头|负责|配合|参与|协助|协办|协同|主责|主办|落实|实施|指导/;

/** Cleans what is left after cutting annotations: stray spaces, doubled or dangling punctuation. */
function tidyRemainder(text: string): string {
  return text
    .split("\n")
    .map((line) =>
      line
        .replace(/\s+([。，,；;：:])/g, "$1")
        .replace(/([。；;，,])[，,；;]+/g, "$1")
        .replace(/。{2,}/g, "。")
        .trim(),
    )
    .filter((line) => line !== "")
    .join("\n");
}

/** True when the text assigns at least one unit (or tries to and leaves the bracket open). */
export function hasAssignmentMarkup(text: string): boolean {
  const scan = scanAssignments(text);
  return scan.units.length > 0 || scan.leaders.length > 0 || scan.unterminatedAt !== null;
}
