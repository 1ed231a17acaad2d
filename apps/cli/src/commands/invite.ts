import { parseArgs } from "node:util";
import { createInvite, InviteError } from "@duban/core/invites/create-invite";
import { z } from "zod";
import { type CliIo, openDatabase, UsageError } from "../io.ts";

const USAGE = "usage: invite create --unit <name> [--role liaison|head] [--name <person>] [--days 14] [--bot-username <name>]";

const argsSchema = z.object({
  unit: z.string().trim().min(1, "--unit <name> is required"),
  role: z.enum(["liaison", "head"], { message: "--role must be liaison or head" }).default("liaison"),
  name: z.string().trim().max(50).optional(),
  days: z.coerce.number().int().min(1).max(90).default(14),
  "bot-username": z.string().trim().regex(/^@?[A-Za-z0-9_]{5,32}$/, "--bot-username is not a Telegram bot username").optional(),
});

/**
 * The bot's username for the deep link: --bot-username, TELEGRAM_BOT_USERNAME, or asked of
 * Telegram with TELEGRAM_BOT_TOKEN (getMe).
 */
async function botUsername(given: string | undefined, io: CliIo): Promise<string> {
  const name = given ?? io.env.TELEGRAM_BOT_USERNAME;
  if (name) return name.replace(/^@/, "");
  const token = io.env.TELEGRAM_BOT_TOKEN;
  if (!token) throw new UsageError("the invite link needs the bot's username: pass --bot-username <name>, or set TELEGRAM_BOT_TOKEN (or TELEGRAM_BOT_USERNAME)");
  const root = io.env.TELEGRAM_API_ROOT ?? "https://api.telegram.org";
  try {
    const response = await fetch(`${root}/bot${token}/getMe`);
    const body = (await response.json()) as { ok: boolean; result?: { username?: string }; description?: string };
    if (!body.ok || !body.result?.username) throw new Error(body.description ?? `HTTP ${response.status}`);
    return body.result.username;
  } catch (error) {
    throw new UsageError(`cannot ask Telegram for the bot's username (${error instanceof Error ? error.message : error}); pass --bot-username <name>`);
  }
}

export async function inviteCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== "create") throw new UsageError(USAGE);
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({
      args: rest,
      options: { unit: { type: "string" }, role: { type: "string" }, name: { type: "string" }, days: { type: "string" }, "bot-username": { type: "string" } },
      strict: true,
    }).values as Record<string, string | undefined>;
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : error}\n${USAGE}`);
  }
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) throw new UsageError(`${parsed.error.issues.map((i) => i.message).join("\n")}\n${USAGE}`);
  const options = parsed.data;
  const username = await botUsername(options["bot-username"], io);
  const db = await openDatabase(io);
  try {
    const invite = await createInvite(db, {
      unitName: options.unit,
      role: options.role,
      name: options.name ?? null,
      expiresInDays: options.days,
      botUsername: username,
      now: io.now(),
      actor: { actorType: "system", actorId: "cli" },
    });
    io.out(`单位 unit:    ${invite.unit.name}（${invite.role === "head" ? "一把手 head" : "联络员 liaison"}${invite.name ? `，${invite.name}` : ""}）`);
    io.out(`链接 link:    ${invite.link}`);
    io.out(`令牌 token:   ${invite.token}`);
    io.out(`有效期至 expires: ${invite.expiresAt.toISOString()}（单次有效 single use）`);
    return 0;
  } catch (error) {
    if (error instanceof InviteError) {
      io.err(error.message + (error.suggestions.length ? `\n相近的单位 (did you mean): ${error.suggestions.join("、")}` : ""));
      return 1;
    }
    throw error;
  } finally {
    await db.$disconnect();
  }
}
