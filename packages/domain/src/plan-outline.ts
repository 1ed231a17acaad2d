/**
 * The document's numbered structure and where its tasks are.
 *
 * Lines become blocks (a numbering marker, or a continuation line); blocks become a tree by
 * order of appearance: a marker kind not seen yet opens a deeper level, a kind seen before
 * closes back to its level. No fixed rank of 一、/（一）/1./（1） is assumed.
 *
 * Tasks are looked for in the 主要任务/重点任务/工作任务… section when the document has one
 * (up to the next heading of the same rank), otherwise in the whole body. Within that region
 * the task level is the marker kind that most often carries its own responsible units; a
 * task's group is its parent item, or an implicit group when it has none. Outside an explicit
 * task section, sections whose items assign nobody (指导思想, 保障措施…) are not task groups.
 */
import { hasAssignmentMarkup } from "./plan-assignments.ts";
import { failAt } from "./plan-error.ts";
import { findInlineShi, type Marker, type MarkerKind, readMarker } from "./plan-numbering.ts";
import type { SourceLine } from "./plan-text.ts";

export interface Block {
  line: number;
  /** The whole (space-cleaned) line or inline segment, marker included. */
  text: string;
  marker: Marker | null;
}

export interface OutlineNode {
  marker: Marker;
  line: number;
  /** The marker's block first, then its unmarked continuation lines. */
  blocks: Block[];
  children: OutlineNode[];
  parent: OutlineNode | null;
}

export interface OutlineGroup {
  /** Null for the implicit group of tasks that have no parent item. */
  node: OutlineNode | null;
  tasks: OutlineNode[];
}

export interface Outline {
  /** Title of the task section ("主要任务"), or null when tasks were found without one. */
  sectionTitle: string | null;
  groups: OutlineGroup[];
}

const TASK_SECTION_RE =
  /(主要|重点|工作|具体|核心|试点|改革)任务|任务(分工|安排|清单)|重点工作|主要工作|工作(重点|措施|内容)|主要措施|重点措施|具体措施|主要举措|重点举措|实施内容|行动内容|重点行动|主要内容|重点工程|主要工程|重点项目/;
const NON_TASK_SECTION_RE =
  /^(保障措施|组织保障|组织实施|组织领导|工作要求|工作步骤|实施步骤|方法和?步骤|进度安排|时间安排|实施安排|步骤安排|有关要求|其他事项|附则|工作保障|督促检查|督查考核|考核评估|监督考核)/;
/** Lines that close the document body: the distribution list of the official layout. */
const TRAILER_RE = /^(抄送|抄报)\s*[:：]/;

/** The text of a node's own lines, without its marker and without its children. */
export function ownText(node: OutlineNode): string {
  return [node.marker.rest, ...node.blocks.slice(1).map((b) => b.text)].join("\n");
}

/** Every line of a node and its descendants, markers included. */
function fullPieces(node: OutlineNode): SourceLine[] {
  return [...node.blocks.map((b) => ({ line: b.line, text: b.text })), ...node.children.flatMap(fullPieces)];
}

/** The lines of a node and its descendants; the node's own marker is left out (sub-items keep theirs). */
export function subtreePieces(node: OutlineNode): SourceLine[] {
  return [
    { line: node.line, text: node.marker.rest },
    ...node.blocks.slice(1).map((b) => ({ line: b.line, text: b.text })),
    ...node.children.flatMap(fullPieces),
  ];
}

function headingText(block: Block): string {
  return (block.marker ? block.marker.rest : block.text).replace(/[。：:.\s]+$/, "");
}

/** An item's first sentence, for error messages. */
function itemTitle(node: OutlineNode): string {
  return node.marker.rest.split(/[。！？]/)[0]?.trim() ?? "";
}

/**
 * "（一）加强X。一是…（A负责）；二是…（B负责）": an inline 一是/二是 enumeration becomes separate
 * items, but only when every item assigns its own units; otherwise it is ordinary prose.
 */
