/**
 * The conversation steps shared by the features: where a reply goes (task, round), asking
 * what is missing, recording, confirming, and the optional follow-up (progress, details,
 * 申请延期). Handlers parse and route; the use cases in @duban/core decide and store.
 */
import type { InlineKeyboard } from "grammy";
import { fitNote, NOTE_ECHO_LENGTH, NOTE_MAX_LENGTH } from "@duban/domain/note-limit";
import { roundForUnit, taskIndicators, taskLabel, unitTasks, type ContactInfo, type OpenRound } from "@duban/core/units/contact-queries";
import { ExtensionRequestError, requestExtension } from "@duban/core/submissions/request-extension";
import { amendStatusUpdate, lastReportedStatus, recordStatus, RecordStatusError, type AttachmentInput, type RecordedStatus } from "@duban/core/submissions/record-status";
import { extensionRequestOf, parseReply, type ParsedReply, type ReplyIndicator, type ReportStatus } from "@duban/domain/parse-reply";
import { hasFacts, joinWaiting, needsExplaining, readWithFiles } from "@duban/domain/waiting-files";
import type { StatusRef } from "./callback-data.ts";
import { languageOf, type BotContext } from "./context.ts";
import { bracketed, formatDate, formatValue, recordedText, roundWhat, shorten } from "./format.ts";
import { Buttons } from "./keyboards.ts";
import { answerOnce } from "./middleware/callback-guard.ts";
import { emptyPending, type PendingReply, type ReplySession, type ReplyTarget } from "./reply-sessions.ts";

export function contactOf(ctx: BotContext): ContactInfo {
  const contact = ctx.duban.contact;
  if (!contact) throw new Error("handler reached without a bound contact");
  return contact;
}

export function buttonsFor(ctx: BotContext): Buttons {
  return new Buttons(ctx.t, contactOf(ctx).id, ctx.duban.callbackSecret);
}

function setSession(ctx: BotContext, session: ReplySession): void {
  ctx.duban.sessions.set(session);
}

export function clearSession(ctx: BotContext): void {
  ctx.duban.sessions.clear();
}

export function hasContent(p: PendingReply | null): p is PendingReply {
  return !!p && (p.status !== null || p.progress !== null || p.values.length > 0 || p.note !== null || p.attachments.length > 0);
}

function pendingFrom(parsed: { status: ReportStatus | null; progress: number | null; values: Array<{ indicatorId: number; value: number }>; note: string | null }, attachments: AttachmentInput[], source: string): PendingReply {
  return {
    status: parsed.status,
    progress: parsed.progress,
    values: parsed.values.map((v) => ({ indicatorId: v.indicatorId, value: v.value })),
    note: parsed.note,
    attachments,
    source,
  };
}

/** "任务8“建立和夯实城市计量基础”（季度进度 · 2026年第三季度）" */
async function taskHeading(ctx: BotContext, target: { taskId: number; roundId: number | null }): Promise<string> {
  const language = languageOf(ctx);
  const task = await taskLabel(ctx.duban.db, target.taskId);
  const round = target.roundId === null ? null : await roundForUnit(ctx.duban.db, { roundId: target.roundId, unitId: contactOf(ctx).unitId, lang: language });
  return ctx.t("task-heading", { number: task?.number ?? "?", title: task?.title ?? "", what: bracketed(roundWhat(round, language), language) });
}

export type StatusPrompt = "report" | "what-status" | "conflicting-status";

/** Shows the status buttons for a target; what the liaison already said waits in the session. */
export async function askStatus(ctx: BotContext, target: ReplyTarget, pending: PendingReply | null, prompt: StatusPrompt): Promise<void> {
  const ref: StatusRef = target.reminderId !== null
    ? { kind: "reminder", id: target.reminderId }
    : target.roundId !== null
      ? { kind: "round", id: target.roundId }
      : { kind: "task", id: target.taskId };
  const question = prompt === "report" ? ctx.t("report-ask-status") : prompt === "conflicting-status" ? ctx.t("unclear-conflicting") : ctx.t("unclear-what-status");
  if (hasContent(pending)) setSession(ctx, { step: "pending", pending, ...target });
  await ctx.reply(`${await taskHeading(ctx, target)}\n${question}`, { reply_markup: buttonsFor(ctx).status(ref, { notStarted: true }) });
}

