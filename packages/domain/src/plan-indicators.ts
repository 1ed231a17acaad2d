/**
 * Measurable targets written in a task: "受检率达到95%以上", "不少于15项", "小于10%", "新建高标准农田3万亩",
 * "合格率、优良率分别达到100%、90%". A number counts only with a comparator word around it
 * ("达到", "不低于", "以上", "控制在…以内") or right after a rate ("合格率100%"), so years,
 * hotlines and dates ("2016年", "12315", "3·15") never become indicators.
 *
 * Comparators: 达到/不低于/不少于/稳定在/…以上 → ">=", 不超过/控制在/…以内/以下 → "<=",
 * 超过/突破/高于 → ">", 小于/低于 → "<", a bare "合格率100%" or "为X" → "=". A percentage that must
 * reach 100% can only equal it, so ">= 100%" is written "= 100%"; "达到5家左右" is "= 5".
 */
import type { Comparator, ParsedIndicator } from "./parse-plan.ts";
import { foldWidth, matchBrackets, splitOutsideBrackets, trimPunct } from "./plan-text.ts";

const MEASURE_UNITS = [
  "个百分点", "百分点", "个工作日", "工作日", "万平方米", "平方公里", "平方米", "立方米", "万千瓦时", "万千瓦", "千瓦",
  "万吨", "吨", "公里", "千米", "亿元", "万元", "元", "万人次", "人次", "万人", "万户", "户", "人", "项", "天", "日",
  "个", "家", "次", "所", "件", "批次", "批", "种", "座", "处", "条", "台", "辆", "亩", "公顷", "张", "份", "名", "位",
  "场", "期", "小时", "分钟", "倍", "套", "部", "篇", "分", "%", "‰",
  "毫克每立方米", "微克每立方米", "毫克/立方米", "微克/立方米",
].sort((a, b) => b.length - a.length);
// A rate per population or area stays one unit: "4批次/千人", "3张/千人"; 万/亿 scale any unit ("3.5万个", "2万亩").
const UNIT_RE = new RegExp(`^\\s*((?:万|亿)?(?:${MEASURE_UNITS.map((u) => u.replace(/[%/]/g, "\\$&")).join("|")})(?:\\/[\\u4e00-\\u9fff]{1,4}(?![\\u4e00-\\u9fff]))?)`);

type Sense = "ge" | "le" | "gt" | "lt" | "eq";

/** Words written before the number, longest first so "不超过" wins over "超过". */
const WORDS_BEFORE: Array<{ word: string; sense: Sense }> = (
  [
    ...["不少于", "不低于", "不小于", "不下于", "至少", "最少", "达到", "达", "提高到", "提高至", "提升到", "提升至", "增加到", "增加至", "增长到", "增长至", "上升到", "上升至", "稳定在", "保持在", "维持在", "巩固在"].map((word) => ({ word, sense: "ge" as const })),
    ...["不超过", "不高于", "不大于", "不多于", "最多", "至多", "控制在", "降低到", "降低至", "降到", "降至", "下降到", "下降至", "减少到", "减少至", "压减到", "压减至", "压缩到", "压缩至", "缩短到", "缩短至"].map((word) => ({ word, sense: "le" as const })),
    ...["超过", "突破", "高于", "大于", "多于"].map((word) => ({ word, sense: "gt" as const })),
    ...["小于", "低于", "少于"].map((word) => ({ word, sense: "lt" as const })),
    { word: "为", sense: "eq" as const },
  ] satisfies Array<{ word: string; sense: Sense }>
).sort((a, b) => b.word.length - a.word.length);

const WORD_AFTER_RE = /^\s*(及以上|以上|及以下|以下|以内|左右)/;

/** Subjects that may be followed directly by a value: 合格率100%, 满意度90%. */
const METRIC_END = /(率|比例|比重|占比|覆盖面|指数|度)$/;

interface Value {
  value: number;
  unit: string | null;
  end: number;
}

const NUMBER_RE = /\d+(?:\.\d+)?/g;

/** A number that is part of a date, code or name, not a quantity: 2016年, 3·15, 第3, 4A. */
function isNotAQuantity(folded: string, start: number, end: number): boolean {
  const before = folded[start - 1] ?? "";
  const after = folded[end] ?? "";
  return /[0-9.·•\-—~～/第a-zA-Z]/.test(before) || /[·•年月号届时:\-—~～/a-zA-Z]/.test(after);
}

function readUnit(folded: string, at: number): { unit: string | null; end: number } {
  const m = UNIT_RE.exec(folded.slice(at));
  return m ? { unit: m[1] ?? null, end: at + m[0].length } : { unit: null, end: at };
}

