/**
 * Durations (approval lead time, cart to order, quote turnaround) are kept per day as counts in fixed
 * buckets, because percentiles do not add up across days and counts do. A percentile is reported as the
 * upper bound of the bucket holding it (nearest rank), so it is exact when durations fall on a bound and
 * otherwise at most one bucket high. Bounds in minutes.
 */
export const MINUTE_BOUNDS = [
  1,
  2,
  5,
  10,
  15,
  20,
  30,
  45,
  60,
  90,
  120,
  180,
  240,
  360,
  480,
  720,
  1080,
  1440,
  2 * 1440,
  3 * 1440,
  4 * 1440,
  5 * 1440,
  7 * 1440,
  10 * 1440,
  14 * 1440,
  21 * 1440,
  30 * 1440,
  45 * 1440,
  60 * 1440,
  90 * 1440,
  180 * 1440,
  365 * 1440,
] as const;

export const DURATION_METRICS = ['approval_lead', 'cart_to_order', 'quote_turnaround'] as const;
export type DurationMetric = (typeof DURATION_METRICS)[number];

const MINUTE_MS = 60_000;

/** The bucket of a duration: the first bound at or above it; past the last bound, one overflow bucket. */
export function bucketOf(durationMs: number): number {
  const minutes = Math.max(0, durationMs) / MINUTE_MS;
  const at = MINUTE_BOUNDS.findIndex((bound) => minutes <= bound);
  return at === -1 ? MINUTE_BOUNDS.length : at;
}

/** What a bucket reports, in minutes; the overflow bucket reports the last bound (a floor, said in the docs). */
export const bucketMinutes = (bucket: number): number =>
  MINUTE_BOUNDS[Math.min(bucket, MINUTE_BOUNDS.length - 1)] ?? 0;

/** The nearest-rank percentile (0 < p ≤ 1) of bucket counts, in minutes; null when there is nothing. */
export function percentileMinutes(counts: ReadonlyMap<number, number>, p: number): number | null {
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = Math.ceil(p * total);
  let seen = 0;
  for (const bucket of [...counts.keys()].sort((a, b) => a - b)) {
    seen += counts.get(bucket) ?? 0;
    if (seen >= rank) return bucketMinutes(bucket);
  }
  return null;
}
