import { z } from "zod";
import type { Db } from "@duban/db/client";
import { fitNote, NOTE_ECHO_LENGTH, NOTE_MAX_LENGTH } from "@duban/domain/note-limit";
import { extensionRequestOf, parseReply, reportStatusSchema, type ParsedReply, type ReportStatus } from "@duban/domain/parse-reply";
import { bareWords, FINISH_WORDS, hasFacts, joinWaiting, needsExplaining, readWithFiles, SKIP_WORDS } from "@duban/domain/waiting-files";
import type { WorkingHours } from "@duban/domain/working-hours";
import { roundForUnit, setContactLanguage, taskIndicators, taskLabel, unitTasks, type OpenRound, type UnitTask } from "../units/contact-queries.ts";
import { ExtensionRequestError, requestExtension } from "../submissions/request-extension.ts";
import { amendStatusUpdate, lastReportedStatus, recordStatus, RecordStatusError, type AttachmentInput, type RecordedStatus } from "../submissions/record-status.ts";
import type { Channel } from "./messenger.ts";
import { applyCardAction, stepKey, type ActionOutcome, type CardAction } from "./liaison-actions.ts";
import { bracketed, formatDate, formatDateTime, formatValue, languageOf, LIGHT_ICON, recordedText, roundWhat, shorten, TEXTS, type Language } from "./liaison-texts.ts";

/**
 * The liaison's conversation on a channel whose messages are text (企业微信, 钉钉, 飞书), written
 * once: the Telegram bot's flows (apps/bot/src/flows.ts) with its buttons turned into short
 * replies — "任务" lists the unit's tasks, "帮助" explains, "English"/"中文" switches language,
 * free text is read by the domain's reply parser ("完成80%", "受检率96.5%", a status word, a
 * note), "申请延期，理由" asks for more time, a picture or file is kept with the report. Where
 * the bot shows buttons to choose a task or a round, this asks for a number. Adapters call
 * `converse` (a text or a file) and `tapCard` (a card's button) and send back what they return.
 */

/** Files from channels are copied at receipt (企业微信 keeps a MediaId for 3 days); at most this many bytes. */
export const CHANNEL_FILE_MAX_BYTES = 10 * 1024 * 1024;

export interface ChannelFile {
  kind: "photo" | "document";
  /** `<channel>:<the platform's media id>`, kept for the record. */
  ref: string;
  fileName: string | null;
  mimeType: string | null;
  content: Uint8Array<ArrayBuffer>;
}

export interface LiaisonMessage {
  text: string;
  file?: ChannelFile | null;
  /** The channel could not hand over the file the liaison sent: say so, record nothing. */
  fileProblem?: "too-large" | "unavailable" | "unsupported" | null;
}

export interface Liaison {
  channel: Channel;
  externalId: string;
  contactId: number;
  now: Date;
  workingHours?: WorkingHours;
}

// --- the step the conversation waits in ---------------------------------------------------

const pendingSchema = z.object({
  status: reportStatusSchema.nullable(),
  progress: z.number().nullable(),
  values: z.array(z.object({ indicatorId: z.number().int(), value: z.number() })),
  note: z.string().nullable(),
  /** A file waiting for its task: content as base64 (at most CHANNEL_FILE_MAX_BYTES). */
  files: z.array(z.object({ kind: z.enum(["photo", "document"]), ref: z.string(), fileName: z.string().nullable(), mimeType: z.string().nullable(), base64: z.string() })),
});
type Pending = z.infer<typeof pendingSchema>;

const optionSchema = z.object({ taskId: z.number().int().positive(), roundId: z.number().int().positive().nullable().optional() });

/**
 * Kept under the same key as liaison-actions' steps ("progress" after a 推进中 tap,
 * "extension-reason" after 申请延期), so a tap and the text that follows meet.
 */
