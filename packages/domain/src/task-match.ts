/**
 * Which task of a new version of a plan is which task of the stored one. Matched by content,
 * not position, so that a task inserted in the middle does not shift every later task onto its
 * neighbour's history, and a renumbered task keeps its own:
 *
 * 1. the same title (normalised: no spaces or punctuation), the same number first, then the
 *    nearest position;
 * 2. a similar title (character-bigram Dice ≥ MATCH_THRESHOLD), best first; among titles nearly
 *    as alike, the same number and a near position (within ten places) tip the balance;
 * 3. a title rewritten beyond that keeps its task only with the same number, and only between
 *    the same matched neighbours (so order is not scrambled): the re-import then warns about it.
 *
 * Anything left is a task added (new side) or removed (stored side).
 */
export interface MatchableTask {
  number: string;
  title: string;
}

/** A title at least this alike is the same task reworded ("加强计量基础建设" → "加强计量体系建设" ≈ 0.57). */
export const MATCH_THRESHOLD = 0.5;

/** What a same number and a near position add to a title's similarity in step 2. */
const NUMBER_WEIGHT = 0.1;
const NEAR_WEIGHT = 0.1;

const clean = (s: string) => s.replace(/[\s\p{P}\p{S}]/gu, "");

/** "（三）", "(三)", "三、" and " 3." all compare by what is numbered. */
function normalNumber(number: string): string {
  return number.replace(/[\uff10-\uff19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/[\s\p{P}\p{S}]/gu, "");
}

function bigrams(s: string): Map<string, number> {
  const chars = [...clean(s)];
  const grams = chars.length < 2 ? chars : chars.slice(1).map((c, i) => `${chars[i]}${c}`);
  const counts = new Map<string, number>();
  for (const g of grams) counts.set(g, (counts.get(g) ?? 0) + 1);
  return counts;
}

function size(counts: Map<string, number>): number {
  let n = 0;
  for (const c of counts.values()) n += c;
  return n;
}

function dice(x: Map<string, number>, y: Map<string, number>, xSize: number, ySize: number): number {
  if (xSize === 0 && ySize === 0) return 1;
  const [small, large] = x.size <= y.size ? [x, y] : [y, x];
  let common = 0;
  for (const [g, c] of small) common += Math.min(c, large.get(g) ?? 0);
  return (2 * common) / (xSize + ySize);
}

/**
 * How alike two titles are: the Dice coefficient of their character bigrams (0 = nothing in
 * common, 1 = the same), ignoring spaces and punctuation. Chinese titles have no word breaks, so
 * character pairs are the usual cheap measure; a reworded title keeps most of its pairs.
 */
export function titleSimilarity(a: string, b: string): number {
  const x = bigrams(a);
  const y = bigrams(b);
  return dice(x, y, size(x), size(y));
}

/** For each task of `after`, the index of its task in `before`, or null when it is new. */
export function matchTasks(before: readonly MatchableTask[], after: readonly MatchableTask[]): Array<number | null> {
  const result: Array<number | null> = after.map(() => null);
  const taken = new Set<number>();
  const numbers = { before: before.map((t) => normalNumber(t.number)), after: after.map((t) => normalNumber(t.number)) };

  // 1. Same title.
  const byTitle = new Map<string, number[]>();
  before.forEach((t, i) => {
    const key = clean(t.title);
    byTitle.set(key, [...(byTitle.get(key) ?? []), i]);
  });
  after.forEach((t, j) => {
    const candidates = (byTitle.get(clean(t.title)) ?? []).filter((i) => !taken.has(i));
    const best = candidates.sort((a, b) => rank(a, j) - rank(b, j))[0];
    if (best === undefined) return;
    result[j] = best;
    taken.add(best);
  });
  function rank(i: number, j: number): number {
    return (numbers.before[i] === numbers.after[j] ? 0 : 1_000_000) + Math.abs(i - j);
  }

  // 2. Similar title.
  const openBefore = before.map((_, i) => i).filter((i) => !taken.has(i));
  const openAfter = after.map((_, j) => j).filter((j) => result[j] === null);
  if (openBefore.length > 0 && openAfter.length > 0) {
    const grams = new Map(openBefore.map((i) => [i, bigrams(before[i]!.title)]));
    const pairs: Array<{ i: number; j: number; score: number }> = [];
    for (const j of openAfter) {
      const y = bigrams(after[j]!.title);
      const ySize = size(y);
      for (const i of openBefore) {
        const x = grams.get(i)!;
        const similarity = dice(x, y, size(x), ySize);
        if (similarity < MATCH_THRESHOLD) continue;
        pairs.push({ i, j, score: similarity + (numbers.before[i] === numbers.after[j] ? NUMBER_WEIGHT : 0) + NEAR_WEIGHT * Math.max(0, 1 - Math.abs(i - j) / 10) });
      }
    }
    pairs.sort((a, b) => b.score - a.score);
    for (const { i, j } of pairs) {
      if (taken.has(i) || result[j] !== null) continue;
      result[j] = i;
      taken.add(i);
    }
  }

  // 3. Same number between the same matched neighbours.
  after.forEach((_, j) => {
    if (result[j] !== null) return;
    let low = -1;
    for (let p = j - 1; p >= 0; p--) {
      const i = result[p];
      if (i !== null && i !== undefined) {
        low = i;
        break;
      }
    }
    let high = before.length;
    for (let q = j + 1; q < after.length; q++) {
      const i = result[q];
      if (i !== null && i !== undefined) {
        high = i;
        break;
      }
    }
    for (let i = low + 1; i < high; i++) {
      if (!taken.has(i) && numbers.before[i] === numbers.after[j]) {
        result[j] = i;
        taken.add(i);
        return;
      }
    }
  });
  return result;
}
