/**
 * What the platform emulators share about web logins (OAuth), for tests: the one-time codes a
 * platform hands out when a member opens an authorize link in its client — each works once and
 * lives 5 minutes, as 企业微信, 钉钉 and 飞书 all document — and a client that opens a link as a
 * signed-in member. The member signed in to the client is named by the `x-emulator-member`
 * header (the real client knows it from its session). Not production code.
 */
import { randomBytes } from "node:crypto";

export const MEMBER_HEADER = "x-emulator-member";
const CODE_LIFETIME_MS = 5 * 60 * 1000;

export type RedeemedCode = { ok: true; member: string; redirectUri: string } | { ok: false; why: "unknown" | "used" | "expired" };

export class LoginCodes {
  private readonly codes = new Map<string, { member: string; redirectUri: string; issuedAt: number; used: boolean }>();
  /** Codes issued so far, newest last (tests replay or age them). */
  readonly issued: string[] = [];

  constructor(private readonly clock: () => number = Date.now) {}

  issue(member: string, redirectUri: string): string {
    const code = randomBytes(16).toString("hex");
    this.codes.set(code, { member, redirectUri, issuedAt: this.clock(), used: false });
    this.issued.push(code);
    return code;
  }

  redeem(code: string): RedeemedCode {
    const entry = this.codes.get(code);
    if (!entry) return { ok: false, why: "unknown" };
    if (entry.used) return { ok: false, why: "used" };
    if (this.clock() - entry.issuedAt > CODE_LIFETIME_MS) return { ok: false, why: "expired" };
    entry.used = true;
    return { ok: true, member: entry.member, redirectUri: entry.redirectUri };
  }

  /** Every code issued so far is older than its 5 minutes. */
  expireAll(): void {
    for (const entry of this.codes.values()) entry.issuedAt -= CODE_LIFETIME_MS + 1;
  }
}

/** The platform's redirect after its login: redirect_uri with the code and state added. */
export function redirectWithCode(redirectUri: string, params: Record<string, string>): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}

/**
 * Opens an invitation link as `member` in the platform's client: the authorize page (the
 * emulator) redirects to the app's callback, whose page is returned with where it was and the
 * cookie it set (name=value), as the client's browser would keep it.
 */
export async function openInClient(link: string, member: string | null): Promise<{ status: number; html: string; callbackUrl: string | null; cookie: string | null }> {
  const authorize = await fetch(link, { redirect: "manual", headers: member ? { [MEMBER_HEADER]: member } : {} });
  const location = authorize.headers.get("location");
  if (authorize.status !== 302 || !location) return { status: authorize.status, html: await authorize.text(), callbackUrl: null, cookie: null };
  await authorize.body?.cancel();
  const page = await fetch(location, { redirect: "manual" });
  const cookie = page.headers.get("set-cookie")?.split(";")[0] ?? null;
  return { status: page.status, html: await page.text(), callbackUrl: location, cookie };
}
