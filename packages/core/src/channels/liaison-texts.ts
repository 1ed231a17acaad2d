import { shanghaiDate, shanghaiTime } from "@duban/domain/calendar";
import type { Light } from "@duban/domain/light";
import { NOTE_ECHO_LENGTH } from "@duban/domain/note-limit";
import type { ReportStatus } from "@duban/domain/parse-reply";
import { periodLabel } from "@duban/domain/period";
import type { RecordedStatus } from "../submissions/record-status.ts";

/**
 * What the liaison reads on a channel without buttons for every step (企业微信, 钉钉, 飞书): the
 * Telegram bot's wording (apps/bot/src/locales), with "tap …" turned into "reply …". Chinese by
 * default, English when the contact chose it.
 */
export type Language = "zh" | "en";

export const languageOf = (value: string | null | undefined): Language => (value === "en" ? "en" : "zh");

const EN_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "10月15日" (the year only when not the current one); "15 Oct". Shanghai calendar. */
export function formatDate(instant: Date, language: Language, now: Date): string {
  const [y, m, d] = shanghaiDate(instant).split("-").map(Number) as [number, number, number];
  const sameYear = shanghaiDate(now).slice(0, 4) === String(y);
  if (language === "en") return `${d} ${EN_MONTHS[m - 1]}${sameYear ? "" : ` ${y}`}`;
  return `${sameYear ? "" : `${y}年`}${m}月${d}日`;
}

export const formatDateTime = (instant: Date, language: Language, now: Date) => `${formatDate(instant, language, now)} ${shanghaiTime(instant)}`;

export const LIGHT_ICON: Record<Light, string> = { red: "🔴", yellow: "🟡", green: "🟢" };

export const shorten = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

export function formatValue(value: number, measureUnit: string | null): string {
  return `${Number.isInteger(value) ? String(value) : String(Number(value.toFixed(4)))}${measureUnit ?? ""}`;
}

export const bracketed = (text: string, language: Language) => (!text ? "" : language === "zh" ? `（${text}）` : `(${text})`);

/** "季度进度 · 2026年第三季度". */
export function roundWhat(round: { deadlineTitle: string; periodKey: string } | null, language: Language): string {
  if (!round) return "";
  const title = round.deadlineTitle.replace(/^任务[\d.]+\s*/, "") || round.deadlineTitle;
  const period = round.periodKey === "once" ? null : periodLabel(round.periodKey, language);
  return period ? `${title} · ${period}` : title;
}

