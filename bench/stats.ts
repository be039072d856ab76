// Summary statistics and the printed table of the benchmarks: percentiles by linear interpolation
// between closest ranks (numpy's default, R type 7), throughput, ratios against a baseline.

export interface Summary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** The p-th percentile (0..100) of `values`; NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (rank - lower);
}

export function summarize(values: readonly number[]): Summary {
  const count = values.length;
  return {
    count,
    min: count ? Math.min(...values) : NaN,
    mean: count ? values.reduce((sum, v) => sum + v, 0) / count : NaN,
    p50: percentile(values, 50),
    p90: percentile(values, 90),
    p99: percentile(values, 99),
    max: count ? Math.max(...values) : NaN,
  };
}

/** Completed operations per second over a wall-clock span in milliseconds. */
export function throughputPerSecond(completed: number, wallMs: number): number {
  if (wallMs <= 0) throw new RangeError(`wall time must be positive, got ${wallMs}`);
  return completed / (wallMs / 1000);
}

/** measured / baseline, e.g. 4.2 means "4.2× the baseline"; NaN when the baseline is 0 or missing. */
export function ratio(measured: number, baseline: number): number {
  return baseline > 0 && Number.isFinite(baseline) ? measured / baseline : NaN;
}

export function formatNumber(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
}

/** A fixed-width text table: the first column left-aligned, the others right-aligned. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
