import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { planDocx, planXlsx } from "@duban/core/testing/plan-document-fixtures";
import { createDb } from "@duban/db/client";
import { startEmulator } from "../../bot/test/emulator.ts";
import { runCli } from "./main.ts";
import type { CliIo } from "./io.ts";

const repo = path.resolve(import.meta.dirname, "../../..");
const seed = path.join(repo, "plans/tongjiang-quality-city-2016.txt");
const dir = mkdtempSync(path.join(os.tmpdir(), "duban-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[], env: Record<string, string> = {}, stdin = "", now = new Date("2026-09-01T02:00:00Z")) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    readStdin: async () => stdin,
    env: { DATABASE_URL: `file:${path.join(dir, "cli.db")}`, ...env },
    now: () => now,
  };
  const code = await runCli(argv, io);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("duban CLI", () => {
  it("plan parse prints only JSON in the documented shape", async () => {
    const { code, out } = await run(["plan", "parse", seed]);
    expect(code).toBe(0);
    const plan = JSON.parse(out);
    expect(Object.keys(plan)).toEqual(["title", "docNumber", "groups", "warnings"]);
    expect(plan.docNumber).toBe("同政办规〔2016〕4号");
    expect(plan.groups).toHaveLength(6);
    const task = plan.groups[1].tasks[2];
    expect(Object.keys(task)).toEqual(["number", "title", "units", "indicators", "deadline", "leader", "unitNote", "line"]);
    expect(task.number).toBe("6");
    expect(task.units).toEqual([
      { name: "市场监督管理局", role: "lead" },
      { name: "交运局", role: "support" },
      { name: "环保局", role: "support" },
      { name: "住建局", role: "support" },
      { name: "铁路公司", role: "support" },
    ]);
  });

  it("plan parse names the line of a document it cannot read and exits non-zero", async () => {
    const bad = path.join(dir, "bad.txt");
    writeFileSync(bad, "某某工作方案\n\n一、指导思想\n\n坚持问题导向。\n\n二、工作目标\n\n全面提升。\n");
    const { code, out, err } = await run(["plan", "parse", bad]);
    expect(code).toBe(1);
    expect(out).toBe("");
    expect(err).toMatch(/第 ?\d+ ?行/);
  });

  it("plan parse and plan import read a .docx: the seed plan as Word paragraphs gives the same JSON as its text", async () => {
    const docx = path.join(dir, "同江方案.docx");
    writeFileSync(docx, await planDocx(readFileSync(seed, "utf8").split("\n")));
    const fromDocx = await run(["plan", "parse", docx]);
    expect(fromDocx.code).toBe(0);
    // Line numbers differ (Word has no blank lines between paragraphs); everything else is the same.
    const withoutLines = (json: string): unknown =>
      JSON.parse(json, (key, value: unknown) => (key === "line" ? undefined : key === "message" && typeof value === "string" ? value.replace(/^第 \d+ 行：/, "") : value));
    expect(withoutLines(fromDocx.out)).toEqual(withoutLines((await run(["plan", "parse", seed])).out));
    const imported = await run(["plan", "import", docx], { DATABASE_URL: `file:${path.join(dir, "docx.db")}` });
    expect(imported.code).toBe(0);
    expect(imported.out).toContain("6 个分组，18 项任务");
  });

  it("plan parse reads a 任务分解表 .xlsx (title row above the header) as it reads the same rows as text", async () => {
    const rows = [
      ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"],
      ["1", "推进质量强县建设", "县市场监管局", "县发改局、县财政局", "2026年12月底"],
      ["2", "开展质量提升行动", "县工信局", "县商务局", "2026年6月底"],
    ];
    const text = path.join(dir, "分解表.txt");
    writeFileSync(text, ["某县2026年重点工作任务分解表", ...rows.map((r) => r.join("\t"))].join("\n"));
    const xlsx = path.join(dir, "分解表.xlsx");
    writeFileSync(xlsx, await planXlsx([{ name: "任务分解表", rows: [["某县2026年重点工作任务分解表"], ...rows], merges: ["A1:E1"] }]));
    const fromXlsx = await run(["plan", "parse", xlsx]);
    expect(fromXlsx.code).toBe(0);
    const plan = JSON.parse(fromXlsx.out);
    expect(plan.groups.flatMap((g: { tasks: Array<{ number: string; units: unknown[] }> }) => g.tasks.map((t) => [t.number, t.units]))).toEqual([
      ["1", [{ name: "县市场监管局", role: "lead" }, { name: "县发改局", role: "support" }, { name: "县财政局", role: "support" }]],
      ["2", [{ name: "县工信局", role: "lead" }, { name: "县商务局", role: "support" }]],
    ]);
    expect(plan).toEqual(JSON.parse((await run(["plan", "parse", text])).out));
  });

  it("a .pdf, a .docx that is not Word, and a sheet without a header row are refused, nothing imported", async () => {
    const env = { DATABASE_URL: `file:${path.join(dir, "refused.db")}` };
    const pdf = path.join(dir, "方案.pdf");
    writeFileSync(pdf, "%PDF-1.7\n");
    const fake = path.join(dir, "fake.docx");
    writeFileSync(fake, readFileSync(seed));
    const sheet = path.join(dir, "分解表.xlsx");
    writeFileSync(sheet, await planXlsx([{ name: "Sheet1", rows: [["一、主要任务"], [1, "推进质量强市建设", "市场监督管理局"]] }]));
    for (const [file, message] of [
      [pdf, "暂不支持PDF 文件。请另存为 Word 文档（.docx）"],
      [fake, "无法读取Word文件“fake.docx”"],
      [sheet, "没有找到任务分解表的表头行"],
    ] as const) {
      for (const sub of ["parse", "import"]) {
        const { code, out, err } = await run(["plan", sub, file], env);
        expect(code).toBe(1);
        expect(out).toBe("");
        expect(err).toContain(message);
      }
    }
    // Refused before the database is even opened.
    expect(existsSync(path.join(dir, "refused.db"))).toBe(false);
  });

  it("plan import is idempotent and reports changes", async () => {
    const first = await run(["plan", "import", seed]);
    expect(first.code).toBe(0);
    expect(first.out).toContain("新建方案");
    const second = await run(["plan", "import", seed]);
    expect(second.code).toBe(0);
    expect(second.out).toContain("方案未变化");
  });

  it("rounds list and scheduler tick print one JSON object a line", async () => {
    const tick = await run(["scheduler", "tick", "--at", "2026-09-28T09:00:00+08:00"]);
    expect(tick.code).toBe(0);
    const actions = tick.out.split("\n").map((l) => JSON.parse(l));
    expect(actions.at(-1)).toMatchObject({ action: "summary" });
    expect(actions.some((a) => a.action === "round-created")).toBe(true);
    const rounds = await run(["rounds", "list", "--period", "2026Q3"]);
    const lines = rounds.out.split("\n").map((l) => JSON.parse(l));
    expect(lines.length).toBeGreaterThanOrEqual(19);
    const report = lines.find((l) => l.deadline === "每季度质量分析报告");
    expect(report).toMatchObject({ period: "2026Q3", dueAt: "2026-10-20T09:30:00.000Z" });
    expect(report.missing).toEqual(report.expected);
  });

  it("reminders preview and scheduler tick follow WORKING_HOURS: with 08:00-12:00 a rung due at 13:00 waits for the next working morning", async () => {
    const env = { DATABASE_URL: `file:${path.join(dir, "hours.db")}` };
    expect((await run(["plan", "import", seed], env)).code).toBe(0);
    // National Day: rounds open, nothing is planned on a holiday.
    expect((await run(["scheduler", "tick", "--at", "2026-10-01T10:00:00+08:00"], env)).code).toBe(0);
    const db = createDb(env.DATABASE_URL);
    try {
      await db.deadline.updateMany({ data: { ladder: JSON.stringify({ sendAt: "13:00" }) } });
    } finally {
      await db.$disconnect();
    }
    const preview = async (at: string, extra: Record<string, string> = {}) => {
      const { code, out } = await run(["reminders", "preview", "--at", at], { ...env, ...extra });
      expect(code).toBe(0);
      return out === "" ? [] : out.split("\n").map((l) => JSON.parse(l) as { rung: string; at: string });
    };
    const mornings = { WORKING_HOURS: "08:00-12:00" };

    // The progress rounds' office escalation (5 workdays overdue) falls on Tuesday 20 October at 13:00.
    const byDefault = await preview("2026-10-20T13:00:00+08:00");
    expect(byDefault.filter((r) => r.rung === "office-5").length).toBeGreaterThan(0);
    expect(new Set(byDefault.map((r) => r.at))).toEqual(new Set(["2026-10-20T05:00:00.000Z"]));
    // 13:00 is after 08:00-12:00: nothing now, all of it on Wednesday at 08:00.
    expect(await preview("2026-10-20T13:00:00+08:00", mornings)).toEqual([]);
    expect(await preview("2026-10-21T07:59:00+08:00", mornings)).toEqual([]);
    const nextMorning = await preview("2026-10-21T08:00:00+08:00", mornings);
    expect(nextMorning.map((r) => r.rung).sort()).toEqual(byDefault.map((r) => r.rung).sort());
    expect(new Set(nextMorning.map((r) => r.at))).toEqual(new Set(["2026-10-21T00:00:00.000Z"]));

    const early = await run(["scheduler", "tick", "--at", "2026-10-20T13:00:00+08:00"], { ...env, ...mornings });
    expect(JSON.parse(early.out.split("\n").at(-1)!)).toMatchObject({ action: "summary", planned: 0 });
    const tick = await run(["scheduler", "tick", "--at", "2026-10-21T08:00:00+08:00"], { ...env, ...mornings });
    expect(tick.code).toBe(0);
    expect(JSON.parse(tick.out.split("\n").at(-1)!)).toMatchObject({ action: "summary", planned: nextMorning.length });
  });

  it("scheduler tick plans into the outbox and never uses a reminder up, unless told to --send (Telegram) or --record", async () => {
    const env = { DATABASE_URL: `file:${path.join(dir, "tick.db")}` };
    expect((await run(["plan", "import", seed], env)).code).toBe(0);
    const db = createDb(env.DATABASE_URL);
    try {
      const unit = await db.unit.findUniqueOrThrow({ where: { name: "市场监督管理局" } });
      await db.contact.create({ data: { unitId: unit.id, role: "liaison", name: "李娜", telegramUserId: "5001", telegramChatId: "5001" } });
      const at = "2026-09-28T09:00:00+08:00";
      const later = new Date("2026-09-28T03:00:00Z");

      const planned = await run(["scheduler", "tick", "--at", at], env);
      expect(planned.code).toBe(0);
      expect(JSON.parse(planned.out.split("\n").at(-1)!)).toMatchObject({ action: "summary", mode: "plan", sent: 0 });
      expect(planned.err).toContain("outbox");
      const waiting = await db.reminder.findMany({ where: { contactId: { not: null } } });
      expect(waiting.length).toBeGreaterThan(0);
      expect(waiting.every((r) => r.state === "pending")).toBe(true);

      expect((await run(["scheduler", "tick", "--at", at, "--send"], env, "", later)).err).toContain("TELEGRAM_BOT_TOKEN");
      const token = "123456789:CLI_TOKEN_abcdefghijklmnopqrstuvwxyz";
      const future = await run(["scheduler", "tick", "--at", at, "--send"], { ...env, TELEGRAM_BOT_TOKEN: token });
      expect(future.code).toBe(2);
      expect(future.err).toContain("future");

      const api = await startEmulator(token);
      try {
        const sent = await run(["scheduler", "tick", "--at", at, "--send"], { ...env, TELEGRAM_BOT_TOKEN: token, TELEGRAM_API_ROOT: api.apiRoot }, "", later);
        expect(sent.code).toBe(0);
        expect(JSON.parse(sent.out.split("\n").at(-1)!)).toMatchObject({ mode: "send", sent: waiting.length + (await db.reminder.count({ where: { contactId: null } })) });
        // One liaison's reminders due together arrive as one digest message.
        const toLiaison = api.callsOf("sendMessage").filter((c) => String(c.body.chat_id) === "5001");
        expect(toLiaison).toHaveLength(1);
        expect(String(toLiaison[0]!.body.text)).toContain(`本单位有 ${waiting.length} 项事项待报送`);
        const delivered = await db.reminder.findMany({ where: { contactId: { not: null }, state: "sent" } });
        expect(delivered).toHaveLength(waiting.length);
        expect(new Set(delivered.map((r) => r.chatMessageId)).size).toBe(1);
      } finally {
        await api.stop();
      }

      // --record: on a scratch database, what would be sent is printed and marked sent.
      const recorded = await run(["scheduler", "tick", "--at", "2026-10-13T09:00:00+08:00", "--record"], env);
      const lines = recorded.out.split("\n").map((l) => JSON.parse(l) as { action: string });
      expect(lines.filter((l) => l.action === "message-recorded").length).toBeGreaterThan(0);
      expect(lines.at(-1)).toMatchObject({ mode: "record" });
      expect((await run(["scheduler", "tick", "--at", at, "--send", "--record"], env)).code).toBe(2);
    } finally {
      await db.$disconnect();
    }
  });

  it("refuses a WORKING_HOURS it cannot read, naming it", async () => {
    for (const value of ["18:00-09:00", "9-17"]) {
      for (const argv of [["reminders", "preview", "--at", "2026-10-21T08:00:00+08:00"], ["scheduler", "tick", "--at", "2026-10-21T08:00:00+08:00"]]) {
        const { code, err } = await run(argv, { WORKING_HOURS: value });
        expect(code).toBe(2);
        expect(err).toMatch(/^WORKING_HOURS: /);
      }
    }
  });

  it("rejects bad arguments with a usage message", async () => {
    expect((await run(["rounds", "list", "--period", "Q9"])).code).toBe(2);
    expect((await run(["scheduler", "tick", "--at", "yesterday"])).err).toContain("--at");
    expect((await run(["frobnicate"])).code).toBe(2);
  });

  it("user add takes the password from stdin and refuses a duplicate or a short one", async () => {
    const ok = await run(["user", "add", "--role", "admin", "--username", "chief", "--password-stdin"], {}, "long enough secret\n");
    expect(ok.code).toBe(0);
    expect(ok.out).toContain("created admin chief");
    const again = await run(["user", "add", "--role", "staff", "--username", "chief", "--password-stdin"], {}, "another secret");
    expect(again.code).toBe(1);
    const short = await run(["user", "add", "--role", "staff", "--username", "clerk", "--password-stdin"], {}, "short");
    expect(short.code).toBe(2);
    expect((await run(["user", "add", "--role", "boss", "--username", "x", "--password-stdin"])).code).toBe(2);
  });

  it("invite create prints a single-use deep link for a unit, and suggests names for a typo", async () => {
    const ok = await run(["invite", "create", "--unit", "市场监督管理局", "--role", "head", "--name", "王局长", "--bot-username", "duban_test_bot"]);
    expect(ok.code).toBe(0);
    const token = /令牌 token:\s+(\S+)/.exec(ok.out)?.[1];
    expect(token).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect(ok.out).toContain(`https://t.me/duban_test_bot?start=${token}`);
    expect(ok.out).toContain("一把手");
    const typo = await run(["invite", "create", "--unit", "市场监管局", "--bot-username", "duban_test_bot"]);
    expect(typo.code).toBe(1);
    expect(typo.err).toContain("市场监督管理局");
    const noBot = await run(["invite", "create", "--unit", "环保局"]);
    expect(noBot.code).toBe(2);
    expect(noBot.err).toContain("--bot-username");
  });
});
