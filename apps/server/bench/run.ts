/**
 * `npm run bench`: prints one line per path (see README, "Benchmarks"). Sizes from the
 * environment: BENCH_DELIVERY (messages for the delivery line, default 600; 10000 takes about
 * 6 min), BENCH_LIAISONS (catch-up, default 10000), BENCH_RUNS (repeats for medians, default 3).
 * `npm run bench -- delivery` (or catch-up) runs one line only.
 */
import { benchCatchUp } from "./catch-up.ts";
import { benchDelivery } from "./delivery.ts";
import { benchDeliveryFeishu } from "./delivery-feishu.ts";

const size = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
};

const only = process.argv[2];
if (!only || only === "delivery") console.log(await benchDelivery(size("BENCH_DELIVERY", 600)));
if (!only || only === "delivery" || only === "delivery-feishu") console.log(await benchDeliveryFeishu(size("BENCH_DELIVERY", 600)));
if (!only || only === "catch-up") console.log(await benchCatchUp(size("BENCH_LIAISONS", 10_000), size("BENCH_RUNS", 3)));
