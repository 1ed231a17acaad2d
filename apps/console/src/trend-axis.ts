/**
 * The value axis of an indicator's trend chart. ECharts' `scale: true` fits the axis to the data
 * alone, so one reported value (96.5%) made a 96.5–100 axis that hid the target line (95%). The
 * axis here always spans the values and the target with some room around them, and a percentage
 * axis ends at 100 unless a value or the target is above it.
 */
export function trendAxis(values: number[], target: number, percent: boolean): { min: number; max: number } {
  const all = [target, ...values].filter((v) => Number.isFinite(v));
  const low = Math.min(...all);
  const high = Math.max(...all);
  // Room around the data: a tenth of the span, or of the magnitude when every point is equal.
  const span = high - low || Math.abs(high) || 1;
  const pad = span * 0.1;
  let min = niceFloor(low - pad, span);
  let max = niceCeil(high + pad, span);
  if (low >= 0 && min < 0) min = 0;
  if (percent && high <= 100) max = Math.min(max, 100);
  if (max <= min) max = min + 1;
  return { min, max };
}

function step(span: number): number {
  const raw = span / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
}

function niceFloor(value: number, span: number): number {
  const s = step(span);
  return Math.floor(value / s) * s;
}

function niceCeil(value: number, span: number): number {
  const s = step(span);
  return Math.ceil(value / s) * s;
}
