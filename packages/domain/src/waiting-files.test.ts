import { describe, expect, it } from "vitest";
import { parseReply } from "./parse-reply.ts";
import { joinWaiting, needsExplaining, readWithFiles } from "./waiting-files.ts";

const indicators = [{ id: 1, name: "国家重点管理计量器具受检率", measureUnit: "%" }];
const read = (text: string) => (text.trim() ? parseReply(text, { indicators }) : null);
const withFile = (text: string) => readWithFiles(read(text), text, { own: true, waiting: false });
const whileWaiting = (text: string) => readWithFiles(read(text), text, { own: false, waiting: true });
const asking = (note: string | null) => ({ kind: "unclear", question: "what-status", partial: { status: null, progress: null, values: [], note } });

describe("readWithFiles", () => {
  it("without files the parser's reading stands", () => {
    expect(readWithFiles(read("收到"), "收到", { own: false, waiting: false })).toEqual({ kind: "ack" });
    expect(readWithFiles(null, "", { own: false, waiting: false })).toEqual({ kind: "empty" });
  });

  it("a caption that acknowledges, asks for an extension or is unclear becomes the file's note", () => {
    expect(withFile("收到")).toEqual(asking("收到"));
    expect(withFile("申请延期")).toEqual(asking("申请延期"));
    expect(withFile("")).toEqual(asking(null));
    expect(withFile("60")).toMatchObject({ kind: "unclear", question: "what-status", partial: { note: "60" } });
    expect(withFile("完成80%")).toMatchObject({ kind: "report", status: "in_progress", progress: 80 });
  });

  it("a message while files wait: an acknowledgement adds nothing, an unclear value is explained", () => {
    expect(whileWaiting("收到")).toEqual(asking(null));
    expect(whileWaiting("完成报送。")).toEqual(asking(null));
    expect(withFile("完成报送")).toEqual(asking("完成报送"));
    const bare = whileWaiting("60");
    expect(bare.kind === "unclear" && needsExplaining(bare)).toBe(true);
  });
});

describe("joinWaiting", () => {
  const waiting = { status: "done" as const, progress: null, values: [], note: "现场照片" };
  it("the waiting facts stand when the new message says none; notes are both kept", () => {
    expect(joinWaiting(waiting, { status: null, progress: null, values: [], note: "第二张" })).toEqual({ status: "done", progress: null, values: [], note: "现场照片\n第二张" });
  });
  it("the newest status, progress or value wins", () => {
    expect(joinWaiting(waiting, { status: "in_progress", progress: 80, values: [], note: null })).toEqual({ status: "in_progress", progress: 80, values: [], note: "现场照片" });
  });
});