const stepSchema = z.discriminatedUnion("step", [
  z.object({ step: z.literal("progress"), statusUpdateId: z.number().int().positive(), submitted: z.boolean().optional() }),
  z.object({ step: z.literal("details"), statusUpdateId: z.number().int().positive(), submitted: z.boolean().optional() }),
  z.object({ step: z.literal("extension-reason"), roundId: z.number().int().positive() }),
  z.object({ step: z.literal("pick"), purpose: z.enum(["report", "extension"]), options: z.array(optionSchema).min(1).max(30), pending: pendingSchema.nullable(), reason: z.string().nullable().optional() }),
  z.object({ step: z.literal("status"), taskId: z.number().int().positive(), roundId: z.number().int().positive().nullable(), pending: pendingSchema }),
]);
type Step = z.infer<typeof stepSchema>;

async function readStep(db: Db, who: Liaison): Promise<Step | null> {
  const row = await db.botSession.findUnique({ where: { key: stepKey(who.channel, who.externalId) } });
  if (!row) return null;
  try {
    return stepSchema.safeParse(JSON.parse(row.value)).data ?? null;
  } catch {
    return null;
  }
}

async function writeStep(db: Db, who: Liaison, step: Step | null): Promise<void> {
  const key = stepKey(who.channel, who.externalId);
  if (step === null) await db.botSession.deleteMany({ where: { key } });
  else await db.botSession.upsert({ where: { key }, create: { key, value: JSON.stringify(step) }, update: { value: JSON.stringify(step) } });
}

const emptyPending = (): Pending => ({ status: null, progress: null, values: [], note: null, files: [] });
const hasContent = (p: Pending | null): p is Pending => !!p && (p.status !== null || p.progress !== null || p.values.length > 0 || p.note !== null || p.files.length > 0);
const filePending = (file: ChannelFile) => ({ kind: file.kind, ref: file.ref, fileName: file.fileName, mimeType: file.mimeType, base64: Buffer.from(file.content).toString("base64") });

function attachmentsOf(pending: Pending | null): AttachmentInput[] {
  return (pending?.files ?? []).map((f) => {
    const content = new Uint8Array(Buffer.from(f.base64, "base64"));
    return { kind: f.kind, telegramFileId: f.ref, fileName: f.fileName, mimeType: f.mimeType, size: content.byteLength, content };
  });
}

// --- what the liaison may say besides a report ---------------------------------------------

const COMMANDS: Array<{ command: "help" | "tasks" | "zh" | "en" | "finish" | "skip"; pattern: RegExp }> = [
  { command: "help", pattern: /^(?:\/?help|帮助|使用说明|说明|[?？])$/i },
  { command: "tasks", pattern: /^(?:\/?tasks|任务|我的任务|任务列表|本单位任务|查看任务)$/i },
  { command: "en", pattern: /^(?:english|英文|lang(?:uage)?\s*en)$/i },
  { command: "zh", pattern: /^(?:中文|chinese|简体中文|lang(?:uage)?\s*zh)$/i },
  { command: "finish", pattern: FINISH_WORDS },
  { command: "skip", pattern: SKIP_WORDS },
];

const commandOf = (text: string) => COMMANDS.find((c) => c.pattern.test(bareWords(text)))?.command ?? null;

interface Ctx {
  db: Db;
  who: Liaison;
  lang: Language;
  t: (typeof TEXTS)["zh"];
  contact: { id: number; unitId: number; role: string; unitName: string };
}

async function context(db: Db, who: Liaison): Promise<Ctx | null> {
  const contact = await db.contact.findUnique({ where: { id: who.contactId }, select: { id: true, unitId: true, role: true, language: true, status: true, unit: { select: { name: true } } } });
  if (!contact || contact.status === "revoked") return null;
  const lang = languageOf(contact.language);
  return { db, who, lang, t: TEXTS[lang], contact: { id: contact.id, unitId: contact.unitId, role: contact.role, unitName: contact.unit.name } };
}

