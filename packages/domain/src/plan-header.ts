/**
 * The document's identity: the plan's own title (not the covering 通知's), 文号, issuing
 * office and date. A plan is usually published inside a notice ("XX关于印发《YY方案》的通知"),
 * so the header may hold two titles; the plan is YY, and its body starts after YY's own line.
 */
import { readMarker } from "./plan-numbering.ts";
import { chineseToInt, chineseYear, foldWidth, type SourceLine } from "./plan-text.ts";

export interface PlanHeader {
  title: string;
  /** Index (into the lines array) of the plan title's own line; the body starts after it. */
  titleIndex: number | null;
  docNumber: string | null;
  issuer: string | null;
  date: string | null;
}

const NOTICE_RE = /^(.*?)(?:关于)?印发\s*[《“"〈]?(.+?)[》”"〉]?\s*的(?:通知|函)$/;
const PLAN_TITLE_RE = /(方案|计划|规划|意见|细则|要点|办法|清单|措施|纲要|安排|行动|分工|分解|分解表|任务表|责任表)(\s*[（(][^（）()]*[）)])?$/;
const DOC_NUMBER_RE = /[\u4e00-\u9fff]{1,16}\s*[〔［\[【（(]\s*(?:19|20)\d{2}\s*[〕］\]】）)]\s*\d{1,4}\s*号/;
const ORG_RE = /(人民政府|办公室|办公厅|委员会|领导小组|指挥部|局|厅|委|部)$/;

const compact = (s: string) => s.replace(/\s+/g, "");

/** A list bullet copied from a web page's menu or list ("• 政府信息公开"): never part of a title. */
const BULLET_RE = /^[•·●○◆◇■□▪▫►▶★☆※\-*]+\s*/;
const unbullet = (s: string) => s.replace(BULLET_RE, "");

function isPlanTitleLike(text: string): boolean {
  return (
    text.length >= 4 &&
    text.length <= 60 &&
    !/[。，,；;：:]/.test(text) &&
    PLAN_TITLE_RE.test(text) &&
    !NOTICE_RE.test(text) &&
    readMarker(text) === null
  );
}

/** The first line that opens the document's numbered structure: the header ends before it. */
function firstStructuralIndex(lines: SourceLine[]): number {
  const i = lines.findIndex((l) => {
    const kind = readMarker(l.text)?.kind;
    return kind === "chapter" || kind === "article" || kind === "cn-dun" || kind === "cn-paren" || kind === "ar-dot";
  });
  return i < 0 ? lines.length : i;
}

/** How an official document's title ends: "…的通知", "…的指导意见". */
const DOCUMENT_END_RE = /的(?:通知|意见|指导意见|若干意见|决定|函|报告|批复|通报)$/;

/**
 * A line that can be an upper part of a title printed over several lines ("铜江市质量强市" /
 * "建设实施方案", "北川县人民政府关于加快发展" / "农村寄递物流的实施意见"): short, no
 * sentence punctuation, and none of what sits above a title in a 红头 document or on a web
 * page — the issuer, "…文件", a 文号, a date, "附件", a bracketed remark, a menu path.
 */
function isTitleFragment(above: string): boolean {
  const text = above.trim();
  const max = text.includes("关于") ? 40 : 30;
  if (text.length < 2 || text.length > max || /[。，,；;：:！!？?>|]|\s/.test(text)) return false;
  if (!/[\u4e00-\u9fff》”]$/.test(text) || /^[（(【\[].*[）)】\]]$/.test(text) || /^附件/.test(text)) return false;
  if (ORG_RE.test(text) || /文件$/.test(text) || DOC_NUMBER_RE.test(foldWidth(text)) || readDateLine(text) || readDateMeta(text)) return false;
  return !(isPlanTitleLike(text) || DOCUMENT_END_RE.test(text) || NOTICE_RE.test(text) || readMarker(text) !== null);
}