function roundButtonLabel(ctx: BotContext, round: OpenRound): string {
  const language = languageOf(ctx);
  return `${roundWhat(round, language)} · ${formatDate(round.dueAt, language, ctx.duban.now)}`;
}

type RoundChoice = { kind: "one"; roundId: number | null } | { kind: "many"; rounds: OpenRound[] } | { kind: "not-yours" };

/**
 * The round a reply about a task answers: of each deadline, the oldest submission still owed
 * (2026Q3 before 2026Q4). When owed by several deadlines (task 6 in October: the progress
 * round and the analysis report) the liaison chooses; when nothing is owed, the latest round
 * (a late addition), or none.
 */
export async function chooseRound(ctx: BotContext, taskId: number): Promise<RoundChoice> {
  const contact = contactOf(ctx);
  const [task] = await unitTasks(ctx.duban.db, { unitId: contact.unitId, now: ctx.duban.now, lang: languageOf(ctx), taskId });
  if (!task) return { kind: "not-yours" };
  const oldestPerDeadline = [...new Map([...task.pending].reverse().map((r) => [r.deadlineId, r])).values()].sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
  if (oldestPerDeadline.length > 1) return { kind: "many", rounds: oldestPerDeadline };
  return { kind: "one", roundId: oldestPerDeadline[0]?.roundId ?? task.latest?.roundId ?? null };
}

/** Continue with a task: pick its round (asking when needed), then record or ask the status. */
export async function proceedWithTask(ctx: BotContext, taskId: number, pending: PendingReply | null, prompt: StatusPrompt): Promise<void> {
  const choice = await chooseRound(ctx, taskId);
  if (choice.kind === "not-yours") {
    await ctx.reply(ctx.t("not-your-task"));
    return;
  }
  if (choice.kind === "many") {
    setSession(ctx, { step: "pending", pending: pending ?? emptyPending("telegram-button"), taskId, roundId: null, reminderId: null });
    const buttons = buttonsFor(ctx);
    await ctx.reply(`${await taskHeading(ctx, { taskId, roundId: null })}\n${ctx.t("report-pick-round")}`, {
      reply_markup: buttons.list(choice.rounds.map((r) => ({ label: roundButtonLabel(ctx, r), data: { action: "pick-round", roundId: r.roundId } }))),
    });
    return;
  }
  await proceedWithTarget(ctx, { taskId, roundId: choice.roundId, reminderId: null }, pending, prompt);
}

/**
 * With the target known: record when the status is known (or carried over for a bare value),
 * else ask it. `indicators`: the target task's, when the caller read them already. True when recorded.
 */
export async function proceedWithTarget(ctx: BotContext, target: ReplyTarget, pending: PendingReply | null, prompt: StatusPrompt, indicators?: ReadonlyArray<{ id: number; taskId: number }>): Promise<boolean> {
  if (!hasContent(pending)) {
    await askStatus(ctx, target, null, "report");
    return false;
  }
  const own = new Set((indicators ?? (await taskIndicators(ctx.duban.db, [target.taskId]))).filter((i) => i.taskId === target.taskId).map((i) => i.id));
  const reply = { ...pending, values: pending.values.filter((v) => own.has(v.indicatorId)) };
  if (reply.status !== null) return recordAndConfirm(ctx, target, reply.status, reply);
  if (reply.values.length > 0 || reply.progress !== null) {
    // "受检率96.5%" says nothing about the status: keep the unit's last one, and say so.
    const last = await lastReportedStatus(ctx.duban.db, { unitId: contactOf(ctx).unitId, taskId: target.taskId });
    return recordAndConfirm(ctx, target, last ?? "in_progress", reply, { carried: last !== null });
  }
  await askStatus(ctx, target, reply, prompt);
  return false;
}

/**
 * The round a 有困难 report can ask an extension for: its own when still owed, else the task's
 * oldest round the unit still owes (a progress round answered by the report itself); null when
 * nothing is owed, and then no extension is offered.
 */
async function blockedExtensionRound(ctx: BotContext, recorded: RecordedStatus): Promise<number | null> {
  if (recorded.round && !recorded.submitted) return recorded.round.id;
  const [task] = await unitTasks(ctx.duban.db, { unitId: contactOf(ctx).unitId, now: ctx.duban.now, lang: languageOf(ctx), taskId: recorded.task.id });
  return task?.pending[0]?.roundId ?? null;
}

