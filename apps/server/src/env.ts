import { z } from "zod";
import { databaseUrlSchema } from "@duban/db/database-url";
import { workingHoursSettingSchema } from "@duban/domain/working-hours";

/** 钉钉 sends per second by default: below its 20 calls/s per app, which its token and card-update calls share and network jitter crowds. */
export const DINGTALK_DEFAULT_RATE = 16;

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const boolean = z
  .enum(["1", "0", "true", "false", "yes", "no", ""])
  .optional()
  .transform((v) => v === undefined || v === "" ? undefined : ["1", "true", "yes"].includes(v));

/** Every variable the server reads. Invalid values stop the start with the variable named. */
export const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  DATABASE_URL: databaseUrlSchema,
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  SEED_PLAN: z.string().min(1).default("plans/tongjiang-quality-city-2016.txt"),
  ADMIN_USERNAME: optionalText,
  ADMIN_PASSWORD: optionalText.refine((v) => v === undefined || v.length >= 8, "must be at least 8 characters"),
  SCHEDULER: boolean.transform((v) => v ?? true),
  /** "HH:MM-HH:MM", Shanghai time, on workdays: when reminders may be sent and where a snooze lands. */
  WORKING_HOURS: workingHoursSettingSchema,
  TELEGRAM_BOT_TOKEN: optionalText,
  TELEGRAM_API_ROOT: z.url().default("https://api.telegram.org"),
  TELEGRAM_WEBHOOK_URL: z.url().optional().or(z.literal("").transform(() => undefined)),
  TELEGRAM_WEBHOOK_SECRET: optionalText.refine((v) => v === undefined || /^[A-Za-z0-9_-]{1,256}$/.test(v), "1-256 characters of A-Z a-z 0-9 _ -"),
  TELEGRAM_OFFICE_CHAT_ID: optionalText,
  /** Messages/s this instance may send (its share of Telegram's ~30/s per bot: 15 each for two instances). */
  TELEGRAM_RATE: z.coerce.number().int().min(1).max(30).default(30),
  TRUST_PROXY: boolean.transform((v) => v ?? false),
  /** The server's address as browsers (and the platforms' logins) reach it: an http(s) origin, no path, query or fragment. */
  PUBLIC_URL: optionalText
    .refine((v) => {
      const url = v === undefined ? null : URL.canParse(v) ? new URL(v) : undefined;
      return url === null || (!!url && (url.protocol === "https:" || url.protocol === "http:") && url.pathname === "/" && !url.search && !url.hash && !url.username);
    }, "must be the server's http(s) address without a path, e.g. https://duban.example.org")
    .transform((v) => (v === undefined ? undefined : new URL(v).origin)),
  /** Backups: the folder (default: backups/ next to the SQLite file), the nightly time (Shanghai, "off" for none), days kept. */
  BACKUP_DIR: optionalText,
  BACKUP_AT: z
    .string()
    .trim()
    .regex(/^(([01]\d|2[0-3]):[0-5]\d|off)$/, 'must be HH:MM (Asia/Shanghai) or "off"')
    .default("03:00"),
  BACKUP_KEEP: z.coerce.number().int().min(1).max(3650).default(14),
  /** Bearer token for GET /metrics; without one, only clients on this host (not through a proxy) may read it. */
  METRICS_TOKEN: optionalText.refine((v) => v === undefined || v.length >= 16, "must be at least 16 characters"),
  /** 企业微信 self-built app (自建应用): all five, or none (the channel is off). */
  WECOM_CORP_ID: optionalText.refine((v) => v === undefined || /^[A-Za-z0-9]{1,64}$/.test(v), "the CorpID (我的企业 → 企业信息), letters and digits"),
  WECOM_AGENT_ID: optionalText.refine((v) => v === undefined || /^\d{1,10}$/.test(v), "the app's AgentId, a number").transform((v) => (v === undefined ? undefined : Number(v))),
  WECOM_SECRET: optionalText,
  WECOM_TOKEN: optionalText.refine((v) => v === undefined || /^[A-Za-z0-9]{1,32}$/.test(v), "the callback Token: up to 32 letters and digits"),
  WECOM_AES_KEY: optionalText.refine((v) => v === undefined || /^[A-Za-z0-9+/]{43}$/.test(v), "the EncodingAESKey: 43 characters of Base64"),
  WECOM_API_ROOT: z.url().default("https://qyapi.weixin.qq.com"),
  /** Where 企业微信's web login (网页授权) lives, for invitation links (tests: the local emulator). */
  WECOM_OAUTH_ROOT: z.url().default("https://open.weixin.qq.com"),
  /** 钉钉 企业内部应用 with a robot in Stream mode: all three, or none (the channel is off). */
  DINGTALK_CLIENT_ID: optionalText.refine((v) => v === undefined || /^[A-Za-z0-9_-]{1,64}$/.test(v), "the app's Client ID (原 AppKey), letters and digits"),
  DINGTALK_CLIENT_SECRET: optionalText,
  DINGTALK_ROBOT_CODE: optionalText.refine((v) => v === undefined || /^[A-Za-z0-9_-]{1,64}$/.test(v), "the robot's RobotCode, letters and digits"),
  /** https://api.dingtalk.com: the OpenAPI and the Stream gateway (tests point it at a local emulator). */
  DINGTALK_API_ROOT: z.url().default("https://api.dingtalk.com"),
  /** 钉钉's login page and its older server API (userid by unionId), for invitation links (tests: the emulator). */
  DINGTALK_LOGIN_ROOT: z.url().default("https://login.dingtalk.com"),
  DINGTALK_OAPI_ROOT: z.url().default("https://oapi.dingtalk.com"),
  /** Messages/s this instance sends (钉钉 allows 20 calls/s per app; the default leaves room for its other calls and jitter). */
  DINGTALK_RATE: z.coerce.number().int().min(1).max(20).default(DINGTALK_DEFAULT_RATE),
  /** 飞书 self-built app (自建应用): both, or neither (the channel is off). Events come over the long connection unless FEISHU_EVENT_MODE=http. */
  FEISHU_APP_ID: optionalText.refine((v) => v === undefined || /^cli_[0-9a-fA-F]{16}$/.test(v), "the App ID (凭证与基础信息), cli_ and 16 hex digits"),
  FEISHU_APP_SECRET: optionalText,
  /** https://open.feishu.cn; Lark (international): https://open.larksuite.com. */
  FEISHU_API_ROOT: z.url().default("https://open.feishu.cn"),
  /** 飞书's login page (获取授权码), for invitation links; Lark: https://accounts.larksuite.com. */
  FEISHU_ACCOUNTS_ROOT: z.url().default("https://accounts.feishu.cn"),
  /** Calls/s this instance may start (飞书 allows 50/s per app; the default leaves room; 20 each for two instances). */
  FEISHU_RATE: z.coerce.number().int().min(1).max(50).default(40),
  /** How 飞书 delivers events and card taps: "ws", the long connection Duban opens (default), or "http", 飞书 posts to /feishu/events and /feishu/card. */
  FEISHU_EVENT_MODE: optionalText
    .refine((v) => v === undefined || v === "ws" || v === "http", '"ws" (the long connection, the default) or "http" (飞书 posts to the request URLs)')
    .transform((v) => (v ?? "ws") as "ws" | "http"),
  /** HTTP mode: 事件与回调 → 加密策略. The Encrypt Key decrypts and signs each request; the Verification Token is inside each. */
  FEISHU_ENCRYPT_KEY: optionalText.refine((v) => v === undefined || /^[\x21-\x7e]{1,256}$/.test(v), "the Encrypt Key (加密策略), 1-256 printable characters"),
  FEISHU_VERIFICATION_TOKEN: optionalText.refine((v) => v === undefined || /^[\x21-\x7e]{1,256}$/.test(v), "the Verification Token (加密策略), 1-256 printable characters"),
});

