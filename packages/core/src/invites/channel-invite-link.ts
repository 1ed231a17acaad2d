import type { Channel } from "../channels/messenger.ts";
import type { RedeemInviteResult } from "./claim-invite.ts";
import { inviteTokenSchema } from "./invite-token.ts";

/** The channels whose invitation is a link to the platform's web login (OAuth) that comes back to Duban. */
export type LoginChannel = Exclude<Channel, "telegram">;
export const LOGIN_CHANNELS: readonly LoginChannel[] = ["wecom", "dingtalk", "feishu"];

/** Where the platform sends the member back after its login: `<PUBLIC_URL>/join/<channel>`. */
export function joinPath(channel: LoginChannel): string {
  return `/join/${channel}`;
}

/**
 * The OAuth `state` of an invitation link: the channel, then the invitation's token in hex.
 * 企业微信 allows only a-zA-Z0-9 in `state`, up to 128 bytes; a token of 32 characters gives 64.
 * The token itself is the secret (192 bits, only its hash stored): nothing else to sign, since a
 * state that names no invitation is refused like a wrong `绑定` code.
 */
export function inviteState(channel: LoginChannel, token: string): string {
  return `${channel}${Buffer.from(token, "utf8").toString("hex")}`;
}

export type ParsedInviteState = { ok: true; channel: LoginChannel; token: string } | { ok: false };

/** Reads `inviteState` back; anything else (forged, cut off, another format) is `{ ok: false }`. */
export function parseInviteState(state: string | undefined | null): ParsedInviteState {
  const match = /^(wecom|dingtalk|feishu)((?:[0-9a-f]{2}){16,64})$/.exec(state ?? "");
  if (!match) return { ok: false };
  const token = Buffer.from(match[2]!, "hex").toString("utf8");
  if (!inviteTokenSchema.safeParse(token).success) return { ok: false };
  return { ok: true, channel: match[1] as LoginChannel, token };
}

/** What the app says in chat to a `绑定 <code>` it cannot honour. */
export const INVITE_REFUSED_TEXT = "邀请无效、已使用或已过期，请向办公室重新索取。";

/** What the app says in chat once a member is bound, whether by `绑定 <code>` or by the link. */
export function boundText(result: Extract<RedeemInviteResult, { ok: true }>): string {
  const role = result.role === "head" ? "负责人" : "联络员";
  return `已绑定为「${result.unit.name}」的${role}。督办提醒将发送到这里。`;
}
