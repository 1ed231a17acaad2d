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

/** A round moved by a deadline or calendar change (`movedRounds`), times in Shanghai. */
function isRoundMove(value: object): value is { periodKey: string; from: string; to: string } {
  return "periodKey" in value && "from" in value && "to" in value;
}

function valueText(value: unknown, lang: "zh" | "en"): string {
  const i = lang === "en" ? 1 : 0;
  if (value === true) return lang === "en" ? "yes" : "是";
  if (value === false) return lang === "en" ? "no" : "否";
  if (value === null || value === undefined) return "—";
  if (Array.isArray(value)) return value.map((v) => valueText(v, lang)).join(lang === "en" ? ", " : "、") || "—";
  if (typeof value === "string") {
    if (/^\d{4}-\d{2}-\d{2}T/.test(value)) return value.slice(0, 16).replace("T", " ") + " UTC";
    return VALUES[value]?.[i] ?? value;
  }
  if (typeof value === "object" && isRoundMove(value)) return `${value.periodKey === "once" ? (lang === "en" ? "one-off" : "一次性") : value.periodKey} ${value.from} → ${value.to}`;
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
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
  const i = lang === "en" ? 1 : 0;
  return Object.entries(parsed as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${DETAIL_KEYS[k]?.[i] ?? k}${lang === "en" ? ": " : "："}${valueText(v, lang)}`)
    .join(lang === "en" ? "; " : "；");
}
