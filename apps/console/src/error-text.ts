/**
 * The server answers refusals in Chinese, with a tRPC code, the use case's reason code and
 * validation issues as data (packages/api/src/trpc.ts). This words them in the console's language.
 */
export type ErrorLang = "zh" | "en";

export interface InputIssue {
  path: string;
  code: string;
  message: string;
  minimum?: number;
  maximum?: number;
}

export interface ServerError {
  /** tRPC code ("UNAUTHORIZED"…); "CLIENT" for an error in the browser; null when the server did not answer at all. */
  code: string | null;
  message: string;
  reason?: string | null;
  issues?: InputIssue[] | null;
}

type Words = { zh: string; en: string };

/** Use-case reason codes (packages/core) → wording. Chinese falls back to the server's own message. */
const REASONS: Record<string, Words> = {
  "already-decided": { zh: "该申请已处理", en: "This request has already been decided" },
  "already-coordinated": { zh: "该困难已标记为已协调", en: "This difficulty has already been coordinated" },
  superseded: { zh: "该单位已报送了更新的进展，请刷新后再处理", en: "The unit has reported since; refresh and look again" },
  "not-blocked": { zh: "该条进展不是“有困难”", en: "This report is not a difficulty" },
  "bad-date": { zh: "新的截止日期应晚于原截止日期", en: "The new due date must be later than the current one" },
  "not-your-task": { zh: "该任务不属于本单位", en: "This task is not assigned to the unit" },
  "round-mismatch": { zh: "报送轮次与任务不符", en: "That reporting round belongs to another task" },
  "indicator-mismatch": { zh: "指标不属于该任务", en: "That indicator belongs to another task" },
  "username-taken": { zh: "用户名已存在", en: "That username is taken" },
  "last-admin": { zh: "至少需要保留一个启用的管理员", en: "At least one active administrator must remain" },
  "unit-not-found": { zh: "找不到该单位", en: "No such unit" },
  "not-found": { zh: "记录不存在或已被删除", en: "Not found (it may have been deleted)" },
  conflict: { zh: "与现有记录冲突", en: "This conflicts with an existing record" },
};

/** Messages the server sends without a reason code. */
const MESSAGES: Record<string, string> = {
  用户名或密码错误: "Wrong username or password",
  请先登录: "Please sign in",
  只读账号不能修改: "Read-only accounts cannot make changes",
  仅管理员可操作: "Only administrators can do this",
  当前密码不正确: "The current password is wrong",
  "未配置 Telegram 机器人（TELEGRAM_BOT_TOKEN），无法生成邀请链接": "No Telegram bot is configured (TELEGRAM_BOT_TOKEN), so invite links cannot be made",
};

/** Field names as the forms label them. */
const FIELDS: Record<string, Words> = {
  username: { zh: "用户名", en: "Username" },
  password: { zh: "密码", en: "Password" },
  currentPassword: { zh: "当前密码", en: "Current password" },
  newPassword: { zh: "新密码", en: "New password" },
  note: { zh: "说明", en: "Note" },
  reason: { zh: "理由", en: "Reason" },
  progress: { zh: "进度", en: "Progress" },
  status: { zh: "状态", en: "Status" },
  title: { zh: "名称", en: "Title" },
  text: { zh: "内容", en: "Text" },
  newDueDate: { zh: "新的截止日期", en: "New due date" },
  date: { zh: "日期", en: "Date" },
  displayName: { zh: "姓名", en: "Name" },
  name: { zh: "姓名", en: "Name" },
};

const HAN = /[\u4e00-\u9fff]/;

function fieldName(path: string, lang: ErrorLang): string {
  if (!path) return "";
  const last = path.split(".").filter((p) => !/^\d+$/.test(p)).pop() ?? path;
  return FIELDS[last]?.[lang] ?? last;
}

function issueText(issue: InputIssue, lang: ErrorLang): string {
  const field = fieldName(issue.path, lang);
  // A message the schema words itself in Chinese ("请填写理由") is the best there is in Chinese.
  if (lang === "zh" && HAN.test(issue.message)) return issue.message;
  const zh = lang === "zh";
  let what: string;
  switch (issue.code) {
    case "too_small":
      what =
        issue.minimum === undefined || issue.minimum <= 1
          ? zh ? "不能为空" : "is required"
          : zh ? `至少 ${issue.minimum}（字符或数值）` : `must be at least ${issue.minimum}`;
      break;
    case "too_big":
      what = issue.maximum === undefined ? (zh ? "过长或过大" : "is too long or too large") : zh ? `不能超过 ${issue.maximum}` : `must be at most ${issue.maximum}`;
      break;
    case "invalid_type":
      what = zh ? "缺失或类型不对" : "is missing or of the wrong type";
      break;
    case "invalid_value":
    case "invalid_enum_value":
      what = zh ? "取值无效" : "has an invalid value";
      break;
    case "invalid_format":
    case "invalid_string":
      what = zh ? "格式不正确" : "is not in the right format";
      break;
    default:
      what = !zh && HAN.test(issue.message) ? "is not valid" : issue.message || (zh ? "无效" : "is not valid");
  }
  return field ? (zh ? `${field}${what}` : `${field} ${what}`) : what;
}

export function errorText(error: ServerError, lang: ErrorLang): string {
  const zh = lang === "zh";
  const known = (words: Words | undefined, fallback: string) => (words ? words[lang] : fallback);
  switch (error.code) {
    case null:
      return zh ? "无法连接服务器，请检查网络后重试" : "Cannot reach the server; check the connection and try again";
    case "CLIENT":
      return error.message;
    case "INTERNAL_SERVER_ERROR":
      return zh ? "服务器出错，请稍后重试" : "Server error; please try again later";
    case "UNAUTHORIZED":
      if (error.message === "用户名或密码错误") return zh ? error.message : MESSAGES[error.message]!;
      return zh ? "登录已失效，请重新登录" : "Your session has ended; please sign in again";
    case "FORBIDDEN":
      return zh ? error.message || "没有权限执行此操作" : (MESSAGES[error.message] ?? "You do not have permission to do this");
    case "TOO_MANY_REQUESTS": {
      const minutes = /(\d+)\s*分钟/.exec(error.message)?.[1];
      if (zh) return error.message || "尝试次数过多，请稍后再试";
      return minutes ? `Too many attempts; try again in ${minutes} minute${minutes === "1" ? "" : "s"}` : "Too many attempts; please wait and try again";
    }
    case "TIMEOUT":
      return zh ? "请求超时，请重试" : "The request timed out; try again";
    case "PAYLOAD_TOO_LARGE":
      return zh ? "内容过大" : "The content is too large";
  }
  if (error.issues && error.issues.length > 0) {
    return (zh ? "输入有误：" : "Invalid input: ") + error.issues.map((i) => issueText(i, lang)).join(zh ? "；" : "; ");
  }
  if (zh) return HAN.test(error.message) ? error.message : (REASONS[error.reason ?? ""]?.zh ?? "请求未被接受");
  const byReason = error.reason ? REASONS[error.reason] : undefined;
  // The use case's own message is more precise than a generic "not found" when it is known.
  return MESSAGES[error.message] ?? known(byReason, HAN.test(error.message) ? `The server refused this (${error.code ?? "error"})` : error.message);
}