function followUp(ctx: BotContext, recorded: RecordedStatus, blockedExtension: number | null): { text: string; keyboard: InlineKeyboard; session: ReplySession } {
  const buttons = buttonsFor(ctx);
  const base = { statusUpdateId: recorded.statusUpdateId, taskId: recorded.task.id, roundId: recorded.round?.id ?? null, submitted: recorded.submitted };
  const extensionRound = recorded.round && !recorded.submitted && recorded.status !== "done" ? recorded.round.id : null;
  if (recorded.status === "in_progress" && recorded.progress === null) {
    return { text: ctx.t("ask-progress"), keyboard: buttons.skip(), session: { step: "progress", ...base } };
  }
  if (recorded.status === "blocked") {
    // The text offers 申请延期 only when the button is there.
    return { text: ctx.t(blockedExtension !== null ? "ask-details-blocked" : "ask-details-blocked-plain"), keyboard: buttons.details(blockedExtension), session: { step: "details", ...base } };
  }
  return { text: ctx.t("ask-details"), keyboard: buttons.details(extensionRound), session: { step: "details", ...base } };
}

/**
 * Records the reply, confirms exactly what was stored, and offers the optional follow-up.
 * A reminder's button names only the reminder: its task and round are read while recording.
 * `toast` answers the button press once the reply is stored. False when it was refused.
 */
export async function recordAndConfirm(
  ctx: BotContext,
  target: ReplyTarget | { reminderId: number },
  status: ReportStatus,
  pending: PendingReply | null,
  options: { carried?: boolean; toast?: string } = {},
): Promise<boolean> {
  const contact = contactOf(ctx);
  const fitted = fitNote(pending?.note);
  let recorded: RecordedStatus;
  let next: ReturnType<typeof followUp> | null = null;
  try {
    recorded = await recordStatus(
      ctx.duban.db,
      {
        contactId: contact.id,
        taskId: "taskId" in target ? target.taskId : null,
        roundId: "roundId" in target ? target.roundId : null,
        reminderId: target.reminderId,
        status,
        progress: pending?.progress ?? null,
        note: fitted.note,
        values: pending?.values ?? [],
        attachments: pending?.attachments ?? [],
        source: pending?.source ?? "telegram-button",
        now: ctx.duban.now,
        workingHours: ctx.duban.workingHours,
      },
      {
        // The step the reply leads to is stored in the reply's own transaction (one commit, not
        // two). A 有困难 reply first reads what is still owed, after the commit.
        inTransaction: async (stored, tx) => {
          if (stored.status === "blocked" || !ctx.duban.persistSession) return;
          next = followUp(ctx, stored, null);
          setSession(ctx, next.session);
          await ctx.duban.persistSession(tx);
        },
      },
    );
  } catch (error) {
    if (error instanceof RecordStatusError) {
      ctx.duban.log.warn({ contactId: contact.id, code: error.code, target }, "status not recorded");
      await ctx.reply(ctx.t(error.code === "contact-inactive" ? "contact-inactive" : "not-your-task"));
      return false;
    }
    throw error;
  }
  if (options.toast) await answerOnce(ctx, options.toast);
  if (!next) {
    next = followUp(ctx, recorded, recorded.status === "blocked" ? await blockedExtensionRound(ctx, recorded) : null);
    setSession(ctx, next.session);
  }
  const cut = fitted.cut ? `\n${ctx.t("note-cut", { max: NOTE_MAX_LENGTH })}` : "";
  await ctx.reply(`${recordedText(ctx.t, languageOf(ctx), recorded, options)}${cut}\n\n${next.text}`, { reply_markup: next.keyboard });
  return true;
}

/** Why a reply was not understood (what to write again); null when the bot asks instead. */
function unclearText(ctx: BotContext, parsed: Extract<ParsedReply, { kind: "unclear" }>, indicators: readonly ReplyIndicator[]): string | null {
  switch (parsed.question) {
    case "which-indicator":
      return [ctx.t("unclear-which-indicator", { subject: parsed.subject ?? "" }), ...(parsed.candidates ?? []).map((c) => `· ${c.name}`)].join("\n");
    case "unknown-indicator": {
      const names = [...new Set(indicators.map((i) => i.name))];
      const lines = [ctx.t("unclear-unknown-indicator", { subject: parsed.subject ?? "" })];
      if (names.length > 0) lines.push(ctx.t("unclear-indicators-of-task"), ...names.map((n) => `· ${n}`));
      return lines.join("\n");
    }
    case "bare-number":
      return ctx.t("unclear-bare-number", { value: formatValue(parsed.value ?? 0, null) });
    case "progress-out-of-range":
      return ctx.t("unclear-progress-range");
    case "what-status":
    case "conflicting-status":
      return null;
  }
}

