import type { DeadlineRule } from "@duban/domain/due-date";
import { describeRule } from "@duban/domain/rule-text";
import { fmtDateTime, ladderText, periodText, type Ladder } from "./format.ts";

/** The audit log in words an office user reads: what happened, who did it, to what. */
type Words = [zh: string, en: string];

export const AUDIT_ACTIONS: Record<string, Words> = {
  "auth.login": ["登录", "Signed in"],
  "auth.login-failed": ["登录失败", "Failed sign-in"],
  "auth.logout": ["退出登录", "Signed out"],
  "auth.change-password": ["修改本人密码", "Changed own password"],
  "user.create": ["新建用户", "Created a user"],
  "user.bootstrap-admin": ["创建初始管理员", "Created the first admin"],
  "user.update": ["修改用户", "Changed a user"],
  "user.reset-password": ["重置用户密码", "Reset a password"],
  "plan.import": ["导入方案", "Imported the plan"],
  "plan.reimport": ["重新导入方案", "Re-imported the plan"],
  "deadline.create": ["新建时间节点", "Created a deadline"],
  "deadline.update": ["修改时间节点", "Changed a deadline"],
  "deadline.archive": ["停用时间节点", "Archived a deadline"],
  "round.urge": ["催办", "Urged"],
  "status.record": ["填报进展", "Reported a status"],
  "status.amend": ["补充填报", "Added to a report"],
  "blocker.coordinate": ["困难已协调", "Coordinated a difficulty"],
  "extension.request": ["申请延期", "Asked for an extension"],
  "extension.approve": ["批准延期", "Approved an extension"],
  "extension.reject": ["驳回延期", "Rejected an extension"],
  "notice.broadcast": ["发送通知", "Sent a notice"],
  "notice.remind": ["再次提醒未签收", "Re-sent a notice to who had not signed"],
  "invite.create": ["生成邀请链接", "Created an invite"],
  "invite.revoke": ["撤销邀请", "Revoked an invite"],
  "invite.redeem": ["联络员通过邀请加入", "Joined by invite"],
  "contact.update": ["修改联络人", "Changed a contact"],
  "contact.revoke": ["停用联络人", "Removed a contact"],
  "contact.unreachable": ["联络人无法送达", "Contact unreachable"],
  "contact.reachable": ["联络人恢复可送达", "Contact reachable again"],
  "contact.language": ["联络人切换语言", "Contact changed language"],
  "reminder.acknowledge": ["签收提醒", "Acknowledged a reminder"],
  "reminder.snooze": ["稍后提醒", "Snoozed a reminder"],
  "reminder.reclaim": ["重发中断的提醒", "Reclaimed a reminder"],
  "calendar.create": ["新增节假日/调休", "Added a calendar day"],
  "calendar.update": ["修改节假日/调休", "Changed a calendar day"],
  "calendar.delete": ["删除节假日/调休", "Removed a calendar day"],
  "calendar.bulk-set": ["批量录入节假日", "Entered calendar days in bulk"],
  "export.round-xlsx": ["导出报送台账", "Exported a ledger"],
  "export.round-docx": ["导出质量分析报告", "Exported an analysis draft"],
};

export const AUDIT_ACTORS: Record<string, Words> = { user: ["办公室", "Office"], contact: ["联络人", "Contact"], system: ["系统", "System"] };

export const AUDIT_ENTITIES: Record<string, Words> = {
  User: ["用户", "User"],
  Plan: ["方案", "Plan"],
  Deadline: ["时间节点", "Deadline"],
  Round: ["报送轮次", "Round"],
  StatusUpdate: ["进展记录", "Status"],
  ExtensionRequest: ["延期申请", "Extension"],
  Contact: ["联络人", "Contact"],
  Invite: ["邀请", "Invite"],
  Reminder: ["提醒", "Reminder"],
  CalendarOverride: ["日历", "Calendar"],
  Notice: ["通知", "Notice"],
  Unit: ["单位", "Unit"],
};