/** A text or a file from the liaison; returns the reply to send. */
export async function converse(db: Db, who: Liaison, message: LiaisonMessage): Promise<string> {
  const ctx = await context(db, who);
  if (!ctx) return TEXTS.zh.contactInactive;
  const { t } = ctx;
  if (message.fileProblem) {
    return message.fileProblem === "too-large" ? t.fileTooLarge(CHANNEL_FILE_MAX_BYTES / 1024 / 1024) : message.fileProblem === "unavailable" ? t.fileUnavailable : t.fileType;
  }
  const text = message.text;
  const file = message.file ?? null;
  const command = file ? null : commandOf(text);
  const step = await readStep(db, who);
  // What an earlier message left waiting for its task, round or status (a file above all): it
  // joins this message, whatever it is, and is never dropped for it.
  const waiting = waitingOf(step);
  const keptNote = (reply: string) => (waiting && waiting.pending.files.length > 0 ? `${reply}\n\n${t.filesWaiting(waiting.pending.files.length)}` : reply);

  if (command === "help") {
    if (!waiting) await writeStep(db, who, null);
    const help = t.help.replace("{max}", String(CHANNEL_FILE_MAX_BYTES / 1024 / 1024));
    return keptNote(ctx.contact.role === "head" ? `${help}\n\n${t.helpHead}` : help);
  }
  if (command === "tasks") {
    if (!waiting) await writeStep(db, who, null);
    return keptNote(await taskListText(ctx));
  }
  if (command === "en" || command === "zh") {
    await setContactLanguage(db, { contactId: ctx.contact.id, language: command, now: who.now });
    return TEXTS[command].langSet;
  }

  try {
    if (step?.step === "progress" || step?.step === "details") {
      if (command === "finish" || (command === "skip" && step.step === "progress")) {
        await writeStep(db, who, step.step === "progress" ? { step: "details", statusUpdateId: step.statusUpdateId, ...(step.submitted !== undefined ? { submitted: step.submitted } : {}) } : null);
        return command === "skip" ? `${t.skipped}\n${t.askDetails}` : t.finished;
      }
      return await addDetails(ctx, step, text, file);
    }
    if (step?.step === "extension-reason") {
      if (!file) return await submitExtension(ctx, step.roundId, text);
      // A reason is text; the file is not dropped for that: it is filed with the task the
      // extension was for (status asked as for any file), and no request is sent without words.
      const round = await roundForUnit(db, { roundId: step.roundId, unitId: ctx.contact.unitId, lang: ctx.lang });
      await writeStep(db, who, null);
      return `${t.extensionFileKept}\n${await freeReply(ctx, text, file, null, round ? { taskId: round.taskId, roundId: step.roundId } : null)}`;
    }
    if (step?.step === "pick") {
      const choice = /^\s*(\d{1,2})\s*$/.exec(text);
      if (choice && !file) {
        const option = step.options[Number(choice[1]) - 1];
        // A number not in the list: the list stands, with what waits for it.
        if (!option) return keptNote(t.pickNumber(step.options.length));
        await writeStep(db, who, null);
        if (step.purpose === "extension") return await extensionFor(ctx, option.roundId ?? null, step.reason ?? null);
        if (option.roundId !== undefined) return await proceedWithTarget(ctx, { taskId: option.taskId, roundId: option.roundId }, step.pending);
        return await proceedWithTask(ctx, option.taskId, step.pending);
      }
      // Anything else is a new message: the question is dropped, what waited for it joins the message.
    }
    if (step?.step === "status" && !file) {
      const status = statusWord(text);
      if (status) return await proceedWithTarget(ctx, { taskId: step.taskId, roundId: step.roundId }, { ...step.pending, status });
    }
    if (waiting) return await freeReply(ctx, text, file, waiting);
    await writeStep(db, who, null);
    // "完成报送" with nothing open is not a report of 已完成 on some task.
    if (command === "finish" || command === "skip") return t.ackNoted;
    return await freeReply(ctx, text, file);
  } catch (error) {
    if (error instanceof RecordStatusError) {
      await writeStep(db, who, null);
      return error.code === "contact-inactive" ? t.contactInactive : t.notYourTask;
    }
    throw error;
  }
}

/** What a step keeps from an earlier message while the bot asks which task, round or status; null when nothing. */
interface Waiting {
  pending: Pending;
  /** The task the question was about, when one. */
  taskId: number | null;
  /** Its round, when known (undefined: the round is being asked). */
  roundId?: number | null;
}

function waitingOf(step: Step | null): Waiting | null {
  if (step?.step === "status") return hasContent(step.pending) ? { pending: step.pending, taskId: step.taskId, roundId: step.roundId } : null;
  if (step?.step !== "pick" || step.purpose !== "report" || !hasContent(step.pending)) return null;
  // The rounds of one task, or tasks to choose from.
  const tasks = new Set(step.options.map((o) => o.taskId));
  return { pending: step.pending, taskId: tasks.size === 1 ? step.options[0]!.taskId : null };
}