/** The step a message arrives in when the bot had asked which task, round or status: what waits. */
export type WaitingReply = Extract<ReplySession, { step: "pending" }>;

/**
 * A message that is not an answer to a question of the bot: a reply to a reminder (target
 * known), or free text (the task is found from the indicator it names, or asked). What still
 * waits from an earlier message (`waiting`: files above all) joins it, never dropped: it is
 * recorded with what this message records, or waits on with the next question.
 */
export async function handleReply(
  ctx: BotContext,
  text: string,
  attachments: AttachmentInput[],
  target: ReplyTarget | null,
  options: {
    /** The tasks of the digest replied to. */
    among?: readonly number[];
    /** The target task's active indicators, when the caller read them already (a reply to a reminder). */
    indicators?: ReadonlyArray<{ id: number; taskId: number; name: string; measureUnit: string | null }>;
    waiting?: WaitingReply | null;
  } = {},
): Promise<boolean> {
  const contact = contactOf(ctx);
  const { db, now } = ctx.duban;
  const among = options.among ?? [];
  const waiting = options.waiting && hasContent(options.waiting.pending) ? options.waiting : null;
  const files = { own: attachments.length > 0, waiting: waiting !== null };
  // "申请延期" needs no task list to be read (startExtension reads what is owed).
  const all = target || (!files.own && !files.waiting && extensionRequestOf(text)) ? [] : await unitTasks(db, { unitId: contact.unitId, now, lang: languageOf(ctx) });
  // `among`: the tasks of the digest replied to, when they are still the unit's.
  const tasks = all.some((t) => among.includes(t.taskId)) ? all.filter((t) => among.includes(t.taskId)) : all;
  const indicators = target && options.indicators ? [...options.indicators] : await taskIndicators(db, target ? [target.taskId] : tasks.map((t) => t.taskId));
  const source = target ? "telegram-reply" : "telegram-text";

  const parsed = readWithFiles(text.trim() ? parseReply(text, { indicators }) : null, text, files);
  if (parsed.kind === "unclear" && needsExplaining(parsed)) {
    // Without a file of its own: explained, and what waits keeps waiting (the session stays).
    const lines = [unclearText(ctx, parsed, indicators)!];
    if (waiting && waiting.pending.attachments.length > 0) lines.push("", ctx.t("files-waiting", { count: waiting.pending.attachments.length }));
    if (!waiting) clearSession(ctx);
    await ctx.reply(lines.join("\n"));
    return false;
  }
  clearSession(ctx);
  if (parsed.kind === "ack") {
    await ctx.reply(ctx.t(target ? "acknowledged" : "ack-noted"));
    return false;
  }
  if (parsed.kind === "extension") {
    await startExtension(ctx, { roundId: target?.roundId ?? null, taskIds: target ? [target.taskId] : among, reason: parsed.reason });
    return false;
  }
  if (parsed.kind === "empty") {
    await ctx.reply(ctx.t("unclear-empty"));
    return false;
  }

  const fresh = pendingFrom(parsed.kind === "report" ? parsed : { ...parsed.partial, status: null }, attachments, source);
  const pending: PendingReply = waiting
    ? { ...joinWaiting(waiting.pending, fresh), attachments: [...waiting.pending.attachments, ...attachments], source: hasFacts(fresh) ? source : waiting.pending.source }
    : fresh;
  const prompt: StatusPrompt = parsed.kind === "unclear" && parsed.question === "conflicting-status" ? "conflicting-status" : "what-status";
  // Nothing new came with the waiting files ("收到", "完成报送"): say they are not recorded yet.
  if (waiting && waiting.pending.attachments.length > 0 && !files.own && !hasFacts(fresh) && fresh.note === null) {
    await ctx.reply(ctx.t("files-waiting", { count: waiting.pending.attachments.length }));
  }

  if (target) return proceedWithTarget(ctx, target, pending, prompt, indicators);
  if (tasks.length === 0) {
    await ctx.reply(ctx.t("report-no-tasks"));
    return false;
  }
  const taskOfIndicator = new Map(indicators.map((i) => [i.id, i.taskId]));
  const named = [...new Set(pending.values.map((v) => taskOfIndicator.get(v.indicatorId)!))];
  // The task the waiting question was about, unless this message names another by its values.
  if (named.length === 0 && waiting?.taskId != null) {
    if (waiting.roundId !== null || waiting.reminderId !== null) return proceedWithTarget(ctx, { taskId: waiting.taskId, roundId: waiting.roundId, reminderId: waiting.reminderId }, pending, prompt);
    await proceedWithTask(ctx, waiting.taskId, pending, prompt);
    return false;
  }
  const candidates = named.length > 0 ? tasks.filter((t) => named.includes(t.taskId)) : tasks;
  if (candidates.length === 1) {
    await proceedWithTask(ctx, candidates[0]!.taskId, pending, prompt);
    return false;
  }
  setSession(ctx, { step: "pending", pending, taskId: null, roundId: null, reminderId: null });
  await ctx.reply(ctx.t("pick-task"), { reply_markup: taskList(ctx, candidates, "pick-task") });
  return false;
}

