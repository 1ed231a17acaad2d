import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import type { ReportStatus } from "@duban/domain/parse-reply";

/**
 * Inline-button payloads. Compact (Telegram allows 64 bytes), validated with zod, bound to the
 * contact the button was sent to, and signed: a forged or copied payload is recognised and
 * does nothing. Format: `action|contactId|args…|signature`.
 */

/** What a status button points at: a reminder, a round of the unit, or a task without a round. */
export type StatusRef = { kind: "reminder"; id: number } | { kind: "round"; id: number } | { kind: "task"; id: number };

export type CallbackAction =
  | { action: "status"; contactId: number; status: ReportStatus; ref: StatusRef }
  | { action: "snooze"; contactId: number; reminderId: number }
  | { action: "extension"; contactId: number; roundId: number }
  | { action: "skip"; contactId: number }
  | { action: "finish"; contactId: number }
  | { action: "task"; contactId: number; taskId: number }
  | { action: "report"; contactId: number; taskId: number }
  | { action: "pick-task"; contactId: number; taskId: number }
  | { action: "pick-round"; contactId: number; roundId: number }
  | { action: "language"; contactId: number; language: "zh" | "en" }
  | { action: "notice-receipt"; contactId: number; noticeId: number };

const STATUS_CODES = { done: "d", in_progress: "p", blocked: "b", not_started: "n" } as const satisfies Record<ReportStatus, string>;
const CODE_STATUS = Object.fromEntries(Object.entries(STATUS_CODES).map(([s, c]) => [c, s])) as Record<string, ReportStatus>;
const REF_KINDS = { reminder: "r", round: "n", task: "t" } as const;
const ACTION_CODES = {
  status: "st",
  snooze: "sz",
  extension: "ex",
  skip: "sk",
  finish: "fi",
  task: "td",
  report: "rp",
  "pick-task": "pt",
  "pick-round": "pr",
  language: "lg",
  "notice-receipt": "nr",
} as const satisfies Record<CallbackAction["action"], string>;

const id = z.string().regex(/^[1-9]\d{0,9}$/).transform(Number);
const statusCode = z.enum(["d", "p", "b", "n"]).transform((c) => CODE_STATUS[c]!);
const ref = z
  .string()
  .regex(/^[rnt][1-9]\d{0,9}$/)
  .transform((v): StatusRef => {
    const n = Number(v.slice(1));
    return v[0] === "r" ? { kind: "reminder", id: n } : v[0] === "n" ? { kind: "round", id: n } : { kind: "task", id: n };
  });

const schemas = {
  st: z.tuple([id, statusCode, ref]).transform(([contactId, status, r]) => ({ action: "status" as const, contactId, status, ref: r })),
  sz: z.tuple([id, id]).transform(([contactId, reminderId]) => ({ action: "snooze" as const, contactId, reminderId })),
  ex: z.tuple([id, id]).transform(([contactId, roundId]) => ({ action: "extension" as const, contactId, roundId })),
  sk: z.tuple([id]).transform(([contactId]) => ({ action: "skip" as const, contactId })),
  fi: z.tuple([id]).transform(([contactId]) => ({ action: "finish" as const, contactId })),
  td: z.tuple([id, id]).transform(([contactId, taskId]) => ({ action: "task" as const, contactId, taskId })),
  rp: z.tuple([id, id]).transform(([contactId, taskId]) => ({ action: "report" as const, contactId, taskId })),
  pt: z.tuple([id, id]).transform(([contactId, taskId]) => ({ action: "pick-task" as const, contactId, taskId })),
  pr: z.tuple([id, id]).transform(([contactId, roundId]) => ({ action: "pick-round" as const, contactId, roundId })),
  lg: z.tuple([id, z.enum(["zh", "en"])]).transform(([contactId, language]) => ({ action: "language" as const, contactId, language })),
  nr: z.tuple([id, id]).transform(([contactId, noticeId]) => ({ action: "notice-receipt" as const, contactId, noticeId })),
} satisfies Record<string, z.ZodType<CallbackAction, readonly string[]>>;

/** 60 bits of HMAC: enough that guessing a valid payload for someone else's button is hopeless. */
const SIGNATURE_LENGTH = 10;

/** The signing key, derived from the bot token so no extra secret needs configuring. */
export function callbackSecretFor(botToken: string): string {
  return createHash("sha256").update(`duban/callback-data/${botToken}`).digest("hex");
}

function sign(payload: string, secret: string): string {
  return createHmac("sha256", secret).update(payload).digest("base64url").slice(0, SIGNATURE_LENGTH);
}

function argsOf(data: CallbackAction): Array<string | number> {
  switch (data.action) {
    case "status":
      return [STATUS_CODES[data.status], `${REF_KINDS[data.ref.kind]}${data.ref.id}`];
    case "snooze":
      return [data.reminderId];
    case "extension":
    case "pick-round":
      return [data.roundId];
    case "task":
    case "report":
    case "pick-task":
      return [data.taskId];
    case "language":
      return [data.language];
    case "notice-receipt":
      return [data.noticeId];
    case "skip":
    case "finish":
      return [];
  }
}

export function encodeCallbackData(data: CallbackAction, secret: string): string {
  const payload = [ACTION_CODES[data.action], data.contactId, ...argsOf(data)].join("|");
  const encoded = `${payload}|${sign(payload, secret)}`;
  if (Buffer.byteLength(encoded) > 64) throw new Error(`callback data too long: ${encoded}`);
  return encoded;
}

/** The action, or null when the payload is malformed or its signature is wrong. */
export function decodeCallbackData(raw: string | undefined, secret: string): CallbackAction | null {
  if (!raw || raw.length > 64) return null;
  const cut = raw.lastIndexOf("|");
  if (cut <= 0) return null;
  const payload = raw.slice(0, cut);
  const signature = Buffer.from(raw.slice(cut + 1));
  const expected = Buffer.from(sign(payload, secret));
  if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) return null;
  const [code, ...args] = payload.split("|");
  const schema = schemas[code as keyof typeof schemas] as z.ZodType<CallbackAction, readonly string[]> | undefined;
  if (!schema) return null;
  const parsed = schema.safeParse(args);
  return parsed.success ? parsed.data : null;
}