/** "已完成", "推进中", "有困难", "未开始" (or the English words): the answer to "what status?". */
function statusWord(text: string): ReportStatus | null {
  const words: Record<string, ReportStatus> = { 已完成: "done", 完成: "done", done: "done", 推进中: "in_progress", "in progress": "in_progress", 有困难: "blocked", blocked: "blocked", 未开始: "not_started", "not started": "not_started" };
  return words[text.trim().toLowerCase().replace(/[。.!！]+$/, "")] ?? null;
}

// --- /tasks --------------------------------------------------------------------------------

async function taskListText(ctx: Ctx): Promise<string> {
  const { t, lang, who } = ctx;
  const list = await unitTasks(ctx.db, { unitId: ctx.contact.unitId, now: who.now, lang });
  if (list.length === 0) return t.tasksEmpty;
  // As the bot's /tasks: grouped under each plan's short title when the unit works in several.
  const plans = new Set(list.map((task) => task.planId));
  const body: string[] = [];
  for (const [index, task] of list.entries()) {
    if (plans.size > 1 && task.planId !== list[index - 1]?.planId) {
      if (index > 0) body.push("");
      body.push(t.tasksPlan(task.planTitle));
    }
    body.push(taskLine(ctx, task));
  }
  return [t.tasksTitle(ctx.contact.unitName, list.length), "", ...body, "", t.tasksHint].join("\n");
}

function taskLine(ctx: Ctx, task: UnitTask): string {
  const { t, lang, who } = ctx;
  const state = task.status ? t.lineReported(`${t.status[task.status]}${task.progress !== null ? ` ${task.progress}%` : ""}`) : t.lineNotReported;
  const due = !task.next ? t.lineClear : task.next.dueAt < who.now ? t.lineOverdue(formatDate(task.next.dueAt, lang, who.now)) : t.lineDue(formatDate(task.next.dueAt, lang, who.now));
  return `${LIGHT_ICON[task.light]} ${t.taskHeading(task.number, shorten(task.title, 20), bracketed(t.role[task.role], lang))}\n      ${state} · ${due}`;
}

// --- a report in free text -----------------------------------------------------------------

/**
 * A message read on its own: a report in free text. What waited from an earlier message
 * (`waiting`) joins it, as in the Telegram bot; `target`: the task and round it is about, when known.
 */
