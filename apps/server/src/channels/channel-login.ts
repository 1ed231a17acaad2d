import type { SendResult } from "@duban/core/channels/messenger";
import type { LoginChannel } from "@duban/core/invites/channel-invite-link";

/** Who the platform's web login says opened the link, or why it could not say. */
export type LoginAccount =
  | { ok: true; externalId: string }
  /**
   * code: the platform refused the code (used, expired, unknown); outsider: a person the app
   * cannot reach (not a member of the organisation, outside the app's range); unavailable: no
   * answer, or the app's credentials were refused. `detail` is for the log: codes, never a secret.
   */
  | { ok: false; problem: "code" | "outsider" | "unavailable"; detail: string };

/**
 * A channel's web login (OAuth), as invitation links use it: the platform's authorize URL, the
 * exchange of the code it redirects back with for the member's account on the channel (the
 * same id its messages carry), and a text to them in chat once bound.
 */
export interface ChannelLogin {
  channel: LoginChannel;
  authorizeUrl(redirectUri: string, state: string): string;
  account(code: string, redirectUri: string): Promise<LoginAccount>;
  sendText(externalId: string, text: string): Promise<SendResult>;
}
