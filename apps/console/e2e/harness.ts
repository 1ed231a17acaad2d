import { existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "@hono/node-server";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { createUser } from "@duban/core/users/create-user";
import { FIXTURE_NOW, liaisonFixture, type LiaisonFixture } from "@duban/core/testing/liaison-fixture";
import { createServerApp } from "../../server/src/app.ts";
import { WecomApi } from "../../server/src/channels/wecom/api.ts";
import { WecomMessenger } from "../../server/src/channels/wecom/messenger.ts";
import { wecomLogin } from "../../server/src/channels/wecom/oauth.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
export const CONSOLE_DIST = path.resolve(here, "../dist");
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const USERS = {
  admin: { username: "admin", password: "admin-password-1" },
  staff: { username: "staff", password: "staff-password-1" },
  viewer: { username: "viewer", password: "viewer-password-1" },
} as const;

export interface ConsoleUnderTest {
  fx: LiaisonFixture;
  baseUrl: string;
  browser: Browser;
  /** The server's clock: a Monday in October 2026, while the 2026Q3 rounds are being collected. */
  now: Date;
  /** A fresh browser context; `viewport` (and touch) for the phone layout, 1280×720 by default. */
  newPage(options?: { viewport?: { width: number; height: number }; touch?: boolean }): Promise<{ context: BrowserContext; page: Page; errors: string[] }>;
  close(): Promise<void>;
}

/**
 * A real server (the lead's Hono app: tRPC, session cookies, the built console) over a fresh
 * database with the seed plan imported and the current rounds opened, plus a headless chromium.
 */
export async function startConsole(options: { wecom?: boolean; publicUrl?: string } = {}): Promise<ConsoleUnderTest> {
  if (!existsSync(path.join(CONSOLE_DIST, "index.html"))) {
    throw new Error(`the console is not built (${CONSOLE_DIST}); run \`npm run test:e2e -w @duban/console\`, which builds it first`);
  }
  const now = FIXTURE_NOW;
  const fx = await liaisonFixture({ now });
  for (const [role, user] of Object.entries(USERS)) {
    await createUser(fx.db, { ...user, role: role as keyof typeof USERS, displayName: null, now, actor: null });
  }
  // 企业微信 configured (its API never called here): the console offers it for invites.
  const wecomApi = new WecomApi({ corpId: "wwconsole0000001", agentId: 1000009, secret: "unused", apiRoot: "http://127.0.0.1:9" });
  const wecom = options.wecom ? { config: { corpId: "wwconsole0000001", token: "ConsoleToken", aesKey: "a".repeat(43) }, messenger: new WecomMessenger(wecomApi) } : null;
  // With a public address, 企业微信 invitations are links to its 网页授权 (only built here, never opened).
  const channelLogins = wecom ? [wecomLogin({ corpId: "wwconsole0000001", agentId: 1000009, oauthRoot: "https://open.weixin.qq.com" }, wecomApi, wecom.messenger)] : [];
  const app = createServerApp({ db: fx.db, now: () => now, botUsername: "duban_test_bot", consoleDist: CONSOLE_DIST, wecom, channelLogins, publicUrl: options.publicUrl ?? null });
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => (server.listening ? resolve() : server.once("listening", () => resolve())));
  const { port } = server.address() as AddressInfo;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    fx,
    baseUrl,
    browser,
    now,
    async newPage(options) {
      const context = await browser.newContext({
        baseURL: baseUrl,
        locale: "zh-CN",
        timezoneId: "Asia/Shanghai",
        acceptDownloads: true,
        ...(options?.viewport ? { viewport: options.viewport } : {}),
        ...(options?.touch ? { hasTouch: true, isMobile: true } : {}),
      });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      return { context, page, errors };
    },
    async close() {
      await browser.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await fx.cleanup();
    },
  };
}

export async function signIn(page: Page, user: { username: string; password: string }): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("用户名").fill(user.username);
  await page.getByLabel("密码").fill(user.password);
  await page.getByRole("button", { name: "登录" }).click();
  await page.getByTestId("current-user").waitFor();
}