async function freeReply(ctx: Ctx, text: string, file: ChannelFile | null, waiting: Waiting | null = null, target: { taskId: number; roundId: number | null } | null = null): Promise<string> {
  const { db, who, t, lang } = ctx;
  const files = { own: file !== null, waiting: waiting !== null };
  if (!files.own && !files.waiting && extensionRequestOf(text)) return startExtension(ctx, [], extensionRequestOf(text)!.reason);
  const tasks = await unitTasks(db, { unitId: ctx.contact.unitId, now: who.now, lang });
  const indicators = await taskIndicators(db, tasks.map((task) => task.taskId));
  const parsed = readWithFiles(text.trim() ? parseReply(text, { indicators }) : null, text, files);
  if (parsed.kind === "unclear" && needsExplaining(parsed)) {
    // Without a file of its own: explained, and what waits keeps waiting (the step stays).
    const explained = explainUnclear(ctx, parsed, indicators)!;
    return waiting && waiting.pending.files.length > 0 ? `${explained}\n\n${t.filesWaiting(waiting.pending.files.length)}` : explained;
  }
  if (waiting) await writeStep(db, who, null);
  if (parsed.kind === "ack") return t.ackNoted;
  if (parsed.kind === "extension") return startExtension(ctx, [], parsed.reason);
  if (parsed.kind === "empty") return t.unclearEmpty;
  const facts = parsed.kind === "report" ? parsed : { ...parsed.partial, status: null };
  const fresh: Pending = {
    status: facts.status,
    progress: facts.progress,
    values: facts.values.map((v) => ({ indicatorId: v.indicatorId, value: v.value })),
    note: facts.note,
    files: file ? [filePending(file)] : [],
  };
  const pending: Pending = waiting ? { ...joinWaiting(waiting.pending, fresh), files: [...waiting.pending.files, ...fresh.files] } : fresh;
  // Nothing new came with the waiting files ("收到", "完成报送"): say they are not recorded yet.
  const lead = waiting && waiting.pending.files.length > 0 && !file && !hasFacts(fresh) && fresh.note === null ? `${t.filesWaiting(waiting.pending.files.length)}\n` : "";
  const conflicting = parsed.kind === "unclear" && parsed.question === "conflicting-status";
  if (target) return lead + (await proceedWithTarget(ctx, target, pending, conflicting));
  if (tasks.length === 0) return t.noTasks;
  const taskOfIndicator = new Map(indicators.map((i) => [i.id, i.taskId]));
  const named = [...new Set(pending.values.map((v) => taskOfIndicator.get(v.indicatorId)!))];
  // The task the waiting question was about, unless this message names another by its values.
  if (named.length === 0 && waiting?.taskId != null) {
    const reply = waiting.roundId !== undefined ? await proceedWithTarget(ctx, { taskId: waiting.taskId, roundId: waiting.roundId }, pending, conflicting) : await proceedWithTask(ctx, waiting.taskId, pending, conflicting);
    return lead + reply;
  }
  const candidates = named.length > 0 ? tasks.filter((task) => named.includes(task.taskId)) : tasks;
  if (candidates.length === 1) return lead + (await proceedWithTask(ctx, candidates[0]!.taskId, pending, conflicting));
  await writeStep(db, who, { step: "pick", purpose: "report", options: candidates.slice(0, 30).map((task) => ({ taskId: task.taskId })), pending });
  return lead + [t.pickTask, ...candidates.slice(0, 30).map((task, i) => `${i + 1}. ${t.taskHeading(task.number, shorten(task.title, 20), "")}`)].join("\n");
}

function explainUnclear(ctx: Ctx, parsed: Extract<ParsedReply, { kind: "unclear" }>, indicators: ReadonlyArray<{ name: string }>): string | null {
  const { t } = ctx;
  switch (parsed.question) {
    case "which-indicator":
      return [t.whichIndicator(parsed.subject ?? ""), ...(parsed.candidates ?? []).map((c) => `· ${c.name}`)].join("\n");
    case "unknown-indicator": {
      const names = [...new Set(indicators.map((i) => i.name))];
      return [t.unknownIndicator(parsed.subject ?? ""), ...(names.length > 0 ? [t.indicatorsOfTask, ...names.map((n) => `· ${n}`)] : [])].join("\n");
    }
    case "bare-number":
      return t.bareNumber(formatValue(parsed.value ?? 0, null));
    case "progress-out-of-range":
      return t.progressRange;
    case "what-status":
    case "conflicting-status":
      return null;
  }
}

/** The round a reply about a task answers: of each deadline the oldest owed; several → the liaison picks. */
async function proceedWithTask(ctx: Ctx, taskId: number, pending: Pending | null, conflicting = false): Promise<string> {
  const { db, who, t, lang } = ctx;
  const [task] = await unitTasks(db, { unitId: ctx.contact.unitId, now: who.now, lang, taskId });
  if (!task) return t.notYourTask;
  const oldestPerDeadline = [...new Map([...task.pending].reverse().map((r) => [r.deadlineId, r])).values()].sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
  if (oldestPerDeadline.length > 1) {
    await writeStep(db, who, { step: "pick", purpose: "report", options: oldestPerDeadline.map((r) => ({ taskId, roundId: r.roundId })), pending });
    return [t.taskHeading(task.number, task.title, ""), t.pickRound, ...oldestPerDeadline.map((r, i) => `${i + 1}. ${roundLabel(ctx, r)}`)].join("\n");
  }
  return proceedWithTarget(ctx, { taskId, roundId: oldestPerDeadline[0]?.roundId ?? task.latest?.roundId ?? null }, pending, conflicting);
}

const roundLabel = (ctx: Ctx, r: OpenRound) => `${roundWhat(r, ctx.lang)} · ${formatDate(r.dueAt, ctx.lang, ctx.who.now)}`;

