/** Percentile by nearest rank over an ascending array (empty → NaN). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function ascending(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** One figure over repeated runs: the median, with min and max, as the issue asks. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

export function spread(runs: readonly number[]): Spread {
  const sorted = ascending(runs.filter((value) => Number.isFinite(value)));
  return { median: percentile(sorted, 50), min: sorted[0] ?? Number.NaN, max: sorted.at(-1) ?? Number.NaN, runs: [...runs] };
}

export function formatSpread(value: Spread, digits = 0): string {
  const f = (n: number) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
  return `${f(value.median)} (${f(value.min)}–${f(value.max)})`;
}