export const WECOM_VARIABLES = ["WECOM_CORP_ID", "WECOM_AGENT_ID", "WECOM_SECRET", "WECOM_TOKEN", "WECOM_AES_KEY"] as const;
export const DINGTALK_VARIABLES = ["DINGTALK_CLIENT_ID", "DINGTALK_CLIENT_SECRET", "DINGTALK_ROBOT_CODE"] as const;

export const FEISHU_VARIABLES = ["FEISHU_APP_ID", "FEISHU_APP_SECRET"] as const;
export const FEISHU_HTTP_VARIABLES = ["FEISHU_ENCRYPT_KEY", "FEISHU_VERIFICATION_TOKEN"] as const;

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (result.success) {
    const env = result.data;
    if ((env.ADMIN_USERNAME === undefined) !== (env.ADMIN_PASSWORD === undefined)) {
      throw new EnvError("ADMIN_USERNAME and ADMIN_PASSWORD must be set together");
    }
    if (env.TELEGRAM_WEBHOOK_URL && !env.TELEGRAM_WEBHOOK_SECRET) {
      throw new EnvError("TELEGRAM_WEBHOOK_SECRET is required when TELEGRAM_WEBHOOK_URL is set");
    }
    const wecomSet = WECOM_VARIABLES.filter((name) => env[name] !== undefined);
    if (wecomSet.length > 0 && wecomSet.length < WECOM_VARIABLES.length) {
      throw new EnvError(`企业微信 needs all of ${WECOM_VARIABLES.join(", ")}; missing: ${WECOM_VARIABLES.filter((name) => env[name] === undefined).join(", ")}`);
    }
    const dingtalkSet = DINGTALK_VARIABLES.filter((name) => env[name] !== undefined);
    if (dingtalkSet.length > 0 && dingtalkSet.length < DINGTALK_VARIABLES.length) {
      throw new EnvError(`钉钉 needs all of ${DINGTALK_VARIABLES.join(", ")}; missing: ${DINGTALK_VARIABLES.filter((name) => env[name] === undefined).join(", ")}`);
    }
    const feishuSet = FEISHU_VARIABLES.filter((name) => env[name] !== undefined);
    if (feishuSet.length > 0 && feishuSet.length < FEISHU_VARIABLES.length) {
      throw new EnvError(`飞书 needs all of ${FEISHU_VARIABLES.join(", ")}; missing: ${FEISHU_VARIABLES.filter((name) => env[name] === undefined).join(", ")}`);
    }
    const feishuHttpSet = FEISHU_HTTP_VARIABLES.filter((name) => env[name] !== undefined);
    if (env.FEISHU_EVENT_MODE === "http") {
      if (feishuSet.length === 0) throw new EnvError("FEISHU_EVENT_MODE=http needs the 飞书 app: set FEISHU_APP_ID and FEISHU_APP_SECRET");
      // Without the Encrypt Key 飞书 neither encrypts nor signs: anyone could post a liaison's answer.
      if (feishuHttpSet.length < FEISHU_HTTP_VARIABLES.length) {
        throw new EnvError(`FEISHU_EVENT_MODE=http needs ${FEISHU_HTTP_VARIABLES.join(" and ")} (开发者后台 → 事件与回调 → 加密策略); missing: ${FEISHU_HTTP_VARIABLES.filter((name) => env[name] === undefined).join(", ")}`);
      }
    } else if (feishuHttpSet.length > 0) {
      throw new EnvError(`${feishuHttpSet.join(" and ")} are for FEISHU_EVENT_MODE=http; the long connection (the default) needs neither: set FEISHU_EVENT_MODE=http or remove them`);
    }
    return env;
  }
  const lines = result.error.issues.map((issue) => `  ${issue.path.join(".") || "(env)"}: ${issue.message}`);
  throw new EnvError(`Invalid environment:\n${lines.join("\n")}`);
}
