import type { Hono } from "hono";
import { getCookie } from "hono/cookie";
import type { Logger } from "pino";
import { findAttachmentDownload, type AttachmentFiles } from "@duban/core/submissions/attachments";
import { resolveSession, SESSION_COOKIE } from "@duban/core/auth/session";
import type { Db } from "@duban/db/client";

const MAX_RECORD_ID = 2_147_483_647;

/** `filename` for ASCII-only clients plus `filename*` (RFC 6266/5987) for the Chinese name. */
function contentDisposition(kind: "inline" | "attachment", fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/**
 * GET /files/attachments/:id — a photo or document a liaison sent, fetched from Telegram for a
 * signed-in office user (any role). Only images and PDF open in the browser; everything else
 * downloads, under a sandbox policy, so an uploaded HTML file can never run in the console.
 */
export function mountAttachmentRoutes(app: Hono, deps: { db: Db; now: () => Date; files: AttachmentFiles | null; log?: Logger }): void {
  app.get("/files/attachments/:id{[0-9]+}", async (c) => {
    const user = await resolveSession(deps.db, getCookie(c, SESSION_COOKIE) ?? null, deps.now());
    if (!user) return c.text("请先登录控制台。Sign in first.", 401);
    // Ids are 32-bit integers in both databases; a longer number names no attachment.
    const id = Number(c.req.param("id"));
    const attachment = id >= 1 && id <= MAX_RECORD_ID ? await findAttachmentDownload(deps.db, id) : null;
    if (!attachment) return c.text("附件不存在。No such attachment.", 404);
    // Stored with the record (企业微信 and the other channels), else Telegram keeps it for the bot.
    let bytes: Uint8Array<ArrayBuffer> | null = attachment.content;
    if (!bytes && !deps.files) return c.text("Telegram 机器人未连接，暂时无法取回附件。The Telegram bot is not connected.", 503);
    try {
      bytes ??= await deps.files!.read(attachment.telegramFileId);
    } catch (error) {
      deps.log?.warn({ err: error, attachmentId: attachment.id }, "could not fetch an attachment from Telegram");
      // The details (which may quote Telegram's URL) stay in the log, which scrubs the token.
      return c.text("暂时无法从 Telegram 取回附件，请稍后重试。Could not fetch the file from Telegram.", 502);
    }
    return new Response(bytes, {
      headers: {
        "content-type": attachment.inline ? attachment.contentType : "application/octet-stream",
        "content-length": String(bytes.byteLength),
        "content-disposition": contentDisposition(attachment.inline ? "inline" : "attachment", attachment.fileName),
        "x-content-type-options": "nosniff",
        // Chromium's PDF viewer does not run in a sandboxed document; a PDF cannot script this origin anyway.
        ...(attachment.contentType === "application/pdf" && attachment.inline ? {} : { "content-security-policy": "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'" }),
        "cache-control": "private, max-age=3600",
      },
    });
  });
}
