import * as lark from "@larksuiteoapi/node-sdk";
import type { Logger } from "pino";
import type { Env } from "../../env.ts";
import { FeishuApi, sdkLogger } from "./api.ts";
import { feishuCallbackRoutes, type FeishuCallbackRoutes } from "./callback.ts";
import { feishuEventDispatcher, type FeishuInboundDeps } from "./events.ts";
import { FeishuMessenger } from "./messenger.ts";
import type { ChannelLogin } from "../channel-login.ts";
import { feishuLogin } from "./oauth.ts";

export interface FeishuConnection {
  stop(): void;
}

/**
 * Opens the long connection (长连接, the SDK's WSClient): it asks
 * `<apiRoot>/callback/ws/endpoint` for a WebSocket URL with the app's id and secret, then
 * receives events as protobuf frames and answers each on the same socket; it pings, and
 * reconnects by itself when the socket drops. No public URL is needed. `onReady` is called
 * when the first connection is up, `onError` when 飞书 refused the app's credentials.
 */
export function connectFeishu(
  config: { appId: string; appSecret: string; apiRoot: string },
  deps: Omit<FeishuInboundDeps, "appId">,
  hooks: { onReady?: () => void; onError?: (error: Error) => void } = {},
): FeishuConnection {
  const client = new lark.WSClient({
    appId: config.appId,
    appSecret: config.appSecret,
    domain: config.apiRoot.replace(/\/$/, ""),
    logger: sdkLogger(deps.log),
    loggerLevel: lark.LoggerLevel.warn,
    ...(hooks.onReady ? { onReady: hooks.onReady } : {}),
    ...(hooks.onError ? { onError: hooks.onError } : {}),
  });
  void client.start({ eventDispatcher: feishuEventDispatcher({ ...deps, appId: config.appId }) });
  return { stop: () => client.close({ force: true }) };
}

export interface FeishuChannel {
  messenger: FeishuMessenger;
  /** Starts receiving taps and texts over the long connection (once the database is ready); in HTTP mode it opens nothing. */
  connect(deps: Omit<FeishuInboundDeps, "appId" | "messenger">): FeishuConnection;
  /** FEISHU_EVENT_MODE=http: what the server's /feishu/events and /feishu/card need; null with the long connection. */
  callback: FeishuCallbackRoutes | null;
  /** 飞书 网页应用登录 for invitation links (used when PUBLIC_URL is set). */
  login: ChannelLogin;
}

/** The 飞书 channel when FEISHU_* are set (env.ts checks both or none), else null with a log line saying so. */
export function feishuChannel(env: Env, log: Logger): FeishuChannel | null {
  if (!env.FEISHU_APP_ID || !env.FEISHU_APP_SECRET) {
    log.info("FEISHU_APP_ID/FEISHU_APP_SECRET are not set: the 飞书 channel is off");
    return null;
  }
  const config = { appId: env.FEISHU_APP_ID, appSecret: env.FEISHU_APP_SECRET, apiRoot: env.FEISHU_API_ROOT };
  const messenger = new FeishuMessenger(new FeishuApi({ ...config, ratePerSecond: env.FEISHU_RATE }, { log }));
  const login = feishuLogin({ ...config, accountsRoot: env.FEISHU_ACCOUNTS_ROOT }, messenger);
  if (env.FEISHU_EVENT_MODE === "http" && env.FEISHU_ENCRYPT_KEY && env.FEISHU_VERIFICATION_TOKEN) {
    log.info({ appId: env.FEISHU_APP_ID }, "飞书 channel on: events posted to /feishu/events and /feishu/card");
    const callback = feishuCallbackRoutes({ config: { encryptKey: env.FEISHU_ENCRYPT_KEY, verificationToken: env.FEISHU_VERIFICATION_TOKEN }, appId: env.FEISHU_APP_ID, messenger });
    return { messenger, login, callback, connect: () => ({ stop: () => {} }) };
  }
  log.info({ appId: env.FEISHU_APP_ID }, "飞书 channel on: events over the long connection");
  return {
    messenger,
    login,
    callback: null,
    connect: (deps) =>
      connectFeishu(config, { ...deps, messenger }, {
        onReady: () => log.info("飞书 long connection is up"),
        onError: (error) => log.error({ reason: error.message }, "飞书 long connection refused (check FEISHU_APP_ID and FEISHU_APP_SECRET); reminders are still sent"),
      }),
  };
}
