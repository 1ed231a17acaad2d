// Measures the JavaScript a browser downloads for the first route — the shell (entry chunk and its
// static imports) plus the lazily loaded page and frame of that route — gzip level 9, from the Vite
// manifest of the last build. Usage: node scripts/measure-first-route.mjs [--json]
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../dist");
const manifest = JSON.parse(readFileSync(path.join(dist, ".vite/manifest.json"), "utf8"));
const entryKey = Object.keys(manifest).find((key) => manifest[key].isEntry);
if (!entryKey) throw new Error("no entry chunk in the manifest: run `npm run build` first");

function closure(keys) {
  const seen = new Set();
  const visit = (key) => {
    if (seen.has(key) || !manifest[key]) return;
    seen.add(key);
    for (const dep of manifest[key].imports ?? []) visit(dep);
  };
  keys.forEach(visit);
  return seen;
}

function measure(keys) {
  let raw = 0;
  let gzip = 0;
  const files = [];
  for (const key of closure(keys)) {
    const bytes = readFileSync(path.join(dist, manifest[key].file));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
    files.push(manifest[key].file);
  }
  return { kB: +(raw / 1024).toFixed(1), gzipKB: +(gzip / 1024).toFixed(1), chunks: files.length };
}

const routes = {
  "shell (entry + static imports)": [entryKey],
  "/ (board, the first route after sign-in)": [entryKey, "src/pages/board-page.tsx", "src/components/feedback.tsx"],
  "/login": [entryKey, "src/pages/login-page.tsx", "src/components/feedback.tsx"],
  "/tasks/:id without the chart": [entryKey, "src/pages/task-page.tsx", "src/components/feedback.tsx"],
  "ECharts trend chart (lazy)": ["src/components/trend-chart.tsx"],
};
const result = Object.fromEntries(Object.entries(routes).map(([name, keys]) => [name, measure(keys)]));
if (process.argv.includes("--json")) process.stdout.write(`${JSON.stringify(result)}\n`);
else console.table(result);
