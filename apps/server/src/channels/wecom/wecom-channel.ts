import type { Logger } from "pino";
import type { Env } from "../../env.ts";
import { WecomApi } from "./api.ts";
import type { WecomCallbackConfig } from "./callback.ts";
import { WecomMessenger } from "./messenger.ts";
import type { ChannelLogin } from "../channel-login.ts";
import { wecomLogin } from "./oauth.ts";

export interface WecomChannel {
  messenger: WecomMessenger;
  /** What the server's /wecom/callback needs. */
  inbound: { config: WecomCallbackConfig; messenger: WecomMessenger };
  /** 网页授权 for invitation links (used when PUBLIC_URL is set). */
  login: ChannelLogin;
}

/** The 企业微信 channel when WECOM_* are set (env.ts checks all or none), else null with a log line saying so. */
export function wecomChannel(env: Env, log: Logger): WecomChannel | null {
  if (!env.WECOM_CORP_ID || !env.WECOM_AGENT_ID || !env.WECOM_SECRET || !env.WECOM_TOKEN || !env.WECOM_AES_KEY) {
    log.info("WECOM_* are not set: the 企业微信 channel is off");
    return null;
  }
  const api = new WecomApi({ corpId: env.WECOM_CORP_ID, agentId: env.WECOM_AGENT_ID, secret: env.WECOM_SECRET, apiRoot: env.WECOM_API_ROOT });
  const messenger = new WecomMessenger(api);
  log.info({ agentId: env.WECOM_AGENT_ID }, "企业微信 channel on: callback at /wecom/callback");
  return {
    messenger,
    inbound: { config: { corpId: env.WECOM_CORP_ID, token: env.WECOM_TOKEN, aesKey: env.WECOM_AES_KEY }, messenger },
    login: wecomLogin({ corpId: env.WECOM_CORP_ID, agentId: env.WECOM_AGENT_ID, oauthRoot: env.WECOM_OAUTH_ROOT }, api, messenger),
  };
}
