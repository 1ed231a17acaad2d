import { DWClient, type DWClientDownStream } from "dingtalk-stream";
import type { Logger } from "pino";
import { handleCardCallback, handleRobotMessage, TOPIC_CARD_CALLBACK, TOPIC_ROBOT_MESSAGE, type DingtalkInboundDeps } from "./inbound.ts";

/**
 * Stream mode (Stream 模式), through the official `dingtalk-stream` SDK: the server opens a
 * WebSocket to 钉钉, so 钉钉 needs no public URL of ours (government intranets rarely have one).
 * The protocol (Stream 模式协议接入说明): POST /v1.0/gateway/connections/open with the Client ID,
 * Secret and the topics subscribed → {endpoint, ticket}; a WebSocket to `endpoint?ticket=…`;
 * frames {specVersion, type: SYSTEM | EVENT | CALLBACK, headers: {messageId, topic, …}, data}
 * (data a JSON string); each CALLBACK is answered with {code: 200, headers: {messageId},
 * message: "OK", data} or 钉钉 pushes it again. The SDK does the socket, the ping answers,
 * keep-alive and reconnection; this class only points its gateway at DINGTALK_API_ROOT (the SDK
 * hard-codes api.dingtalk.com; tests use the local emulator) and hands each frame to inbound.ts,
 * acking it once handled. A frame whose handling failed is not acked: 钉钉 pushes it again.
 */
class GatewayClient extends DWClient {
  private failing = false;
  private stopped = false;

  constructor(
    private readonly options: { clientId: string; clientSecret: string; gatewayUrl: string; log?: Logger },
  ) {
    // Its own subscription list: the SDK's default is one array shared by every client, and
    // subscribes to all EVENTs (organisation changes…), which Duban does not read.
    const own = { clientId: options.clientId, clientSecret: options.clientSecret, keepAlive: true, debug: false, subscriptions: [] as Array<{ type: string; topic: string }> };
    super(own);
  }

  /** Stops for good: the SDK would otherwise reconnect from a retry already scheduled. */
  stop(): void {
    this.stopped = true;
    this.disconnect();
  }

  // The SDK starts a keep-alive interval per connection and clears it only on disconnect():
  // after 钉钉 closes a connection, the next one would run beside the old interval.
  override async _connect(): Promise<void> {
    if (this.stopped) throw new Error("dingtalk stream stopped");
    const self = this as unknown as { heartbeatIntervallId?: ReturnType<typeof setInterval> };
    if (self.heartbeatIntervallId !== undefined) clearInterval(self.heartbeatIntervallId);
    return super._connect();
  }

  override async getEndpoint(): Promise<this> {
    if (this.stopped) throw new Error("dingtalk stream stopped");
    const { clientId, clientSecret, gatewayUrl, log } = this.options;
    let answer = null as { endpoint?: unknown; ticket?: unknown; code?: unknown } | null;
    let status = 0;
    try {
      const response = await fetch(gatewayUrl, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ clientId, clientSecret, ua: "duban", subscriptions: this.getConfig().subscriptions }),
        signal: AbortSignal.timeout(15_000),
      });
      status = response.status;
      answer = (await response.json().catch(() => null)) as typeof answer;
    } catch (error) {
      this.fail(`gateway unreachable: ${error instanceof Error ? error.name : "error"}`);
      throw error;
    }
    if (typeof answer?.endpoint !== "string" || typeof answer.ticket !== "string") {
      // The body carried the secret: only the status and 钉钉's code are logged.
      this.fail(`gateway refused: HTTP ${status} ${String(answer?.code ?? "")}`);
      throw new Error("dingtalk gateway: no endpoint");
    }
    if (this.failing) log?.info("dingtalk: Stream gateway answers again");
    this.failing = false;
    // The SDK connects to its private dw_url; set as its own getEndpoint does.
    (this as unknown as { dw_url: string }).dw_url = `${answer.endpoint}?ticket=${encodeURIComponent(answer.ticket)}`;
    return this;
  }

  /** Logged once per outage: the SDK retries every second. */
  private fail(reason: string): void {
    if (!this.failing) this.options.log?.error({ reason }, "dingtalk: cannot open the Stream connection; retrying");
    this.failing = true;
  }
}

export interface DingtalkStream {
  /** Resolves once the first connection attempt ended (connected, or retrying in the background). */
  connected: Promise<void>;
  isConnected(): boolean;
  stop(): void;
}

export function startDingtalkStream(config: { clientId: string; clientSecret: string; apiRoot: string }, deps: DingtalkInboundDeps): DingtalkStream {
  const client = new GatewayClient({
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    gatewayUrl: new URL("/v1.0/gateway/connections/open", config.apiRoot).toString(),
    ...(deps.log ? { log: deps.log } : {}),
  });
  const on = (topic: string, handle: (deps: DingtalkInboundDeps, data: unknown) => Promise<unknown>) =>
    client.registerCallbackListener(topic, (frame: DWClientDownStream) => {
      void (async () => {
        let data: unknown;
        try {
          data = JSON.parse(frame.data);
        } catch {
          data = null;
        }
        try {
          await handle(deps, data);
        } catch (error) {
          deps.log?.error({ err: error, topic }, "dingtalk: frame not handled; 钉钉 will push it again");
          return;
        }
        client.socketCallBackResponse(frame.headers.messageId, {});
      })();
    });
  on(TOPIC_ROBOT_MESSAGE, handleRobotMessage);
  on(TOPIC_CARD_CALLBACK, handleCardCallback);
  const connected = client.connect();
  return {
    connected,
    isConnected: () => client.connected,
    stop: () => client.stop(),
  };
}
