import type { Logger } from "pino";
import type { Db } from "@duban/db/client";
import type { WorkingHours } from "@duban/domain/working-hours";
import type { Env } from "../../env.ts";
import { DingtalkApi } from "./api.ts";
import { DingtalkMessenger } from "./messenger.ts";
import { startDingtalkStream, type DingtalkStream } from "./stream.ts";
import type { ChannelLogin } from "../channel-login.ts";
import { dingtalkLogin } from "./oauth.ts";

export interface DingtalkChannel {
  messenger: DingtalkMessenger;
  /** Opens the Stream connection (taps and messages come in over it); call once the database is ready. */
  listen(deps: { db: Db; log: Logger; workingHours?: WorkingHours; now?: () => Date }): DingtalkStream;
  /** 钉钉 登录 for invitation links (used when PUBLIC_URL is set). */
  login: ChannelLogin;
}

/** The 钉钉 channel when DINGTALK_* are set (env.ts checks all or none), else null with a log line saying so. */
export function dingtalkChannel(env: Env, log: Logger): DingtalkChannel | null {
  if (!env.DINGTALK_CLIENT_ID || !env.DINGTALK_CLIENT_SECRET || !env.DINGTALK_ROBOT_CODE) {
    log.info("DINGTALK_* are not set: the 钉钉 channel is off");
    return null;
  }
  const config = { clientId: env.DINGTALK_CLIENT_ID, clientSecret: env.DINGTALK_CLIENT_SECRET, robotCode: env.DINGTALK_ROBOT_CODE, apiRoot: env.DINGTALK_API_ROOT };
  const api = new DingtalkApi(config);
  const messenger = new DingtalkMessenger(api);
  log.info({ robotCode: config.robotCode }, "钉钉 channel on: Stream mode, no callback URL needed");
  return {
    messenger,
    login: dingtalkLogin({ ...config, loginRoot: env.DINGTALK_LOGIN_ROOT, oapiRoot: env.DINGTALK_OAPI_ROOT }, api, messenger),
    listen: ({ db, log: logger, workingHours, now }) =>
      startDingtalkStream(config, { db, log: logger, now: now ?? (() => new Date()), robotCode: config.robotCode, messenger, ...(workingHours ? { workingHours } : {}) }),
  };
}