function wordBefore(before: string): { word: string; sense: Sense } | null {
  const trimmed = before.replace(/\s+$/, "");
  return WORDS_BEFORE.find((w) => trimmed.endsWith(w.word)) ?? null;
}

function resolve(sense: Sense | null, after: string | null): Comparator | null {
  const up = after === "以上" || after === "及以上";
  const down = after === "以下" || after === "及以下" || after === "以内";
  switch (sense) {
    case "gt":
      return ">";
    case "lt":
      return "<";
    case "le":
      return "<=";
    case "ge":
      // "达到5家左右" aims at about 5, not at least 5.
      return down ? "<=" : after === "左右" ? "=" : ">=";
    case "eq":
      return up ? ">=" : down ? "<=" : "=";
    default:
      return up ? ">=" : down ? "<=" : after === "左右" ? "=" : null;
  }
}

const LEADING_NOISE =
  /^(?:[、和及与，,；;：:\s①-⑳]|其中|(?:到|至|截至|截止)?\d{4}年(?:底|末)?前?|全市|全县|全区|全省|全州|全盟|全旗|全乡|全镇|本市|我市|本县|我县|本区|我区|本地区|使|让|确保|力争|争取|实现|推动|促进|保证|努力|逐步|进一步|着力)/;
const TRAILING_NOISE =
  /(?:要|应|须|必须|将|能|可|均|都|分别|稳定|保持|维持|控制|持续|逐步|力争|确保|争取|基本|全部|累计|总计|共|率先|在|到|至|\s|(?:在)?\d{4}年(?:底|末)?前?|年底前|年内)$/;

/**
 * Turns the words before a comparator into an indicator name: drops brackets, place and
 * time words ("全市", "到2020年"), modal and quantifier words ("均", "分别", "确保"), and
 * qualifiers ending in 的 ("负责验收的水利工程…" → "水利工程…").
 */
function cleanName(raw: string): string {
  let s = raw;
  let previous = "";
  while (previous !== s) {
    previous = s;
    s = s.replace(/[（(][^（）()]*[）)]/g, "");
  }
  s = s.replace(/\s+/g, "");
  previous = "";
  while (previous !== s) {
    previous = s;
    s = s.replace(LEADING_NOISE, "").replace(TRAILING_NOISE, "");
  }
  return s;
}

/** "劣V类水质的比例" → "劣V类水质比例"; "市、地及负责验收的水利工程竣工验收合格率" → "水利工程竣工验收合格率"
 * (only when what is left is long enough to stand alone: "…治理的行政村比例" keeps its qualifier). */
function dropQualifier(name: string): string {
  const s = name.replace(/的(?=(比例|比重|占比|数量|天数|人数|个数|次数|户数|家数)$)/, "");
  const i = s.lastIndexOf("的");
  return i >= 0 && s.length - i - 1 >= 6 ? s.slice(i + 1) : s;
}

/**
 * Enumerated subjects share words the document writes once: "国省干线公路竣工验收合格率、优良率"
 * (the head is written on the first: → …竣工验收优良率), "二氧化硫、氮氧化物排放浓度" (the tail is
 * written on the last: → 二氧化硫排放浓度).
 */
function shareSubject(names: string[]): string[] {
  const first = names[0] ?? "";
  const last = names[names.length - 1] ?? "";
  return names.map((name, i) => {
    if (i > 0 && name.length < first.length && name.slice(-1) === first.slice(-1)) return first.slice(0, first.length - name.length) + name;
    if (i < names.length - 1 && name.length < last.length && !METRIC_END.test(name)) return name + last.slice(name.length);
    return name;
  });
}

/** Values that follow a "分别" comparator: "100%、90%" or "95和90%"; a value without a unit takes the next one's. */
function readValueList(folded: string, first: Value): Value[] {
  const values = [first];
  let at = first.end;
  for (;;) {
    const m = /^\s*[、和及与]\s*(\d+(?:\.\d+)?)/.exec(folded.slice(at));
    if (!m || m[1] === undefined) break;
    const numberEnd = at + m[0].length;
    const { unit, end } = readUnit(folded, numberEnd);
    values.push({ value: Number(m[1]), unit, end });
    at = end;
  }
  for (let i = values.length - 2; i >= 0; i--) {
    const v = values[i];
    if (v && v.unit === null) v.unit = values[i + 1]?.unit ?? null;
  }
  return values;
}

export interface IndicatorScan {
  indicators: ParsedIndicator[];
  /** Targets that were recognised but could not be tied to a name. */
  unmatched: string[];
}

function finish(comparator: Comparator, value: number, unit: string | null): Comparator {
  return comparator === ">=" && unit === "%" && value === 100 ? "=" : comparator;
}