export function taskList(ctx: BotContext, tasks: ReadonlyArray<{ taskId: number; number: string; title: string }>, action: "pick-task" | "report" | "task"): InlineKeyboard {
  return buttonsFor(ctx).list(tasks.map((t) => ({ label: ctx.t("task-heading", { number: t.number, title: shorten(t.title, 14), what: "" }).trim(), data: { action, taskId: t.taskId } })));
}

/** Progress, values, a note or a file sent after a status: added to that same update. */
export async function addDetails(
  ctx: BotContext,
  session: Extract<ReplySession, { step: "progress" | "details" }>,
  input: { text?: string | undefined; attachment?: AttachmentInput },
): Promise<void> {
  const contact = contactOf(ctx);
  const indicators = await taskIndicators(ctx.duban.db, [session.taskId]);
  const expect = session.step === "progress" && !input.attachment ? "progress" : "details";
  const parsed: ParsedReply = input.text?.trim() ? parseReply(input.text, { indicators, expect }) : { kind: "empty" };
  if (parsed.kind === "extension" && !input.attachment) {
    await startExtension(ctx, { roundId: session.submitted ? null : session.roundId, taskIds: [session.taskId], reason: parsed.reason, statusUpdateId: session.statusUpdateId });
    return;
  }
  const unclear = parsed.kind === "unclear" && !input.attachment ? unclearText(ctx, parsed, indicators) : null;
  if (unclear) {
    await ctx.reply(unclear);
    return;
  }

  const facts = parsed.kind === "report" ? parsed : parsed.kind === "unclear" ? { ...parsed.partial, note: input.text?.trim() || null } : null;
  const nothing = !facts || (facts.progress === null && facts.values.length === 0 && facts.note === null);
  if (nothing && !input.attachment) {
    await ctx.reply(ctx.t(session.step === "progress" ? "ask-progress" : "ask-more"), {
      reply_markup: session.step === "progress" ? buttonsFor(ctx).skip() : buttonsFor(ctx).details(null),
    });
    return;
  }
  const fitted = fitNote(facts?.note);
  const recorded = await amendStatusUpdate(ctx.duban.db, {
    statusUpdateId: session.statusUpdateId,
    contactId: contact.id,
    progress: facts?.progress ?? null,
    note: fitted.note,
    values: (facts?.values ?? []).map((v) => ({ indicatorId: v.indicatorId, value: v.value })),
    attachments: input.attachment ? [input.attachment] : [],
    now: ctx.duban.now,
    workingHours: ctx.duban.workingHours,
  });
  const lines = [ctx.t("added-title")];
  if (facts?.progress != null) lines.push(ctx.t("recorded-progress", { progress: facts.progress }));
  for (const v of facts?.values ?? []) {
    const stored = recorded.values.find((r) => r.indicatorId === v.indicatorId);
    lines.push(ctx.t("recorded-value", { name: v.name, value: formatValue(v.value, stored?.measureUnit ?? null) }));
  }
  if (fitted.note) lines.push(ctx.t("recorded-note", { note: shorten(fitted.note, NOTE_ECHO_LENGTH) }));
  if (fitted.cut) lines.push(ctx.t("note-cut", { max: NOTE_MAX_LENGTH }));
  if (input.attachment) lines.push(ctx.t("recorded-attachment", { name: input.attachment.fileName ?? ctx.t("attachment-photo") }));
  if (recorded.round && recorded.submitted && !session.submitted) lines.push(ctx.t("recorded-submitted"));
  const extensionRound = recorded.round && !recorded.submitted && recorded.status !== "done" ? recorded.round.id : null;
  setSession(ctx, { step: "details", statusUpdateId: recorded.statusUpdateId, taskId: recorded.task.id, roundId: recorded.round?.id ?? null, submitted: recorded.submitted });
  lines.push("", ctx.t(session.step === "progress" ? "ask-details" : "ask-more"));
  await ctx.reply(lines.join("\n"), { reply_markup: buttonsFor(ctx).details(extensionRound) });
}