const DETAIL_KEYS: Record<string, Words> = {
  taskId: ["任务ID", "task id"],
  roundId: ["轮次ID", "round id"],
  unitId: ["单位ID", "unit id"],
  unit: ["单位", "unit"],
  units: ["单位", "units"],
  unreachable: ["无法联系", "unreachable"],
  status: ["状态", "status"],
  progress: ["进度", "progress"],
  note: ["说明", "note"],
  reason: ["理由", "reason"],
  source: ["来源", "source"],
  submitted: ["计为报送", "submitted"],
  values: ["指标值数", "values"],
  attachments: ["附件数", "attachments"],
  notified: ["通知人数", "notified"],
  username: ["用户名", "username"],
  role: ["角色", "role"],
  name: ["姓名", "name"],
  title: ["标题", "title"],
  ip: ["IP", "IP"],
  date: ["日期", "date"],
  kind: ["类型", "kind"],
  days: ["天数", "days"],
  language: ["语言", "language"],
  newDueAt: ["新截止", "new due"],
  oldDueAt: ["原截止", "old due"],
  until: ["推迟到", "until"],
  movedRounds: ["随之改期的轮次", "rounds moved"],
  rule: ["规则", "rule"],
  dueTime: ["截止时刻", "due time"],
  ladder: ["提醒阶梯", "ladder"],
  assignmentId: ["分工ID", "assignment id"],
  expiresAt: ["有效期至", "expires"],
  before: ["修改前", "before"],
  after: ["修改后", "after"],
  displayName: ["显示名", "display name"],
  disabled: ["已停用", "disabled"],
  fileName: ["文件名", "file"],
  changes: ["变更", "changes"],
  moved: ["换单位", "moved"],
  from: ["原单位", "from"],
  text: ["内容", "text"],
  includeHeads: ["含一把手", "heads too"],
  plan: ["方案", "plan"],
  unitIds: ["单位ID", "unit ids"],
  recipients: ["收件人数", "recipients"],
  withoutContact: ["无法送达的单位", "units nobody can receive it in"],
};

const VALUES: Record<string, Words> = {
  done: ["已完成", "done"],
  in_progress: ["推进中", "in progress"],
  not_started: ["未开始", "not started"],
  blocked: ["有困难", "blocked"],
  console: ["控制台代填", "console"],
  liaison: ["联络员", "liaison"],
  head: ["一把手", "head"],
  "telegram-button": ["按钮回复", "button"],
  "telegram-text": ["文字回复", "text"],
  "telegram-reply": ["回复消息", "reply"],
};

/** Values worded only under their own key (a username "admin" stays as typed). */
const KEYED_VALUES: Record<string, Record<string, Words>> = {
  role: { admin: ["管理员", "admin"], staff: ["工作人员", "staff"], viewer: ["只读", "viewer"] },
  language: { zh: ["中文", "Chinese"], en: ["英文", "English"] },
  kind: { holiday: ["放假", "holiday"], workday: ["调休上班", "make-up workday"] },
};

/** A round moved by a deadline or calendar change (`movedRounds`), times already in Shanghai. */
function isRoundMove(value: object): value is { periodKey: string; from: string; to: string } {
  return "periodKey" in value && "from" in value && "to" in value;
}

function isRule(value: object): value is DeadlineRule {
  const kind = (value as { kind?: unknown }).kind;
  return (kind === "once" && "dueDate" in value) || (kind === "quarterly" && "offsetDays" in value) || (kind === "annual" && "month" in value && "day" in value);
}

function isLadder(value: object): value is Ladder {
  return "before" in value && "overdueEvery" in value && "sendAt" in value;
}

/** Stored instants are UTC ISO strings ("2027-01-14T09:30:00.000Z"): shown as Shanghai wall-clock time. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

function valueText(value: unknown, lang: "zh" | "en", key?: string): string {
  const i = lang === "en" ? 1 : 0;
  if (value === true) return lang === "en" ? "yes" : "是";
  if (value === false) return lang === "en" ? "no" : "否";
  if (value === null || value === undefined) return key === "ladder" ? (lang === "en" ? "default" : "默认") : "—";
  if (Array.isArray(value)) return value.map((v) => valueText(v, lang)).join(lang === "en" ? ", " : "、") || "—";
  if (typeof value === "string") {
    if (ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value))) return fmtDateTime(value);
    return (key ? KEYED_VALUES[key]?.[value]?.[i] : undefined) ?? VALUES[value]?.[i] ?? value;
  }
  if (typeof value === "object" && isRoundMove(value)) return `${periodText(value.periodKey, lang)} ${value.from} → ${value.to}`;
  if (typeof value === "object" && isRule(value)) return describeRule(value, lang);
  if (typeof value === "object" && isLadder(value)) return ladderText(value, lang);
  if (typeof value === "object") return `${lang === "en" ? "(" : "（"}${entriesText(value as Record<string, unknown>, lang, lang === "en" ? ", " : "，")}${lang === "en" ? ")" : "）"}`;
  return String(value);
}

function entriesText(value: Record<string, unknown>, lang: "zh" | "en", separator: string): string {
  const i = lang === "en" ? 1 : 0;
  return Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${DETAIL_KEYS[k]?.[i] ?? k}${lang === "en" ? ": " : "："}${valueText(v, lang, k)}`)
    .join(separator);
}

/** "状态：已完成；进度：100；来源：控制台代填" from the stored JSON; unparseable detail as is. */
export function auditDetailText(detail: string | null, lang: "zh" | "en"): string {
  if (!detail) return "—";
  let parsed: unknown;
  try {
    parsed = JSON.parse(detail);
  } catch {
    return detail;
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return valueText(parsed, lang);
  return entriesText(parsed as Record<string, unknown>, lang, lang === "en" ? "; " : "；");
}