/** With task and round known: record when the status is known (or carried over), else ask it. */
async function proceedWithTarget(ctx: Ctx, target: { taskId: number; roundId: number | null }, pending: Pending | null, conflicting = false): Promise<string> {
  const { db, who, t } = ctx;
  const ask = async (p: Pending) => {
    await writeStep(db, who, { step: "status", ...target, pending: p });
    const label = await taskLabel(db, target.taskId);
    return `${t.taskHeading(label?.number ?? "?", label?.title ?? "", "")}\n${conflicting ? t.conflicting : t.askStatus}`;
  };
  if (!hasContent(pending)) return ask(emptyPending());
  const own = new Set((await taskIndicators(db, [target.taskId])).map((i) => i.id));
  const reply = { ...pending, values: pending.values.filter((v) => own.has(v.indicatorId)) };
  if (reply.status !== null) return record(ctx, target, reply.status, reply);
  if (reply.values.length > 0 || reply.progress !== null) {
    // "受检率96.5%" says nothing about the status: keep the unit's last one, and say so.
    const last = await lastReportedStatus(db, { unitId: ctx.contact.unitId, taskId: target.taskId });
    return record(ctx, target, last ?? "in_progress", reply, last !== null);
  }
  return ask(reply);
}

async function record(ctx: Ctx, target: { taskId: number; roundId: number | null }, status: ReportStatus, pending: Pending, carried = false): Promise<string> {
  const { db, who, t, lang } = ctx;
  const fitted = fitNote(pending.note);
  const recorded = await recordStatus(db, {
    contactId: ctx.contact.id,
    taskId: target.taskId,
    roundId: target.roundId,
    status,
    progress: pending.progress,
    note: fitted.note,
    values: pending.values,
    attachments: attachmentsOf(pending),
    source: `${who.channel}-text`,
    now: who.now,
    ...(who.workingHours ? { workingHours: who.workingHours } : {}),
  });
  const next = followUp(ctx, recorded);
  await writeStep(db, who, next.step);
  const cut = fitted.cut ? `\n${t.noteCut(NOTE_MAX_LENGTH)}` : "";
  return `${recordedText(lang, recorded, { carried })}${cut}\n\n${next.text}`;
}

function followUp(ctx: Ctx, recorded: RecordedStatus): { text: string; step: Step } {
  const { t } = ctx;
  const base = { statusUpdateId: recorded.statusUpdateId, submitted: recorded.submitted };
  if (recorded.status === "in_progress" && recorded.progress === null) return { text: t.askProgress, step: { step: "progress", ...base } };
  return { text: recorded.status === "blocked" ? t.askDetailsBlocked : t.askDetails, step: { step: "details", ...base } };
}

/** Progress, values, a note or a file after a status: added to that same update. */
async function addDetails(ctx: Ctx, step: Extract<Step, { step: "progress" | "details" }>, text: string, file: ChannelFile | null): Promise<string> {
  const { db, who, t } = ctx;
  const update = await db.statusUpdate.findUnique({ where: { id: step.statusUpdateId }, select: { taskId: true, roundId: true } });
  if (!update) {
    await writeStep(db, who, null);
    return freeReply(ctx, text, file);
  }
  const indicators = await taskIndicators(db, [update.taskId]);
  const expect = step.step === "progress" && !file ? "progress" : "details";
  const parsed: ParsedReply = text.trim() ? parseReply(text, { indicators, expect }) : { kind: "empty" };
  if (parsed.kind === "extension" && !file) {
    await writeStep(db, who, null);
    return startExtension(ctx, [update.taskId], parsed.reason, step.submitted ? null : update.roundId);
  }
  if (parsed.kind === "unclear" && !file) {
    const explained = explainUnclear(ctx, parsed, indicators);
    if (explained) return explained;
  }
  const facts = parsed.kind === "report" ? parsed : parsed.kind === "unclear" ? { ...parsed.partial, note: text.trim() || null } : null;
  const nothing = !facts || (facts.progress === null && facts.values.length === 0 && facts.note === null);
  if (nothing && !file) return step.step === "progress" ? t.askProgress : t.askMore;
  const fitted = fitNote(facts?.note);
  const attachments = file ? attachmentsOf({ ...emptyPending(), files: [filePending(file)] }) : [];
  const recorded = await amendStatusUpdate(db, {
    statusUpdateId: step.statusUpdateId,
    contactId: ctx.contact.id,
    progress: facts?.progress ?? null,
    note: fitted.note,
    values: (facts?.values ?? []).map((v) => ({ indicatorId: v.indicatorId, value: v.value })),
    attachments,
    now: who.now,
    ...(who.workingHours ? { workingHours: who.workingHours } : {}),
  });
  const lines = [t.addedTitle];
  if (facts?.progress != null) lines.push(t.recordedProgress(facts.progress));
  for (const v of facts?.values ?? []) {
    const stored = recorded.values.find((r) => r.indicatorId === v.indicatorId);
    lines.push(t.recordedValue(v.name, formatValue(v.value, stored?.measureUnit ?? null)));
  }
  if (fitted.note) lines.push(t.recordedNote(shorten(fitted.note, NOTE_ECHO_LENGTH)));
  if (fitted.cut) lines.push(t.noteCut(NOTE_MAX_LENGTH));
  if (file) lines.push(t.recordedAttachment(file.fileName ?? t.photo));
  if (recorded.round && recorded.submitted && !step.submitted) lines.push(t.recordedSubmitted);
  await writeStep(db, who, { step: "details", statusUpdateId: recorded.statusUpdateId, submitted: recorded.submitted });
  lines.push("", step.step === "progress" ? t.askDetails : t.askMore);
  return lines.join("\n");
}

