import type { ParsedReply, ReportStatus } from "./parse-reply.ts";

/**
 * Files a liaison sends are never dropped for what the words with them say. Both the Telegram
 * bot and the text channels (企业微信, 钉钉, 飞书) keep a file that is still waiting for its task
 * or status, and read the next message with it: these are their shared rules.
 */

/** What a reply says, as it is kept while the bot asks about it. */
export interface ReplyFacts {
  status: ReportStatus | null;
  progress: number | null;
  values: Array<{ indicatorId: number; value: number }>;
  note: string | null;
}

/** "完成报送", "跳过": the bot's buttons, typed. They close a step; they say nothing about a task. */
export const FINISH_WORDS = /^(?:完成报送|报送完成|无需补充|不用补充|没有了|finish|that'?s all)$/i;
export const SKIP_WORDS = /^(?:跳过|skip)$/i;

/** The text without the full stop or exclamation mark it may end with. */
export const bareWords = (text: string): string => text.trim().replace(/[。.!！]+$/, "");

/** The questions answered by explaining what to write again, not by asking task or status. */
const EXPLAINED = new Set(["which-indicator", "unknown-indicator", "bare-number", "progress-out-of-range"]);

/** True when the reply is unclear in a way the bot explains (and the liaison writes again). */
export function needsExplaining(parsed: ParsedReply): boolean {
  return parsed.kind === "unclear" && EXPLAINED.has(parsed.question);
}

/**
 * How a message is read when files go with it: its own (`own`, the text is its caption) or files
 * sent before that still wait for their task (`waiting`). `read`: the parser's reading of the
 * text, null when there is none. Without files it is the reading itself.
 *
 * - A report stays a report: the files join what it records.
 * - A caption that is an acknowledgement ("收到"), asks for an extension ("申请延期") or is not
 *   understood becomes the file's note, and the bot asks task and status as for any file.
 * - A message without its own file while files wait: an acknowledgement, "完成报送", "跳过", an
 *   extension request or "nothing" adds no facts (an extension request is kept as the note): the waiting question is
 *   asked again. An unclear value ("60") is explained first (`needsExplaining`); the files wait on.
 */
export function readWithFiles(read: ParsedReply | null, text: string, files: { own: boolean; waiting: boolean }): ParsedReply {
  if (!files.own && !files.waiting) return read ?? { kind: "empty" };
  const words = text.trim() || null;
  const asking = (note: string | null): ParsedReply => ({ kind: "unclear", question: "what-status", partial: { status: null, progress: null, values: [], note } });
  if (!read || read.kind === "empty") return asking(null);
  // "完成报送" is not a report of 已完成 on the task the file waits for.
  if (FINISH_WORDS.test(bareWords(text)) || SKIP_WORDS.test(bareWords(text))) return asking(files.own ? words : null);
  switch (read.kind) {
    case "report":
      return read;
    case "ack":
      return asking(files.own ? words : null);
    case "extension":
      return asking(words);
    case "unclear":
      if (needsExplaining(read) && !files.own) return read;
      // The words are kept whole as the note (what was understood of them is kept too).
      return { ...read, question: read.question === "conflicting-status" ? "conflicting-status" : "what-status", partial: { ...read.partial, status: null, note: words } };
  }
}

/** True when the reply adds a status, a progress or a value. */
export function hasFacts(facts: ReplyFacts): boolean {
  return facts.status !== null || facts.progress !== null || facts.values.length > 0;
}

/**
 * What waited (the files and words of an earlier message whose task or status the bot asked)
 * joined with the next message. The newest statement wins: when the new message says a status,
 * a progress or a value, its facts replace the waiting ones; else the waiting facts stand. Notes
 * are both kept, oldest first. The callers put the waiting files before the new ones.
 */
export function joinWaiting(waiting: ReplyFacts | null, fresh: ReplyFacts): ReplyFacts {
  if (!waiting) return fresh;
  const facts = hasFacts(fresh) ? fresh : waiting;
  const notes = [...new Set([waiting.note, fresh.note].filter((n): n is string => !!n && n.trim() !== ""))];
  return { status: facts.status, progress: facts.progress, values: facts.values.map((v) => ({ indicatorId: v.indicatorId, value: v.value })), note: notes.length > 0 ? notes.join("\n") : null };
}
