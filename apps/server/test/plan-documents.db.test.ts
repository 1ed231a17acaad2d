import http from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "@duban/core/auth/password";
import { createSession, SESSION_COOKIE } from "@duban/core/auth/session";
import { planDocx, planXlsx } from "@duban/core/testing/plan-document-fixtures";
import { createTestDb, type TestDb } from "@duban/db/testing";
import { createServerApp } from "../src/app.ts";
import { PLAN_DOCUMENT_MAX_BYTES } from "../src/plan-documents.ts";

let test: TestDb;
const cookies: Record<"admin" | "staff" | "viewer", string> = { admin: "", staff: "", viewer: "" };
beforeAll(async () => {
  test = await createTestDb();
  for (const role of ["admin", "staff", "viewer"] as const) {
    const user = await test.db.user.create({ data: { username: `${role}1`, role, passwordHash: await hashPassword("correct horse") } });
    cookies[role] = `${SESSION_COOKIE}=${(await createSession(test.db, user.id, new Date(), "127.0.0.1")).token}`;
  }
});
afterAll(() => test.cleanup());

type Body = string | Uint8Array | ReadableStream<Uint8Array>;
type Answer = { fileName?: string; format?: string; text?: string; error?: { code: string; message: string } };

async function upload(fileName: string | null, body: Body, cookie = cookies.staff): Promise<{ status: number; body: Answer }> {
  const app = createServerApp({ db: test.db, consoleDist: "/nonexistent" });
  const headers: Record<string, string> = { cookie, "content-type": "application/octet-stream" };
  if (fileName !== null) headers["x-file-name"] = encodeURIComponent(fileName);
  const response = await app.request("/files/plan-document", { method: "POST", headers, body, duplex: "half" } as RequestInit);
  return { status: response.status, body: (await response.json()) as Answer };
}

describe("POST /files/plan-document", () => {
  it("gives staff and admins the text of a Word plan and of a 任务分解表, with the format and file name", async () => {
    const docx = await planDocx(["某县重点工作任务分解方案", [["序号", "工作任务", "牵头单位"], ["1", "推进质量强县建设", "县市场监管局"]]]);
    const word = await upload("重点工作 方案.docx", docx);
    expect(word).toEqual({ status: 200, body: { fileName: "重点工作 方案.docx", format: "docx", text: "某县重点工作任务分解方案\n序号\t工作任务\t牵头单位\n1\t推进质量强县建设\t县市场监管局" } });
    const xlsx = await planXlsx([{ name: "表", rows: [["任务分解表"], ["序号", "工作任务", "牵头单位"], [1, "推进质量强县建设", "县市场监管局"]], merges: ["A1:C1"] }]);
    const sheet = await upload("分解表.xlsx", xlsx, cookies.admin);
    expect(sheet.status).toBe(200);
    expect(sheet.body).toMatchObject({ format: "xlsx", text: "任务分解表\n序号\t工作任务\t牵头单位\n1\t推进质量强县建设\t县市场监管局" });
  });

  it("refuses a viewer and a stranger", async () => {
    const viewer = await upload("方案.txt", "一、总体要求", cookies.viewer);
    expect(viewer).toEqual({ status: 403, body: { error: { code: "forbidden", message: "只读账号不能导入方案。" } } });
    const stranger = await upload("方案.txt", "一、总体要求", "");
    expect(stranger.status).toBe(401);
    expect(stranger.body.error?.message).toBe("请先登录控制台。");
  });

  it("answers a file it cannot read with the reader's code and Chinese message", async () => {
    const pdf = await upload("方案.pdf", "%PDF-1.7");
    expect(pdf.status).toBe(400);
    expect(pdf.body.error?.code).toBe("unsupported-format");
    expect(pdf.body.error?.message).toMatch(/^暂不支持PDF 文件。请另存为 Word 文档（\.docx）/);
    expect((await upload("方案.docx", new Uint8Array())).body.error?.code).toBe("empty-file");
    expect((await upload("方案.docx", "not a zip")).body.error?.code).toBe("corrupt-document");
    const nameless = await upload(null, "一、总体要求");
    expect(nameless).toEqual({ status: 400, body: { error: { code: "missing-file-name", message: "缺少文件名（X-File-Name 请求头）。" } } });
  });

  it("refuses a body over the limit even when its size is not announced (streamed)", async () => {
    expect(PLAN_DOCUMENT_MAX_BYTES).toBeLessThan(20 * 1024 * 1024);
    const chunk = new Uint8Array(1024 * 1024).fill(0x41);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 20) return controller.close();
        sent++;
        controller.enqueue(chunk);
      },
    });
    const { status, body } = await upload("大文件.txt", stream);
    expect(status).toBe(413);
    expect(body.error?.code).toBe("too-large");
  });

  it("refuses a 20 MB upload with 413 over real HTTP before the body is sent", async () => {
    const app = createServerApp({ db: test.db, consoleDist: "/nonexistent" });
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
    });
    try {
      const { port } = server.address() as AddressInfo;
      // Only the headers go out: the answer must come from the announced size alone.
      const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
        const request = http.request({
          host: "127.0.0.1",
          port,
          method: "POST",
          path: "/files/plan-document",
          headers: { cookie: cookies.staff, "x-file-name": encodeURIComponent("方案.docx"), "content-length": String(20 * 1024 * 1024) },
        });
        request.on("response", (response) => {
          let text = "";
          response.setEncoding("utf8");
          response.on("data", (d: string) => (text += d));
          response.on("end", () => resolve({ status: response.statusCode ?? 0, text }));
        });
        request.on("error", reject);
        request.flushHeaders();
      });
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.text)).toEqual({ error: { code: "too-large", message: expect.stringMatching(/^文件超过 10 MB，无法导入。/) } });
    } finally {
      if ("closeAllConnections" in server) server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