// --- 申请延期 -------------------------------------------------------------------------------

/**
 * "申请延期" typed: for the round just reported on when still owed, else the unit's owed rounds
 * (of the given tasks, when any), asked about when several. With the reason it is sent at once.
 */
async function startExtension(ctx: Ctx, taskIds: readonly number[], reason: string | null, roundId: number | null = null): Promise<string> {
  const { db, who, t, lang } = ctx;
  const named = roundId !== null ? await roundForUnit(db, { roundId, unitId: ctx.contact.unitId, lang }) : null;
  let owed: Array<OpenRound & { number: string; title: string }>;
  if (named && !named.submittedAt) {
    const label = await taskLabel(db, named.taskId);
    owed = [{ ...named, number: label?.number ?? "?", title: label?.title ?? "" }];
  } else {
    const tasks = await unitTasks(db, { unitId: ctx.contact.unitId, now: who.now, lang });
    const wanted = tasks.some((task) => taskIds.includes(task.taskId)) ? tasks.filter((task) => taskIds.includes(task.taskId)) : tasks;
    owed = wanted.flatMap((task) => task.pending.map((r) => ({ ...r, number: task.number, title: task.title })));
  }
  if (owed.length === 0) return t.extensionNothingOwed;
  if (owed.length > 1) {
    const shown = owed.slice(0, 30);
    await writeStep(db, who, { step: "pick", purpose: "extension", options: shown.map((r) => ({ taskId: r.taskId, roundId: r.roundId })), pending: null, reason });
    return [t.extensionPick, ...shown.map((r, i) => `${i + 1}. ${t.taskHeading(r.number, shorten(r.title, 10), "")} ${roundLabel(ctx, r)}`)].join("\n");
  }
  return extensionFor(ctx, owed[0]!.roundId, reason);
}

async function extensionFor(ctx: Ctx, roundId: number | null, reason: string | null): Promise<string> {
  if (roundId === null) return ctx.t.extensionNothingOwed;
  if (reason) return submitExtension(ctx, roundId, reason);
  await writeStep(ctx.db, ctx.who, { step: "extension-reason", roundId });
  const round = await roundForUnit(ctx.db, { roundId, unitId: ctx.contact.unitId, lang: ctx.lang });
  const label = round ? await taskLabel(ctx.db, round.taskId) : null;
  return `${label ? `${ctx.t.taskHeading(label.number, label.title, bracketed(roundWhat(round, ctx.lang), ctx.lang))}\n` : ""}${ctx.t.askExtensionReason}`;
}