function splitInlineShi(block: Block): Block[] {
  const marker = block.marker;
  const content = marker ? marker.rest : block.text;
  const ownShi = marker?.kind === "cn-shi";
  const hits = findInlineShi(content, ownShi ? (marker.ordinal ?? 0) + 1 : 1);
  const first = hits[0];
  if (!first || (!ownShi && hits.length < 2)) return [block];
  const segments = hits.map((hit, i) => content.slice(hit.offset, hits[i + 1]?.offset ?? content.length).trim());
  const head = content.slice(0, first.offset).trim();
  const assigned = [...(ownShi ? [head] : []), ...segments].every((s) => hasAssignmentMarkup(s));
  if (!assigned) return [block];
  const prefix = block.text.slice(0, block.text.length - content.length);
  const out: Block[] = [];
  if (head !== "") out.push({ line: block.line, text: prefix + head, marker: marker ? { ...marker, rest: head } : null });
  for (const segment of segments) out.push({ line: block.line, text: segment, marker: readMarker(segment) });
  return out;
}

export function toBlocks(lines: SourceLine[]): Block[] {
  const blocks: Block[] = [];
  for (const l of lines) {
    if (l.text === "") continue;
    if (TRAILER_RE.test(l.text)) break;
    blocks.push(...splitInlineShi({ line: l.line, text: l.text, marker: readMarker(l.text) }));
  }
  return blocks;
}

function buildTree(blocks: Block[]): OutlineNode[] {
  const roots: OutlineNode[] = [];
  const stack: OutlineNode[] = [];
  for (const block of blocks) {
    if (!block.marker) {
      stack[stack.length - 1]?.blocks.push(block);
      continue;
    }
    const kind = block.marker.kind;
    const level = stack.findIndex((n) => n.marker.kind === kind);
    if (level >= 0) stack.length = level;
    const parent = stack[stack.length - 1] ?? null;
    const node: OutlineNode = { marker: block.marker, line: block.line, blocks: [block], children: [], parent };
    (parent ? parent.children : roots).push(node);
    stack.push(node);
  }
  return roots;
}

function flatten(nodes: OutlineNode[]): OutlineNode[] {
  return nodes.flatMap((n) => [n, ...flatten(n.children)]);
}

function hasDescendantOfKind(node: OutlineNode, kind: MarkerKind): boolean {
  return node.children.some((c) => c.marker.kind === kind || hasDescendantOfKind(c, kind));
}

/**
 * The kind whose items most often assign units themselves. On a tie the kind seen later (the
 * deeper one) wins: units on a heading may stand for its items, units on an item never stand
 * for its heading.
 */
function taskKindOf(nodes: OutlineNode[], assigned: Set<OutlineNode>): MarkerKind | null {
  const counts = new Map<MarkerKind, number>();
  for (const n of nodes) if (assigned.has(n)) counts.set(n.marker.kind, (counts.get(n.marker.kind) ?? 0) + 1);
  let best: MarkerKind | null = null;
  for (const n of nodes) {
    const count = counts.get(n.marker.kind) ?? 0;
    if (count > 0 && (best === null || count >= (counts.get(best) ?? 0))) best = n.marker.kind;
  }
  return best;
}

/**
 * "1.…（牵头单位：X）  2.…（牵头单位：Y）  3.…（牵头单位：Z） （1）…（责任单位：W）": the deeper
 * kind may assign units as often as the numbered items, but those items are tasks, not headings:
 * a heading is never a leaf, and most of these items name units and some have no sub-items at all.
 * Then the outer kind is the task level and the deeper items are sub-items of its tasks.
 */
function liftToTaskItems(nodes: OutlineNode[], assigned: Set<OutlineNode>, kind: MarkerKind | null): MarkerKind | null {
  if (kind === null) return null;
  const outerKinds: MarkerKind[] = [];
  for (const n of nodes) {
    if (n.marker.kind !== kind) continue;
    for (let p = n.parent; p; p = p.parent) if (!outerKinds.includes(p.marker.kind)) outerKinds.push(p.marker.kind);
  }
  const byDepth = outerKinds.sort((a, b) => nodes.findIndex((n) => n.marker.kind === a) - nodes.findIndex((n) => n.marker.kind === b)).reverse();
  for (const outer of byDepth) {
    const items = nodes.filter((n) => n.marker.kind === outer);
    const withUnits = items.filter((n) => assigned.has(n));
    const leafTasks = withUnits.filter((n) => !hasDescendantOfKind(n, kind));
    if (withUnits.length * 2 > items.length && leafTasks.length > 0 && items.some((n) => hasDescendantOfKind(n, kind))) return outer;
  }
  return kind;
}

