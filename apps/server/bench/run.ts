/**
 * `npm run bench`: prints one line per path (see README, "Benchmarks"). Sizes from the
 * environment: BENCH_DELIVERY (liaisons for the delivery line, default 600; 10000 takes ~6 min).
 */
import { benchDelivery } from "./delivery.ts";

const size = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
};

const only = process.argv[2];
if (!only || only === "delivery") console.log(await benchDelivery(size("BENCH_DELIVERY", 600)));