const ZH = {
  status: { done: "已完成", in_progress: "推进中", blocked: "有困难", not_started: "未开始" } as Record<ReportStatus, string>,
  role: { lead: "牵头", support: "配合" } as Record<"lead" | "support", string>,
  taskHeading: (number: string, title: string, what: string) => `任务${number}“${title}”${what}`,
  help: [
    "可发送以下内容：",
    "任务 — 查看本单位任务、截止时间和进展",
    "申请延期，理由…… — 向办公室申请延期",
    "English — 切换为英文；中文 — 切换为中文",
    "帮助 — 查看本说明",
    "",
    "收到提醒后，点卡片上的按钮即可报送；也可以直接回复进展，例如“完成80%”“受检率96.5%”“已完成，报告已上报”。",
    "需要补充材料时，直接发送图片即可（不超过 {max} MB）。",
  ].join("\n"),
  helpHead: "作为单位负责人，本单位事项逾期时您会收到督办抄送，也可以代表本单位报送进展。",
  tasksTitle: (unit: string, count: number) => `“${unit}”的任务（共 ${count} 项）：`,
  tasksEmpty: "本单位目前没有需要跟进的任务。",
  tasksPlan: (plan: string) => `📁《${plan}》`,
  tasksHint: "直接回复进展即可报送，例如“完成80%”；回复“申请延期，理由……”申请延期。",
  lineReported: (status: string) => `最近报送：${status}`,
  lineNotReported: "尚未报送",
  lineDue: (due: string) => `下一截止：${due}`,
  lineOverdue: (due: string) => `已逾期（${due}截止）`,
  lineClear: "当前无待报事项",
  recordedTitle: (heading: string) => `已记录：${heading}`,
  recordedStatus: (status: string) => `状态：${status}`,
  recordedProgress: (p: number) => `进度：${p}%`,
  recordedValue: (name: string, value: string) => `${name}：${value}`,
  recordedNote: (note: string) => `情况说明：${note}`,
  recordedAttachment: (name: string) => `附件：${name}`,
  recordedSubmitted: "本期已报送，感谢您的配合。",
  recordedDeliverableOpen: "该事项需“已完成”后方视为报送，完成后请再告知。",
  recordedEarly: (date: string) => `本期进度将于 ${date} 起正式收集，届时请再报送一次；这次的进展已记录，办公室可以看到。`,
  carried: "（沿用最近一次报送的状态）",
  noteCut: (max: number) => `（您的说明超过 ${max} 字，只保存了前 ${max} 字。）`,
  photo: "图片",
  askProgress: "请回复目前的完成进度百分比（0–100 的数字，如 60）；暂不填写请回复“跳过”。",
  askDetails: "如需补充指标数值、情况说明或图片，请直接发送；无需补充请回复“完成报送”。",
  askDetailsBlocked: "请简要说明遇到的困难及需要协调的事项，便于办公室及时协调；如需延期，请回复“申请延期，理由……”。",
  askMore: "还可继续补充；无需补充请回复“完成报送”。",
  addedTitle: "已补充记录：",
  finished: "好的，本次报送已完成，感谢您的配合！",
  skipped: "好的，已跳过进度。",
  askExtensionReason: "请简要说明延期理由及预计完成时间。",
  extensionFileKept: "延期理由请用文字说明，本次未提交延期申请。您发送的附件将记入该任务的报送：",
  filesWaiting: (count: number) => `您发送的 ${count} 个附件尚未记录，仍为您保留，回答后将一并记录。`,
  pickNumber: (count: number) => `请回复列表中的序号（1–${count}）。`,
  extensionSent: (due: string) => `延期申请已提交，办公室审核后会通知您。审核前，原定截止时间（${due}）保持不变。`,
  extensionPending: "该事项已有延期申请正在审核，请耐心等待。",
  extensionSubmitted: "该事项已报送，无需申请延期。",
  extensionNothingOwed: "本单位目前没有待报送的事项，无需申请延期。",
  extensionPick: "请问要为哪一项申请延期？请回复序号：",
  ackNoted: "收到，谢谢！如需报送进展，直接回复进展即可，例如“完成80%”。",
  askStatus: "请问这项工作目前的状态是？请回复：已完成 / 推进中 / 有困难 / 未开始。您刚才发送的内容将一并记录。",
  conflicting: "您的回复中同时包含了多个状态，请回复当前状态：已完成 / 推进中 / 有困难 / 未开始。",
  whichIndicator: (subject: string) => `“${subject}”可能对应以下多项指标，请写明完整的指标名称后重新发送：`,
  unknownIndicator: (subject: string) => `未找到与“${subject}”对应的指标。请按“指标名称+数值”重新发送，如“受检率96.5%”。`,
  indicatorsOfTask: "本单位任务的指标有：",
  bareNumber: (value: string) => `请说明“${value}”指的是什么，例如“进度${value}%”或“受检率${value}%”。`,
  progressRange: "进度应为 0–100 之间的数字，请重新输入。",
  unclearEmpty: "未能识别您发送的内容。如需报送进展，请直接回复进展，例如“完成80%”；发送“帮助”查看使用说明。",
  pickTask: "请问您报送的是哪项任务？请回复序号：",
  pickRound: "该任务有多项待报送事项，请回复序号：",
  noTasks: "本单位目前没有需要报送的任务。",
  notYourTask: "该事项不属于本单位，未作记录。",
  contactInactive: "您的登记已停用，如有疑问请联系联席会议办公室。",
  langSet: "已切换为中文。",
  fileTooLarge: (max: number) => `文件超过 ${max} MB，未能保存。请压缩后重新发送，或交给办公室。`,
  fileUnavailable: "未能取回您发送的文件，请稍后重新发送。",
  fileType: "目前只能接收图片和文件，其他类型的消息未作记录。",
};

type Texts = typeof ZH;