type Selection = { kind: "tasks"; groups: OutlineGroup[]; assigned: boolean } | { kind: "unassigned"; firstItem: OutlineNode | null };

/**
 * Picks tasks and groups in a region. With `explicit` (a named task section) every group must
 * hold tasks; otherwise a group only counts when some of its tasks name responsible units.
 */
function selectTasks(blocks: Block[], explicit: boolean): Selection {
  const roots = buildTree(blocks);
  const nodes = flatten(roots);
  const assigned = new Set(nodes.filter((n) => hasAssignmentMarkup(ownText(n))));
  // A named task section whose items assign nobody still holds tasks: the office assigns them.
  const taskKind = liftToTaskItems(nodes, assigned, taskKindOf(nodes, assigned)) ?? (explicit ? unassignedTaskKind(roots) : null);
  if (taskKind === null) return { kind: "unassigned", firstItem: firstLeafish(roots) };

  const byParent = new Map<OutlineNode | null, OutlineNode[]>();
  for (const n of nodes) {
    if (n.marker.kind !== taskKind || (isClosingProvision(n) && !assigned.has(n))) continue;
    const list = byParent.get(n.parent) ?? [];
    list.push(n);
    byParent.set(n.parent, list);
  }
  const groups: OutlineGroup[] = [];
  for (const [parent, tasks] of byParent) {
    const assigns = tasks.some((t) => subtreeAssigns(t, assigned)) || (parent !== null && assigned.has(parent));
    if (explicit || assigns) groups.push({ node: parent, tasks });
  }
  if (explicit) rejectEmptyGroups(roots, groups, taskKind);
  return { kind: "tasks", groups, assigned: assigned.size > 0 };
}

/** "本措施自印发之日起施行" / "本方案由市发展改革委负责解释": the closing article of a document, not a task. */
const CLOSING_PROVISION_RE = /^本(?:方案|措施|意见|办法|细则|规定|计划|通知|若干措施)[^。]{0,30}(?:施行|起实施|有效期|负责解释)/;

function isClosingProvision(node: OutlineNode): boolean {
  return node.children.length === 0 && CLOSING_PROVISION_RE.test(node.marker.rest.trim());
}

function subtreeAssigns(node: OutlineNode, assigned: Set<OutlineNode>): boolean {
  return assigned.has(node) || node.children.some((c) => subtreeAssigns(c, assigned));
}

/** In a task section, a heading at the level of the groups must have tasks under it. */
function rejectEmptyGroups(roots: OutlineNode[], groups: OutlineGroup[], taskKind: MarkerKind): void {
  for (const group of groups) {
    const parent = group.node;
    if (!parent) continue;
    const siblings = parent.parent ? parent.parent.children : roots;
    for (const sibling of siblings) {
      if (sibling.marker.kind === parent.marker.kind && !hasDescendantOfKind(sibling, taskKind)) {
        failAt(sibling.line, `分组“${itemTitle(sibling)}”下没有找到编号任务`);
      }
    }
  }
}

/** In a task section without units: the items under its headings, or its top items when flat. */
function unassignedTaskKind(roots: OutlineNode[]): MarkerKind | null {
  const withChildren = roots.find((r) => r.children.length > 0);
  if (withChildren && roots.every((r) => r.children.length > 0)) return withChildren.children[0]?.marker.kind ?? null;
  return roots[0]?.marker.kind ?? null;
}

/** For an error about a section without units: its first item at the level tasks would be. */
function firstLeafish(roots: OutlineNode[]): OutlineNode | null {
  const first = roots[0];
  if (!first) return null;
  const withChildren = roots.find((r) => r.children.length > 0);
  return withChildren?.children[0] ?? first;
}

function isTaskSectionHeading(block: Block): boolean {
  const kind = block.marker?.kind;
  if (kind !== undefined && kind !== "chapter" && kind !== "cn-dun") return false;
  const text = headingText(block);
  return text.length <= 20 && TASK_SECTION_RE.test(text);
}

