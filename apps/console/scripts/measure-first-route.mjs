// Measures the JavaScript a browser must load for the first route (the entry chunk and every chunk
// it imports statically), gzip level 9, from the Vite manifest of the last build.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../dist");
const manifest = JSON.parse(readFileSync(path.join(dist, ".vite/manifest.json"), "utf8"));
const entry = Object.entries(manifest).find(([, chunk]) => chunk.isEntry);
if (!entry) throw new Error("no entry chunk in the manifest: run `npm run build` first");

const seen = new Set();
const visit = (key) => {
  if (seen.has(key)) return;
  seen.add(key);
  for (const dep of manifest[key]?.imports ?? []) visit(dep);
};
visit(entry[0]);

let raw = 0;
let gzip = 0;
const rows = [];
for (const key of seen) {
  const file = manifest[key].file;
  const bytes = readFileSync(path.join(dist, file));
  const zipped = gzipSync(bytes, { level: 9 }).length;
  raw += bytes.length;
  gzip += zipped;
  rows.push({ file, kB: +(bytes.length / 1024).toFixed(1), gzipKB: +(zipped / 1024).toFixed(1) });
}
const lazy = Object.values(manifest).filter((c) => c.file.endsWith(".js") && ![...seen].some((k) => manifest[k].file === c.file));
const result = {
  firstRouteChunks: rows.sort((a, b) => b.gzipKB - a.gzipKB),
  firstRouteKB: +(raw / 1024).toFixed(1),
  firstRouteGzipKB: +(gzip / 1024).toFixed(1),
  lazyChunks: lazy.length,
};
if (process.argv.includes("--json")) process.stdout.write(`${JSON.stringify(result)}\n`);
else {
  console.table(result.firstRouteChunks);
  console.log(`first route JS: ${result.firstRouteKB} kB, ${result.firstRouteGzipKB} kB gzip; ${result.lazyChunks} chunks load lazily`);
}