const EN: Texts = {
  status: { done: "Done", in_progress: "In progress", blocked: "Blocked", not_started: "Not started" },
  role: { lead: "lead", support: "support" },
  taskHeading: (number, title, what) => `Task ${number} "${title}" ${what}`.trimEnd(),
  help: [
    "You can send:",
    "tasks — your unit's tasks, deadlines and progress",
    "extension, reason… — ask the office for more time",
    "中文 — switch to Chinese; English — switch to English",
    "help — this message",
    "",
    "When a reminder arrives, tap a button on its card; or reply with your progress, e.g. \"完成80%\", \"受检率96.5%\", \"done, report filed\".",
    "To add material, just send a picture (up to {max} MB).",
  ].join("\n"),
  helpHead: "As unit head you receive escalations when your unit is overdue, and you may report on behalf of your unit.",
  tasksTitle: (unit, count) => `Tasks of ${unit} (${count}):`,
  tasksEmpty: "Your unit has no tasks to follow up at the moment.",
  tasksPlan: (plan) => `📁 ${plan}`,
  tasksHint: "Reply with your progress to report, e.g. \"完成80%\"; send \"extension, reason…\" for more time.",
  lineReported: (status) => `Last report: ${status}`,
  lineNotReported: "Not reported yet",
  lineDue: (due) => `Next due: ${due}`,
  lineOverdue: (due) => `Overdue (was due ${due})`,
  lineClear: "Nothing due now",
  recordedTitle: (heading) => `Recorded: ${heading}`,
  recordedStatus: (status) => `Status: ${status}`,
  recordedProgress: (p) => `Progress: ${p}%`,
  recordedValue: (name, value) => `${name}: ${value}`,
  recordedNote: (note) => `Note: ${note}`,
  recordedAttachment: (name) => `Attachment: ${name}`,
  recordedSubmitted: "Your report for this period is in. Thank you.",
  recordedDeliverableOpen: "This item counts as submitted once it is done; please tell me then.",
  recordedEarly: (date) => `This period's progress is collected from ${date}; please report again then. This update is recorded and the office can see it.`,
  carried: " (status carried over from your last report)",
  noteCut: (max) => `(Your note was longer than ${max} characters; only the first ${max} were saved.)`,
  photo: "picture",
  askProgress: "Please reply with the progress so far (a number 0–100, e.g. 60), or \"skip\".",
  askDetails: "To add indicator values, a note or a picture, just send it; otherwise reply \"finish\".",
  askDetailsBlocked: "Please describe briefly what is blocking and what needs coordination; reply \"extension, reason…\" if you need more time.",
  askMore: "You may add more; otherwise reply \"finish\".",
  addedTitle: "Added:",
  finished: "Thank you, your report is complete.",
  skipped: "OK, progress skipped.",
  askExtensionReason: "Please give the reason for the extension and when you expect to finish.",
  extensionFileKept: "An extension needs its reason as text: no request was sent. The file you sent goes with this task's report:",
  filesWaiting: (count) => (count === 1 ? "The file you sent is not recorded yet; it is kept and will be recorded with your answer." : `The ${count} files you sent are not recorded yet; they are kept and will be recorded with your answer.`),
  pickNumber: (count) => `Please reply with a number from the list (1–${count}).`,
  extensionSent: (due) => `Your extension request has been sent; the office will let you know its decision. Until then the original deadline (${due}) stands.`,
  extensionPending: "An extension request for this item is already under review.",
  extensionSubmitted: "This item is already submitted; no extension needed.",
  extensionNothingOwed: "Your unit owes nothing at the moment; no extension needed.",
  extensionPick: "Which item do you need more time for? Reply with its number:",
  ackNoted: "Noted, thank you! To report progress, reply with it, e.g. \"完成80%\".",
  askStatus: "What is the current status of this work? Reply: done / in progress / blocked / not started. What you sent will be recorded with it.",
  conflicting: "Your reply mentions more than one status. Reply with the current one: done / in progress / blocked / not started.",
  whichIndicator: (subject) => `"${subject}" could mean several indicators. Please send again with the full indicator name:`,
  unknownIndicator: (subject) => `No indicator matches "${subject}". Please send "indicator name + value", e.g. "受检率96.5%".`,
  indicatorsOfTask: "Your unit's indicators:",
  bareNumber: (value) => `What does "${value}" refer to? For example "progress ${value}%" or "受检率${value}%".`,
  progressRange: "Progress must be a number between 0 and 100. Please try again.",
  unclearEmpty: "I could not understand this. To report, reply with your progress, e.g. \"完成80%\"; send \"help\" for help.",
  pickTask: "Which task is this about? Reply with its number:",
  pickRound: "This task has several items due. Reply with the number:",
  noTasks: "Your unit has no tasks to report on.",
  notYourTask: "This item does not belong to your unit; nothing was recorded.",
  contactInactive: "Your registration is no longer active. Please contact the coordinating office.",
  langSet: "Language set to English.",
  fileTooLarge: (max) => `The file is larger than ${max} MB and was not saved. Please send a smaller one, or give it to the office.`,
  fileUnavailable: "Your file could not be fetched. Please send it again later.",
  fileType: "Only pictures and files can be received; this message was not recorded.",
};

export const TEXTS: Record<Language, Texts> = { zh: ZH, en: EN };

/** The confirmation after a reply: exactly what was stored (as the bot's recordedText). */
export function recordedText(language: Language, recorded: RecordedStatus, options: { carried?: boolean } = {}): string {
  const t = TEXTS[language];
  const lines = [
    t.recordedTitle(t.taskHeading(recorded.task.number, recorded.task.title, bracketed(roundWhat(recorded.round, language), language))),
    t.recordedStatus(t.status[recorded.status]) + (options.carried ? t.carried : ""),
  ];
  if (recorded.progress !== null) lines.push(t.recordedProgress(recorded.progress));
  for (const v of recorded.values) lines.push(t.recordedValue(v.name, formatValue(v.value, v.measureUnit)));
  if (recorded.note) lines.push(t.recordedNote(shorten(recorded.note, NOTE_ECHO_LENGTH)));
  for (const a of recorded.attachments) lines.push(t.recordedAttachment(a.fileName ?? t.photo));
  if (recorded.round) {
    if (recorded.submitted) lines.push(t.recordedSubmitted);
    else if (recorded.countsFrom) lines.push(t.recordedEarly(formatDate(recorded.countsFrom, language, recorded.countsFrom)));
    else if (!recorded.round.progressRound) lines.push(t.recordedDeliverableOpen);
  }
  return lines.join("\n");
}
