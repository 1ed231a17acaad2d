import { describe, expect, it } from "vitest";
import { errorText } from "./error-text.ts";

describe("server errors in the console's language", () => {
  it("words sign-in refusals and throttling", () => {
    const wrong = { code: "UNAUTHORIZED", message: "用户名或密码错误" };
    expect(errorText(wrong, "zh")).toBe("用户名或密码错误");
    expect(errorText(wrong, "en")).toBe("Wrong username or password");
    expect(errorText({ code: "UNAUTHORIZED", message: "请先登录" }, "en")).toBe("Your session has ended; please sign in again");
    const throttled = { code: "TOO_MANY_REQUESTS", message: "尝试次数过多，请 15 分钟后再试" };
    expect(errorText(throttled, "zh")).toBe("尝试次数过多，请 15 分钟后再试");
    expect(errorText(throttled, "en")).toBe("Too many attempts; try again in 15 minutes");
  });

  it("words role refusals", () => {
    expect(errorText({ code: "FORBIDDEN", message: "只读账号不能修改" }, "en")).toBe("Read-only accounts cannot make changes");
    expect(errorText({ code: "FORBIDDEN", message: "仅管理员可操作" }, "zh")).toBe("仅管理员可操作");
    expect(errorText({ code: "FORBIDDEN", message: "something new" }, "en")).toBe("You do not have permission to do this");
  });

  it("words validation issues per field, keeping the schema's own Chinese", () => {
    const error = {
      code: "BAD_REQUEST",
      message: '[{"code":"too_big"}]',
      issues: [
        { path: "progress", code: "too_big", message: "Too big: expected number to be <=100", maximum: 100 },
        { path: "reason", code: "too_small", message: "请填写不予延期的理由", minimum: 1 },
      ],
    };
    expect(errorText(error, "zh")).toBe("输入有误：进度不能超过 100；请填写不予延期的理由");
    expect(errorText(error, "en")).toBe("Invalid input: Progress must be at most 100; Reason is required");
  });

  it("words use-case refusals by their reason code", () => {
    const decided = { code: "BAD_REQUEST", message: "该申请已处理", reason: "already-decided" };
    expect(errorText(decided, "zh")).toBe("该申请已处理");
    expect(errorText(decided, "en")).toBe("This request has already been decided");
    expect(errorText({ code: "BAD_REQUEST", message: "某个新的拒绝", reason: "brand-new" }, "en")).toBe("The server refused this (BAD_REQUEST)");
  });

  it("never shows an internal error or a dropped connection as raw text", () => {
    expect(errorText({ code: "INTERNAL_SERVER_ERROR", message: "SQLITE_BUSY: database is locked" }, "zh")).toBe("服务器出错，请稍后重试");
    expect(errorText({ code: null, message: "Failed to fetch" }, "en")).toBe("Cannot reach the server; check the connection and try again");
  });
});