/** Work a plan counts in its own units: build, renovate, train, plant, bring in… */
const WORK_VERB_RE =
  /^(?:新建|建成|建设|续建|筹建|实施|启动|签约|储备|谋划|改造|改建|提升改造|完成|新增|新培育|培育|打造|创建|引进|招引|培训|举办|开展|新开工|开工|竣工|建立|设立|增设|开设|种植|造林|植树|治理|整治|修复|回收|帮扶|安置|吸纳|新招录|招录|招聘|发放|投放|配备|新改建|新改扩建|改扩建|硬化|铺设|安装|创成|认定|评选|收储|供应|出让|盘活|处置|化解|清理|排查|检查|抽检|抽查|检测|监测)/;
/** Units that count things done; time limits and shares are never a bare count. */
const NOT_A_COUNT_UNIT = /^(?:%|‰|个百分点|百分点|倍|个工作日|工作日|天|日|小时|分钟|期|分)$/;

/** "新建高标准农田3万亩": a work verb, what it makes, and the number with its unit closing the clause. */
function isWorkCount(name: string, unit: string | null, rest: string): boolean {
  return unit !== null && !NOT_A_COUNT_UNIT.test(unit) && trimPunct(rest).trim() === "" && WORK_VERB_RE.test(name.replace(/^(?:全年|年内|每年|今年|当年|累计)/, "")) && name.length >= 3;
}

/** "规模工业增加值增长8%", "单位GDP能耗下降3%": a change of at least that share, named with its verb. */
function isChangeBy(name: string, unit: string | null): boolean {
  return (unit === "%" || unit === "个百分点" || unit === "百分点") && /.{2,}(增长|增加|提高|提升|下降|降低|减少)$/.test(name);
}

/** Reads the indicators of one clause (text between ，；。). */
function clauseIndicators(clause: string, scan: IndicatorScan): void {
  const folded = foldWidth(clause);
  const { spans } = matchBrackets(folded);
  const insideBrackets = (offset: number) => spans.some((s) => offset > s.start && offset < s.end);
  const text = trimPunct(clause);
  let segmentStart = 0;

  for (const m of folded.matchAll(NUMBER_RE)) {
    const start = m.index ?? 0;
    if (start < segmentStart || insideBrackets(start) || isNotAQuantity(folded, start, start + m[0].length)) continue;
    const { unit, end } = readUnit(folded, start + m[0].length);
    const before = folded.slice(segmentStart, start);
    const word = wordBefore(before);
    const subjectEnd = word ? before.replace(/\s+$/, "").length - word.word.length : before.length;
    const subject = clause.slice(segmentStart, segmentStart + subjectEnd);
    const respectively = /分别\s*$/.test(folded.slice(segmentStart, segmentStart + subjectEnd));
    const values = respectively ? readValueList(folded, { value: Number(m[0]), unit, end }) : [{ value: Number(m[0]), unit, end }];
    const last = values[values.length - 1] ?? { end };
    const afterMatch = WORD_AFTER_RE.exec(folded.slice(last.end));
    const after = afterMatch?.[1] ?? null;
    const name = cleanName(subject);
    const written = resolve(word?.sense ?? null, after);
    // A bare number is a target only right after a rate with a measure unit ("合格率100%"), or
    // as the count that closes a clause of work to be done ("新建高标准农田3万亩": at least that).
    const count = written === null && values.length === 1 && (isWorkCount(name, unit, folded.slice(last.end)) || isChangeBy(name, unit));
    if (written === null && !count && (unit === null || !METRIC_END.test(name))) continue;
    const comparator: Comparator = written ?? (count ? ">=" : "=");
    segmentStart = last.end + (afterMatch?.[0].length ?? 0);

    const names = values.length > 1 ? shareSubject(splitOutsideBrackets(name, /[、]/).map((p) => p.text)) : [name];
    if (names.length !== values.length) {
      scan.unmatched.push(text);
      continue;
    }
    values.forEach((v, i) => {
      const indicatorName = dropQualifier(names[i] ?? "");
      if (indicatorName.length < 2 || !/[\u4e00-\u9fff]/.test(indicatorName)) return;
      scan.indicators.push({ text, name: indicatorName, comparator: finish(comparator, v.value, v.unit), value: v.value, unit: v.unit });
    });
  }
}

/** Indicators in a task's text, in order of appearance. */
export function extractIndicators(text: string): IndicatorScan {
  const scan: IndicatorScan = { indicators: [], unmatched: [] };
  for (const piece of splitOutsideBrackets(text, /[，,；;。！？!?：:\n]/)) {
    if (/\d/.test(foldWidth(piece.text))) clauseIndicators(piece.text, scan);
  }
  return scan;
}