async function submitExtension(ctx: Ctx, roundId: number, reason: string): Promise<string> {
  const { db, who, t, lang } = ctx;
  try {
    const { dueAt } = await requestExtension(db, { contactId: ctx.contact.id, roundId, reason, now: who.now });
    await writeStep(db, who, null);
    return t.extensionSent(formatDate(dueAt, lang, who.now));
  } catch (error) {
    if (!(error instanceof ExtensionRequestError)) throw error;
    if (error.code === "invalid-reason") {
      await writeStep(db, who, { step: "extension-reason", roundId });
      return t.askExtensionReason;
    }
    await writeStep(db, who, null);
    return { "already-pending": t.extensionPending, "already-submitted": t.extensionSubmitted, "not-owed": t.notYourTask, "contact-inactive": t.contactInactive }[error.code];
  }
}

// --- a card's button -----------------------------------------------------------------------

/**
 * A tap on a reminder card (applyCardAction), answered in the contact's language: the spent
 * button's label and the message that follows. After 已完成 or 有困难 the next text adds
 * details to that report, as in Telegram. A digest's item ("opened") is answered with that
 * reminder's own card, which the adapter sends; its label and text are empty: nothing else is said.
 */
export async function tapCard(db: Db, who: Liaison, action: CardAction): Promise<{ label: string; text: string; outcome: ActionOutcome }> {
  // Files still waiting for their task (a photo, then "which task?") go with a status tapped on
  // any card — the liaison chose that task; after 稍后提醒 they wait on.
  const step = action.type === "status" || action.type === "snooze" ? await readStep(db, who) : null;
  const waiting = (step?.step === "pick" || step?.step === "status") && step.pending && step.pending.files.length > 0 ? step.pending : null;
  const outcome = await applyCardAction(db, who, action, waiting && action.type === "status" ? { attachments: attachmentsOf(waiting), note: fitNote(waiting.note).note } : null);
  if (waiting && outcome.kind === "snoozed") await writeStep(db, who, step);
  const contact = await db.contact.findUnique({ where: { id: who.contactId }, select: { language: true } });
  const lang = languageOf(contact?.language);
  const t = TEXTS[lang];
  const stillWaiting = waiting && outcome.kind === "snoozed" ? `\n${t.filesWaiting(waiting.files.length)}` : "";
  switch (outcome.kind) {
    case "recorded": {
      if (!outcome.askProgress && outcome.statusUpdateId) await writeStep(db, who, { step: "details", statusUpdateId: outcome.statusUpdateId, submitted: outcome.submitted });
      const next = outcome.askProgress ? t.askProgress : outcome.status === "blocked" ? t.askDetailsBlocked : t.askDetails;
      const done = outcome.submitted ? `\n${t.recordedSubmitted}` : "";
      return { label: shorten(lang === "zh" ? `已记录：${t.status[outcome.status]}` : `✓ ${t.status[outcome.status]}`, 10), text: `${t.recordedStatus(t.status[outcome.status])}${done}\n\n${next}`, outcome };
    }
    case "snoozed":
      return { label: lang === "zh" ? "稍后提醒" : "Later", text: (outcome.until ? (lang === "zh" ? `好的，将于 ${formatDateTime(outcome.until, lang, who.now)} 再次提醒您。` : `OK, I will remind you again on ${formatDateTime(outcome.until, lang, who.now)}.`) : t.recordedSubmitted) + stillWaiting, outcome };
    case "ask-extension-reason":
      return { label: lang === "zh" ? "申请延期" : "Extension", text: t.askExtensionReason, outcome };
    case "opened":
      // The reminder's own card is the answer (the adapter sends outcome.message); the digest stays as it is.
      return { label: "", text: "", outcome };
    case "tasks": {
      const ctx = await context(db, who);
      return { label: "", text: ctx ? await taskListText(ctx) : t.contactInactive, outcome };
    }
    case "refused": {
      const text = { "not-yours": t.notYourTask, "already-submitted": t.extensionSubmitted, "already-pending": t.extensionPending, "contact-inactive": t.contactInactive, "invalid-reason": t.askExtensionReason }[outcome.reason];
      return { label: lang === "zh" ? "未处理" : "Not recorded", text, outcome };
    }
    default:
      // applyCardAction answers only the kinds above; the rest belong to texts.
      return { label: "", text: t.unclearEmpty, outcome };
  }
}
