/**
 * `npm run bench`: prints one line per path (see README, "Benchmarks"). Sizes from the
 * environment: BENCH_DELIVERY (messages for each delivery line, default 10000: about 6 min on
 * Telegram, 9 on 钉钉; a smaller N for quick iterations), BENCH_LIAISONS (catch-up, default
 * 10000), BENCH_RUNS (repeats for medians, default 3). `npm run bench -- delivery` (Telegram),
 * `delivery[wecom]`, `delivery[dingtalk]`, `delivery[feishu]` or `catch-up` runs one line only.
 */
import { benchCatchUp } from "./catch-up.ts";
import { benchDelivery } from "./delivery.ts";
import { DELIVERY_BENCH_CHANNELS } from "./delivery-channels.ts";

const size = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
};

const only = process.argv[2];
const lines = [
  ...DELIVERY_BENCH_CHANNELS.map((target) => ({ name: target.channel === "telegram" ? "delivery" : `delivery[${target.channel}]`, run: () => benchDelivery(target, size("BENCH_DELIVERY", 10_000)) })),
  { name: "catch-up", run: () => benchCatchUp(size("BENCH_LIAISONS", 10_000), size("BENCH_RUNS", 3)) },
];
if (only && !lines.some((l) => l.name === only)) throw new Error(`unknown line ${only}: ${lines.map((l) => l.name).join(", ")}`);
for (const line of lines) if (!only || line.name === only) console.log(await line.run());
