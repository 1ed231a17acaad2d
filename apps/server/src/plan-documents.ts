import type { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { getCookie } from "hono/cookie";
import type { Logger } from "pino";
import { resolveSession, SESSION_COOKIE } from "@duban/core/auth/session";
import { PlanDocumentError, readPlanDocument } from "@duban/core/plans/read-plan-document";
import type { Db } from "@duban/db/client";

/** Plans are a few hundred KB; Word files with pictures stay well under this. Larger is refused unread. */
export const PLAN_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024;

/** The header carrying the uploaded file's name, URI-encoded (header values are ASCII). */
export const PLAN_FILE_NAME_HEADER = "x-file-name";

type Refusal = { error: { code: string; message: string } };
const refusal = (code: string, message: string): Refusal => ({ error: { code, message } });

/**
 * POST /files/plan-document — the file's bytes as the raw body, its name in X-File-Name. Answers the plan's
 * text ({ fileName, format, text }) for the import page to preview; nothing is stored. Staff and admins
 * only (importing is theirs). The session cookie is SameSite=Strict, so another site cannot post here.
 */
export function mountPlanDocumentRoutes(app: Hono, deps: { db: Db; now: () => Date; log?: Logger }): void {
  app.post(
    "/files/plan-document",
    // Authorise before the body: a stranger's upload is refused without reading it.
    async (c, next) => {
      const user = await resolveSession(deps.db, getCookie(c, SESSION_COOKIE) ?? null, deps.now());
      if (!user) return c.json(refusal("unauthorized", "请先登录控制台。"), 401);
      if (user.role === "viewer") return c.json(refusal("forbidden", "只读账号不能导入方案。"), 403);
      await next();
    },
    bodyLimit({
      maxSize: PLAN_DOCUMENT_MAX_BYTES,
      onError: (c) => c.json(refusal("too-large", `文件超过 ${PLAN_DOCUMENT_MAX_BYTES / 1024 / 1024} MB，无法导入。方案文件通常只有几百 KB：请删去图片后另存，或粘贴方案全文。`), 413),
    }),
    async (c) => {
      const header = c.req.header(PLAN_FILE_NAME_HEADER);
      let fileName: string;
      try {
        fileName = header ? decodeURIComponent(header).trim() : "";
      } catch {
        fileName = "";
      }
      if (!fileName) return c.json(refusal("missing-file-name", "缺少文件名（X-File-Name 请求头）。"), 400);
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      try {
        const document = await readPlanDocument(fileName, bytes);
        return c.json({ fileName: document.fileName, format: document.format, text: document.text });
      } catch (error) {
        if (error instanceof PlanDocumentError) return c.json(refusal(error.code, error.message), 400);
        deps.log?.error({ err: error, fileName, bytes: bytes.byteLength }, "could not read an uploaded plan document");
        return c.json(refusal("internal", "服务器读取文件时出错，请稍后重试。"), 500);
      }
    },
  );
}