/**
 * "申请延期" typed (or said in a follow-up): the round it is for is the one replied to or just
 * reported on when still owed; else the unit's owed rounds (of the given tasks, when any), asked
 * about when several. With the reason already given it is sent at once, else the reason is asked.
 */
export async function startExtension(
  ctx: BotContext,
  input: { roundId: number | null; taskIds: readonly number[]; reason: string | null; statusUpdateId?: number | null },
): Promise<void> {
  const contact = contactOf(ctx);
  const language = languageOf(ctx);
  const named = input.roundId !== null ? await roundForUnit(ctx.duban.db, { roundId: input.roundId, unitId: contact.unitId, lang: language }) : null;
  let owed: Array<OpenRound & { number: string; title: string }>;
  if (named && !named.submittedAt) {
    const label = await taskLabel(ctx.duban.db, named.taskId);
    owed = [{ ...named, number: label?.number ?? "?", title: label?.title ?? "" }];
  } else {
    const tasks = await unitTasks(ctx.duban.db, { unitId: contact.unitId, now: ctx.duban.now, lang: language });
    const wanted = tasks.some((t) => input.taskIds.includes(t.taskId)) ? tasks.filter((t) => input.taskIds.includes(t.taskId)) : tasks;
    owed = wanted.flatMap((t) => t.pending.map((r) => ({ ...r, number: t.number, title: t.title })));
  }
  if (owed.length === 0) {
    clearSession(ctx);
    await ctx.reply(ctx.t("extension-nothing-owed"));
    return;
  }
  if (owed.length > 1) {
    setSession(ctx, { step: "extension-pick", reason: input.reason });
    const buttons = buttonsFor(ctx);
    const label = (r: (typeof owed)[number]) => `${ctx.t("task-heading", { number: r.number, title: shorten(r.title, 10), what: "" }).trim()} ${roundButtonLabel(ctx, r)}`;
    await ctx.reply(ctx.t("extension-pick"), { reply_markup: buttons.list(owed.map((r) => ({ label: shorten(label(r), 40), data: { action: "extension", roundId: r.roundId } }))) });
    return;
  }
  const round = owed[0]!;
  const session = { roundId: round.roundId, taskId: round.taskId, statusUpdateId: input.statusUpdateId ?? null };
  if (input.reason) {
    await submitExtension(ctx, session, input.reason);
    return;
  }
  setSession(ctx, { step: "extension-reason", ...session });
  await ctx.reply(`${await taskHeading(ctx, { taskId: round.taskId, roundId: round.roundId })}\n${ctx.t("ask-extension-reason")}`);
}

/** The text after 申请延期 (or the reason typed with it). */
export async function submitExtension(ctx: BotContext, session: { roundId: number; taskId: number; statusUpdateId: number | null }, reason: string): Promise<void> {
  const contact = contactOf(ctx);
  try {
    const { dueAt } = await requestExtension(ctx.duban.db, { contactId: contact.id, roundId: session.roundId, reason, now: ctx.duban.now });
    clearSession(ctx);
    await ctx.reply(ctx.t("extension-sent", { due: formatDate(dueAt, languageOf(ctx), ctx.duban.now) }));
  } catch (error) {
    if (!(error instanceof ExtensionRequestError)) throw error;
    if (error.code === "invalid-reason") {
      setSession(ctx, { step: "extension-reason", ...session });
      await ctx.reply(ctx.t("ask-extension-reason"));
      return;
    }
    clearSession(ctx);
    const key = { "already-pending": "extension-pending", "already-submitted": "extension-submitted", "not-owed": "not-your-task", "contact-inactive": "contact-inactive" }[error.code];
    await ctx.reply(ctx.t(key));
  }
}
