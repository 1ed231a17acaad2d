/**
 * Responsible-unit names: normalisation, plausibility, and splitting a written list
 * ("市场监督管理局、交运局") into units without breaking names that contain a separator
 * ("质量、计量、标准化联席会议成员单位") or a conjunction ("卫生和计划生育委员会").
 */
import { splitOutsideBrackets } from "./plan-text.ts";

const SPACE_LIKE = /[\s\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff]+/g;
const EDGE = "、，,；;。.：:！!？?·\"'“”‘’\\-—";
const EDGE_RE = new RegExp(`^[${EDGE}\\s]+|[${EDGE}\\s]+$`, "g");

/**
 * Canonical form of a unit name so that the same unit written twice is one unit:
 * no spaces between CJK characters, full-width letters/digits folded, round brackets
 * unified to full-width, surrounding punctuation and a trailing "等/等单位" dropped.
 */
export function normalizeUnitName(raw: string): string {
  const known = normalized.get(raw);
  if (known !== undefined) return known;
  const name = normalize(raw);
  // Splitting a list normalises the same pieces several times; the cache is bounded.
  if (normalized.size >= 10_000) normalized.clear();
  normalized.set(raw, name);
  return name;
}

const normalized = new Map<string, string>();

function normalize(raw: string): string {
  let s = raw.replace(/[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  s = s.replace(/\(/g, "（").replace(/\)/g, "）");
  s = s.replace(SPACE_LIKE, " ").trim();
  // Spaces only matter between Latin words; next to CJK they are layout noise.
  s = s.replace(/ (?=[^\x00-\x7f])|(?<=[^\x00-\x7f]) /g, "");
  let previous = "";
  while (previous !== s) {
    previous = s;
    s = s.replace(EDGE_RE, "");
    s = dropUnbalancedEdgeBracket(s);
    const withoutEtc = s.replace(/等(?:有关|相关|其他)?(?:单位|部门)?$/, "");
    if (withoutEtc !== "" && withoutEtc !== s) s = withoutEtc;
  }
  return s;
}

/** "市财政局）" left over from a broken split: drop the stray bracket at the edge. */
function dropUnbalancedEdgeBracket(s: string): string {
  const opens = (s.match(/（/g) ?? []).length;
  const closes = (s.match(/）/g) ?? []).length;
  if (closes > opens && s.endsWith("）")) return s.slice(0, -1);
  if (opens > closes && s.startsWith("（")) return s.slice(1);
  return s;
}

/** Endings of organisation names: 局 委 办 中心 公司 支行 政府 …, plus 各X / 成员单位 groups. */
const ORG_SUFFIX =
  /(局|委|办|院|厅|部|处|科|股|室|所|站|队|署|关|会|联|协|社|馆|台|校|组|中心|公司|集团|银行|支行|分行|商行|政府|单位|部门|机构|企业|街道|乡镇|镇|乡|县|区|市|旗|园区|医院|学校|大学|学院|中央|总社|总会)(（[^（）]*）)?$/;

/** Endings strong enough to split "A及B" into two units. */
const STRONG_ORG_SUFFIX = /(局|委|办|院|厅|部|署|中心|公司|政府|银行|支行|分行|队|单位|部门|办公室)$/;

/** Longer than this, a "unit name" is a sentence caught by a broken annotation, not a unit. */
export const MAX_UNIT_NAME_LENGTH = 40;

/**
 * Open-ended placeholders: who exactly is meant is not said (各地, 各有关部门, 县政府有关部门,
 * 各县、市、区政府, 市政府各部门, a trailing 等). They are kept as a note on the task, not as units;
 * a body's 成员单位 is a real (collective) unit.
 */
export function isPlaceholder(name: string): boolean {
  if (/成员单位$/.test(name)) return false;
  return (
    /^等/.test(name) ||
    /^(各|有关|相关|其他|其它|其余)/.test(name) ||
    /(有关|相关|其他|其它)(部门|单位|机构|方面|直属)/.test(name) ||
    /各(部门|单位|直属机构|直属单位|机构)$/.test(name)
  );
}

export function looksLikeUnit(name: string): boolean {
  return name.length >= 2 && name.length <= 30 && ORG_SUFFIX.test(name) && !/[。：:]/.test(name);
}

/** A unit standing for many: "…联席会议成员单位", "各成员单位", "各县（市、区）人民政府", "有关部门". */
export function isCollectiveUnit(name: string): boolean {
  return /成员单位$/.test(name) || /^各/.test(name) || /各(成员)?(单位|部门)$/.test(name) || /^(有关|相关|其他)(单位|部门)$/.test(name);
}

/** "质量、计量、标准化联席会议成员单位": the words before the body name it, they are not units. */
const COLLECTIVE_BODY = /(联席会议|领导小组|委员会|工作组|指挥部|小组)(各)?成员单位$/;

export type WrittenRole = "lead" | "support" | "generic";

/** A unit as written in an annotation, before the task's roles are resolved. */
export interface WrittenUnit {
  name: string;
  role: WrittenRole;
  /** First of a plain list (one bracket, one label): leads its list when nothing is marked 牵头. */
  first?: boolean;
}

/** Role words written right after a name: "X牵头", "Y配合", "X（牵头）". Longest first. */
const ROLE_SUFFIXES: Array<{ re: RegExp; role: WrittenRole }> = [
  { re: /[（(](牵头|牵头单位|主责|主办)[）)]$/, role: "lead" },
  { re: /[（(](配合|配合单位|参与|协助|协办)[）)]$/, role: "support" },
  { re: /[（(](负责|责任单位|按职责分工负责|按照职责分工负责|按职责负责|分别负责|共同负责)[）)]$/, role: "generic" },
  { re: /(为牵头单位|分别牵头负责|分别牵头|牵头负责|牵头落实|牵头实施|牵头抓总|牵头组织|牵头推进|牵头协调|牵头研究|牵头制定|总牵头|牵头|主责|主办)$/, role: "lead" },
  { re: /(为配合单位|分别配合|按职责配合|配合实施|配合落实|共同参与|配合|参与|协助|协办|协同|督促指导|加强指导|指导)$/, role: "support" },
  {
    re: /(为责任单位|按职责分工落实|按照职责分工落实|按职责落实|按职责分工负责|按照职责分工负责|按职责负责|分别负责|共同负责|具体负责|负责落实|负责实施|负责推进|负责组织|具体实施|抓好落实|负责|落实|实施)$/,
    role: "generic",
  },
];

/** Splits a trailing role word off a written name: "市发改委牵头" → 市发改委, lead. */
export function splitRoleSuffix(token: string): { name: string; role: WrittenRole | null } {
  const trimmed = token.trim();
  // Every role word ends in one of these characters: most tokens (plain names) skip the regexes,
  // which are end-anchored and so tried at every offset.
  if (!ROLE_LAST_CHARS.has(trimmed.charAt(trimmed.length - 1))) return { name: trimmed, role: null };
  for (const { re, role } of ROLE_SUFFIXES) {
    const m = re.exec(trimmed);
    if (m && m.index > 0) return { name: trimmed.slice(0, m.index), role };
  }
  return { name: trimmed, role: null };
}

/** The last character of every role word in ROLE_SUFFIXES (read from their sources, so they stay in step). */
const ROLE_LAST_CHARS = new Set(
  ROLE_SUFFIXES.flatMap(({ re }) => {
    const body = re.source.replace(/\$$/, "");
    if (body.endsWith("[）)]")) return ["）", ")"];
    return body.replace(/^\(|\)$/g, "").split("|").map((word) => word.slice(-1));
  }),
);

/** "由市发改委" → "市发改委": the preposition belongs to the sentence, not the name. */
function dropLeadingPreposition(name: string): string {
  return name.replace(/^(?:均由|分别由|由|请|在)(?=.{2,})/, "");
}

/**
 * Splits one clause of a unit list on 、 (never inside brackets), re-joins the qualifier
 * words of a collective body, and splits on 及 only between two whole organisation names.
 * The role word of a token applies to it and to the tokens before it that had none
 * ("Y、Z配合" → both support); tokens left without one get `fallback`.
 */
export function splitUnitClause(clause: string, fallback: WrittenRole): WrittenUnit[] {
  const tokens = splitOutsideBrackets(clause, /[、]/).map((p) => p.text.trim()).filter((t) => t !== "");
  const written = glueShortTokens(tokens).flatMap((t) => {
    const { name, role } = splitRoleSuffix(t);
    return splitOpenEnd(dropLeadingPreposition(name)).map((n) => ({ name: n, role }));
  });
  const merged = mergeCollectiveQualifiers(written);
  const units: WrittenUnit[] = [];
  let pending: string[] = [];
  for (const token of merged) {
    pending.push(...splitOnJi(token.name));
    if (token.role) {
      for (const name of pending) units.push({ name, role: token.role });
      pending = [];
    }
  }
  for (const name of pending) units.push({ name, role: fallback });
  return units
    .map((u) => ({ ...u, name: normalizeUnitName(u.name) }))
    .filter((u) => u.name !== "");
}

/**
 * "各县、市、区政府": a one-character token is not a unit but a qualifier listed inside one name;
 * it is joined with its neighbours.
 */
function glueShortTokens(tokens: string[]): string[] {
  const out: string[] = [];
  let glue = false;
  for (const token of tokens) {
    const short = token.length <= 1;
    if ((short || glue) && out.length > 0) {
      out[out.length - 1] += `、${token}`;
      glue = short;
    } else {
      out.push(token);
      glue = false;
    }
  }
  return out;
}

/**
 * "商务部等有关部门" → 商务部 + the placeholder "等有关部门"; "A等和各有关省级人民政府" → A, "等",
 * 各有关省级人民政府. The open end is kept so the task can say its list is not complete.
 */
function splitOpenEnd(name: string): string[] {
  const joined = /^(.+?)等(?:和|及|以及)(.+)$/.exec(name);
  if (joined?.[1] && joined[2]) return [joined[1], "等", joined[2]];
  // "A和各省级人民政府": 和 joins a unit and a placeholder, never inside one name before 各.
  const withEach = /^(.+?)(?:和|及|以及|与)(各.+)$/.exec(name);
  if (withEach?.[1] && withEach[2] && looksLikeUnit(normalizeUnitName(withEach[1]))) return [withEach[1], withEach[2]];
  const tail = /^(.+?)(等(?:有关|相关|其他|其它)?(?:单位|部门)?(?:和单位)?)$/.exec(name);
  if (tail?.[1] && tail[2] && tail[1].length >= 2) return [tail[1], tail[2]];
  return [name];
}

function mergeCollectiveQualifiers(tokens: Array<{ name: string; role: WrittenRole | null }>): Array<{ name: string; role: WrittenRole | null }> {
  const out: Array<{ name: string; role: WrittenRole | null }> = [];
  for (const token of tokens) {
    if (COLLECTIVE_BODY.test(normalizeUnitName(token.name))) {
      const qualifiers: string[] = [];
      while (out.length > 0) {
        const last = out[out.length - 1];
        if (!last || last.role !== null || looksLikeUnit(normalizeUnitName(last.name))) break;
        qualifiers.unshift(last.name);
        out.pop();
      }
      out.push({ name: [...qualifiers, token.name].join("、"), role: token.role });
    } else out.push(token);
  }
  return out;
}

/** "市财政局及各县区政府" → two units; "人力资源和社会保障局" stays whole (和 is never split). */
function splitOnJi(name: string): string[] {
  const parts = splitOutsideBrackets(name, /[及]/).map((p) => p.text.trim());
  if (parts.length < 2) return [name];
  const ok = parts.every((p, i) => (i < parts.length - 1 ? STRONG_ORG_SUFFIX.test(normalizeUnitName(p)) : looksLikeUnit(normalizeUnitName(p))));
  return ok ? parts : [name];
}