/** The upper lines of a title ending at line `end` (at most two, stopping at a blank line). */
function titleAbove(lines: SourceLine[], end: number): string {
  const parts: string[] = [];
  for (let i = end - 1; i >= 0 && i >= end - 2; i--) {
    const text = unbullet(lines[i]?.text ?? "");
    if (!isTitleFragment(text)) break;
    parts.unshift(text.trim());
  }
  return parts.join("");
}

/** "（2021—2023年）" or "（试行）" on the line under a title belongs to it. */
const TITLE_TAIL_RE = /^[（(](?:(?:19|20)\d{2}\s*[—–\-－~～至到]+\s*(?:19|20)\d{2}\s*年?|(?:19|20)\d{2}\s*年|试行|暂行|征求意见稿|修订稿?|送审稿)[）)]$/;

/**
 * The notice line, read from one line or from two that a narrow page broke apart
 * ("XX关于印发" / "《YY方案》的通知").
 */
function findNotice(lines: SourceLine[], headerEnd: number): { match: RegExpExecArray; index: number } | null {
  for (let i = 0; i < headerEnd; i++) {
    const text = lines[i]?.text ?? "";
    const one = NOTICE_RE.exec(text);
    if (one) return { match: one, index: i };
    const next = lines[i + 1]?.text ?? "";
    if (i + 1 < headerEnd && text.includes("关于") && isTitleFragment(text) && !/[。，,；;：:]/.test(next)) {
      const two = NOTICE_RE.exec(text.trim() + next.trim());
      if (two) return { match: two, index: i + 1 };
    }
  }
  return null;
}

/** Index of the last line of `wanted` printed over up to three non-empty lines, or null. */
function splitTitleEnd(lines: SourceLine[], wanted: string): number | null {
  for (let i = 0; i < lines.length; i++) {
    let joined = compact(lines[i]?.text ?? "");
    if (joined === "" || !wanted.startsWith(joined)) continue;
    for (let j = i + 1, parts = 1; j < lines.length && parts < 3; j++) {
      const part = compact(lines[j]?.text ?? "");
      if (part === "") continue;
      joined += part;
      parts++;
      if (joined === wanted) return j;
      if (!wanted.startsWith(joined)) break;
    }
  }
  return null;
}

function findTitle(lines: SourceLine[], headerEnd: number): { title: string; index: number | null } {
  const announced = findNotice(lines, headerEnd)?.match[2]?.trim();
  if (announced) {
    // The covering notice names the plan; its own title line is where the plan starts.
    // Searched in the whole text: the notice itself may contain numbered points before it.
    const own = lines.findIndex((l) => compact(l.text) === compact(announced));
    if (own >= 0) return { title: lines[own]?.text ?? announced, index: own };
    // Its own title may be printed over two or three lines too, blank lines between them.
    const last = splitTitleEnd(lines, compact(announced));
    if (last !== null) return { title: compact(announced), index: last };
  }
  // A notice sending several attachments (附件1 …分解表, 附件2 …清单) names the whole in its own title.
  const several = announced !== undefined && lines.slice(0, headerEnd).filter((l) => isPlanTitleLike(unbullet(l.text))).length > 1;
  for (let i = headerEnd - 1; i >= 0; i--) {
    const text = unbullet(lines[i]?.text ?? "");
    if (!isPlanTitleLike(text)) continue;
    const tail = TITLE_TAIL_RE.test(foldWidth(lines[i + 1]?.text ?? "").trim()) ? (lines[i + 1]?.text ?? "").trim() : "";
    const title = several && announced ? announced : titleAbove(lines, i) + text.replace(/^[《“]|[》”]$/g, "") + tail;
    return { title, index: tail ? i + 1 : i };
  }
  if (announced) return { title: announced, index: null };
  const at = lines.findIndex((l) => unbullet(l.text) !== "");
  const first = unbullet(lines[at]?.text ?? "");
  const next = lines[at + 1]?.text ?? "";
  const continued = isTitleFragment(first) && (DOCUMENT_END_RE.test(next) || isPlanTitleLike(next)) && !/[。，,；;：:]/.test(next) ? next : "";
  return { title: first + continued, index: null };
}