/** Blocks of the section opened by `blocks[at]`: up to the next heading of the same rank. */
function sectionAt(blocks: Block[], at: number): Block[] {
  const heading = blocks[at] ?? null;
  const kind = heading?.marker?.kind ?? null;
  let end = blocks.length;
  let topKind: MarkerKind | null = null;
  for (let i = at + 1; i < blocks.length; i++) {
    const b = blocks[i];
    if (!b) break;
    const k = b.marker?.kind ?? null;
    topKind ??= k;
    const sameRank = kind !== null ? k === kind || (kind === "cn-dun" && k === "chapter") : false;
    // An unnumbered heading has no rank: its section ends at the next known section heading.
    const nextSection =
      kind === null && (k === null || k === topKind) && headingText(b).length <= 20 && (NON_TASK_SECTION_RE.test(headingText(b)) || (k === null && isTaskSectionHeading(b)));
    if (sameRank || nextSection) {
      end = i;
      break;
    }
  }
  return blocks.slice(at + 1, end);
}

/**
 * Whether headings of the same rank as blocks[start] (other than it and 保障措施-like ones) hold
 * items that assign units: then the heading is one group among several, not the task section.
 */
function otherSectionsAssign(blocks: Block[], start: number, end: number): boolean {
  const kind = blocks[start]?.marker?.kind;
  const from = blocks.findIndex((b) => b.marker?.kind === kind);
  const kept: Block[] = [];
  let skipping = false;
  for (let i = from; i < blocks.length; i++) {
    const b = blocks[i];
    if (!b || (i >= start && i < end)) continue;
    if (b.marker?.kind === kind) skipping = NON_TASK_SECTION_RE.test(headingText(b));
    if (!skipping) kept.push(b);
  }
  const selection = selectTasks(kept, false);
  return selection.kind === "tasks" && selection.groups.length > 0;
}

/**
 * A document that assigns nobody anywhere: its task section's items are tasks, and so are the
 * items of the sections of the same rank after it (工作进度, 保障措施 …), up to the first such
 * heading with no items under it. The office assigns every unit.
 */
function unassignedTasks(blocks: Block[], section: { at: number; title: string; groups: OutlineGroup[] }): Outline {
  const kind = blocks[section.at]?.marker?.kind;
  const plain: Outline = { sectionTitle: section.title, groups: section.groups };
  if (kind === undefined) return plain;
  let end = section.at;
  for (let i = section.at; i < blocks.length; ) {
    const own = sectionAt(blocks, i);
    if (!own.some((b) => b.marker !== null)) break;
    end = i + 1 + own.length;
    i = end;
    if (blocks[i]?.marker?.kind !== kind) break;
  }
  if (end === section.at + 1 + sectionAt(blocks, section.at).length) return plain;
  try {
    const wider = selectTasks(blocks.slice(section.at, end), true);
    return wider.kind === "tasks" && wider.groups.length > 1 ? { sectionTitle: null, groups: wider.groups } : plain;
  } catch {
    return plain;
  }
}

/** Finds the tasks of a document body; throws PlanParseError when there are none to find. */
export function locateTasks(blocks: Block[], firstLine: number): Outline {
  let unassigned: OutlineNode | null = null;
  let unassignedSection: { at: number; title: string; groups: OutlineGroup[] } | null = null;
  // "一、…重点工作 二、…重点工作": when items under other headings of its rank assign units too, a
  // heading is one group among several, not the document's task section. Asked once per rank.
  const groupRanks = new Map<MarkerKind, boolean>();
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i];
    if (!block || !isTaskSectionHeading(block)) continue;
    const section = sectionAt(blocks, i);
    const kind = block.marker?.kind;
    if (kind !== undefined) {
      if (!groupRanks.has(kind)) groupRanks.set(kind, otherSectionsAssign(blocks, i, i + 1 + section.length));
      if (groupRanks.get(kind)) continue;
    }
    const selection = selectTasks(section, true);
    if (selection.kind === "tasks" && selection.assigned) return { sectionTitle: headingText(block), groups: selection.groups };
    if (selection.kind === "tasks") unassignedSection ??= { at: i, title: headingText(block), groups: selection.groups };
    else unassigned ??= selection.firstItem;
  }
  const selection = selectTasks(blocks, false);
  if (selection.kind === "tasks" && selection.groups.length > 0) return { sectionTitle: null, groups: selection.groups };
  if (unassignedSection) return unassignedTasks(blocks, unassignedSection);
  if (unassigned) failAt(unassigned.line, `任务“${itemTitle(unassigned)}”没有找到责任单位`);
  return failAt(firstLine, "没有找到编号任务：文中既没有写明责任单位的编号条目（如“1.……（责任单位：……）”），也没有可识别的“主要任务/重点任务”部分");
}
