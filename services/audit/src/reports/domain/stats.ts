/** Hours to the hundredth, as the legal read model gives them. */
export function roundHours(hours: number): number {
  return Math.round(hours * 100) / 100;
}

/** How long something took across many cases, in hours to the hundredth; null figures when there are none. */
export interface Distribution {
  readonly count: number;
  readonly averageHours: number | null;
  readonly medianHours: number | null;
  /** The 90th percentile, interpolated between the values around it (PostgreSQL's `percentile_cont(0.9)`). */
  readonly p90Hours: number | null;
  readonly maxHours: number | null;
}

/** The value at fraction `p` of the sorted values, interpolated linearly: `percentile_cont`. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error('percentile of nothing');
  const at = p * (sorted.length - 1);
  const low = Math.floor(at);
  const high = Math.ceil(at);
  const a = sorted[low] as number;
  const b = sorted[high] as number;
  return a + (b - a) * (at - low);
}

/** The distribution of durations given in exact hours; only the figures are rounded. */
export function distribution(hours: readonly number[]): Distribution {
  if (hours.length === 0) return { count: 0, averageHours: null, medianHours: null, p90Hours: null, maxHours: null };
  const sorted = [...hours].sort((a, b) => a - b);
  return {
    count: sorted.length,
    averageHours: roundHours(sorted.reduce((sum, value) => sum + value, 0) / sorted.length),
    medianHours: roundHours(percentile(sorted, 0.5)),
    p90Hours: roundHours(percentile(sorted, 0.9)),
    maxHours: roundHours(sorted[sorted.length - 1] as number),
  };
}
