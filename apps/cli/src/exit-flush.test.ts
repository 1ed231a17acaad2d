import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const here = path.dirname(fileURLToPath(import.meta.url));
const tsx = path.resolve(here, "../../../node_modules/.bin/tsx");

describe("exitAfterFlush", () => {
  it("a CLI writing 4 MB to a pipe read slowly, then exiting, loses nothing (`scheduler tick --record | cat`)", async () => {
    const lines = 40_000;
    const script = `import { exitAfterFlush } from ${JSON.stringify(path.join(here, "io.ts"))};
      for (let i = 0; i < ${lines}; i++) process.stdout.write(JSON.stringify({ action: "planned", i, pad: "x".repeat(80) }) + "\\n");
      exitAfterFlush(0);`;
    const child = spawn(tsx, ["--eval", script], { stdio: ["ignore", "pipe", "inherit"] });
    let received = "";
    // A slow reader: the pipe fills, so the child's writes are still queued when it asks to exit.
    child.stdout.pause();
    const code = await new Promise<number | null>((resolve) => {
      const timer = setInterval(() => {
        let chunk: Buffer | null;
        while ((chunk = child.stdout.read() as Buffer | null) !== null) received += chunk.toString("utf8");
      }, 20);
      child.on("close", (exitCode) => {
        clearInterval(timer);
        let chunk: Buffer | null;
        while ((chunk = child.stdout.read() as Buffer | null) !== null) received += chunk.toString("utf8");
        resolve(exitCode);
      });
    });
    expect(code).toBe(0);
    const got = received.trimEnd().split("\n");
    expect(got).toHaveLength(lines);
    expect(JSON.parse(got.at(-1)!)).toMatchObject({ i: lines - 1 });
  }, 60_000);
});