function findDocNumber(lines: SourceLine[]): string | null {
  for (const l of lines) {
    const folded = foldWidth(l.text);
    const m = DOC_NUMBER_RE.exec(folded);
    // Only the document's own 文号: a standalone line, not one cited inside a sentence.
    if (m && m[0].length >= folded.length - 2) return l.text.slice(m.index, m.index + m[0].length).replace(/\s+/g, "");
  }
  return null;
}

function findIssuer(lines: SourceLine[], headerEnd: number): string | null {
  for (const l of lines.slice(0, headerEnd)) {
    const prefix = NOTICE_RE.exec(l.text)?.[1]?.trim();
    if (prefix && ORG_RE.test(prefix)) return prefix;
  }
  const standalone = lines.slice(0, headerEnd).find((l) => l.text.length <= 30 && ORG_RE.test(l.text) && !/[：:]/.test(l.text));
  return standalone?.text ?? null;
}

function isoDate(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** "2016年11月3日", "二〇一六年十一月三日", optionally followed by 印发/发布. */
function readDateLine(text: string): string | null {
  const t = foldWidth(text).replace(/\s+/g, "");
  const arabic = /^(\d{4})年(\d{1,2})月(\d{1,2})日(?:印发|发布|制定)?$/.exec(t);
  if (arabic) return isoDate(Number(arabic[1]), Number(arabic[2]), Number(arabic[3]));
  const cn = /^([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日(?:印发|发布|制定)?$/.exec(t);
  if (!cn) return null;
  const year = chineseYear(cn[1] ?? "");
  const month = chineseToInt(cn[2] ?? "");
  const day = chineseToInt(cn[3] ?? "");
  return year && month && day ? isoDate(year, month, day) : null;
}

function readDateMeta(text: string): string | null {
  const m = /(?:发布时间|发布日期|成文日期|发文日期|印发日期)\s*:\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})/.exec(foldWidth(text));
  return m ? isoDate(Number(m[1]), Number(m[2]), Number(m[3])) : null;
}

/** The signing date under the notice; else a 发布时间 field; else the date line closing the document. */
function findDate(lines: SourceLine[], headerEnd: number, underTitle: SourceLine[]): string | null {
  for (const l of lines.slice(0, headerEnd)) {
    const d = readDateLine(l.text);
    if (d) return d;
  }
  // A web page prints its 发布时间 line above or right under the title.
  for (const l of [...lines.slice(0, headerEnd), ...underTitle]) {
    const d = readDateMeta(l.text);
    if (d) return d;
  }
  for (let i = lines.length - 1; i >= headerEnd; i--) {
    const d = readDateLine(lines[i]?.text ?? "");
    if (d) return d;
  }
  return null;
}

/**
 * The few lines right under the plan's title, before any numbered structure: a 文号 is often
 * printed there ("XX方案" / "（同政办发〔2017〕12号）") rather than above the title.
 */
function linesRightAfter(lines: SourceLine[], titleIndex: number): SourceLine[] {
  const after = lines.slice(titleIndex + 1);
  const end = firstStructuralIndex(after);
  return after
    .slice(0, end)
    .filter((l) => l.text !== "")
    .slice(0, 3);
}

export function readHeader(lines: SourceLine[]): PlanHeader {
  const structureStart = firstStructuralIndex(lines);
  const { title, index } = findTitle(lines, structureStart);
  const headerEnd = index ?? structureStart;
  return {
    title,
    titleIndex: index,
    docNumber: findDocNumber(lines.slice(0, headerEnd)) ?? (index === null ? null : findDocNumber(linesRightAfter(lines, index))),
    issuer: findIssuer(lines, headerEnd),
    date: findDate(lines, headerEnd, index === null ? [] : linesRightAfter(lines, index)),
  };
}
