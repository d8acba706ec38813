/** Order statistics for timing samples. */

/** The q-quantile (0..1) of `values` by nearest rank; NaN for no values. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** p50, p99 and the maximum, rounded to a tenth (of whatever unit the samples are in). */
export function summary(values: readonly number[]): { p50: number; p99: number; max: number; count: number } {
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    p50: round(quantile(values, 0.5)),
    p99: round(quantile(values, 0.99)),
    max: round(values.reduce((m, x) => (x > m ? x : m), values.length ? -Infinity : NaN)),
    count: values.length,
  };
}

/** Microseconds elapsed since `started` (a process.hrtime.bigint() reading). */
export function microsSince(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1000;
}
