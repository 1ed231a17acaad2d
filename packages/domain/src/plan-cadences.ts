/**
 * Recurring duties written into a task: "每季度定期分析…，及时向市政府上报质量分析报告"
 * (quarterly), "每年发布…白皮书" (annual). `what` names the deliverable; `text` runs from the
 * cadence word to the end of the clause that names it.
 */
import type { ParsedCadence } from "./parse-plan.ts";
import { splitOutsideBrackets, trimPunct } from "./plan-text.ts";

const CADENCE_RE = /(每个?季度|按季度?|逐季度?|每季|每年度?|每一年|按年度)/g;
const DELIVERABLE_RE = /(报告|白皮书|通报|简报|报表|总结|公报|年报|季报|台账|分析结果|评估结果|清单)/g;
const REPORTING_WORK_RE = /(分析|通报|报送|上报|呈报|调度|评估|总结|报告)/;
const VERB_RE = /(上报|报送|呈报|发布|编制|编写|撰写|形成|提交|印发|出具|公布|制定|报)/g;

function kindOf(word: string): ParsedCadence["kind"] {
  return word.includes("季") ? "quarterly" : "annual";
}

/** The deliverable's noun phrase: what comes after the last verb before it ("上报质量分析报告" → 质量分析报告). */
function deliverableIn(clause: string): string | null {
  const nouns = [...clause.matchAll(DELIVERABLE_RE)];
  const noun = nouns[nouns.length - 1];
  if (!noun) return null;
  const nounEnd = (noun.index ?? 0) + noun[0].length;
  const head = clause.slice(0, noun.index ?? 0);
  const verbs = [...head.matchAll(VERB_RE)];
  const verb = verbs[verbs.length - 1];
  const from = verb ? (verb.index ?? 0) + verb[0].length : 0;
  return trimPunct(clause.slice(from, nounEnd).replace(CADENCE_RE, "").replace(/^(定期|及时)+/, ""));
}

/** What a cadence without a named deliverable asks for: "每季度召开一次联席会议" → 召开一次联席会议. */
function activityIn(clause: string): string {
  return trimPunct(clause.replace(CADENCE_RE, "").replace(/^(定期|至少|都要|要)+/, ""));
}

/** Cadences of one sentence (split on 。；): one per cadence word. */
function sentenceCadences(sentence: string): ParsedCadence[] {
  const found: ParsedCadence[] = [];
  for (const m of sentence.matchAll(CADENCE_RE)) {
    const from = m.index ?? 0;
    const clauses = splitOutsideBrackets(sentence.slice(from), /[，,]/);
    const firstClause = clauses[0]?.text ?? "";
    let text = firstClause;
    let what: string | null = null;
    for (const clause of clauses) {
      // Stop before a clause that starts another cadence; it gets its own entry.
      if (clause.start > 0 && new RegExp(CADENCE_RE.source).test(clause.text)) break;
      what = deliverableIn(clause.text);
      if (what) {
        text = sentence.slice(from, from + clause.start + clause.text.length);
        break;
      }
    }
    // A recurring duty counts only when it produces something to collect: a named deliverable,
    // or analysis/reporting work ("每季度开展质量分析"); "每年至少检查2次" is routine work, not a round.
    if (!what && !REPORTING_WORK_RE.test(firstClause)) continue;
    found.push({ kind: kindOf(m[0]), what: what || activityIn(firstClause), text: trimPunct(text) });
  }
  return found;
}

export function extractCadences(text: string): ParsedCadence[] {
  const cadences: ParsedCadence[] = [];
  for (const sentence of splitOutsideBrackets(text, /[。；;！!？?\n]/)) {
    for (const cadence of sentenceCadences(sentence.text)) {
      if (!cadences.some((c) => c.kind === cadence.kind && c.what === cadence.what)) cadences.push(cadence);
    }
  }
  return cadences;
}
