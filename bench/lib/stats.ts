// Benchmark helper: order statistics (median, percentiles) and number formatting.

/** Percentile by linear interpolation between closest ranks; p in [0, 100]. NaN for an empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

export const median = (values: readonly number[]): number => percentile(values, 50);

export function sum(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

export function max(values: readonly number[]): number {
  return values.length === 0 ? NaN : values.reduce((a, b) => (b > a ? b : a), -Infinity);
}

/** Fixed decimals; NaN/Infinity print as "nan". */
export function fmt(v: number, decimals: number): string {
  return Number.isFinite(v) ? v.toFixed(decimals) : 'nan';
}

export function fmtBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return 'nan';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(i === 0 ? 0 : 2)} ${units[i]}`;
}
