import type { KpiSums } from '../../db/queries/kpi-read';

/**
 * The KPI sums computed in this isolate, keyed by what they were computed from: the companies of the scope,
 * the two periods, and the KPI data version (the recompute generation and the newest cart activity row). A
 * recompute that writes any KPI row moves the generation in the same batch, so an entry is reused only while
 * the rows it summed are unchanged, and never outlives them: a new version simply misses. Small and
 * least-recently-used: each isolate warms its own.
 */
const MAX_ENTRIES = 64;
const entries = new Map<string, KpiSums>();

export function cachedSums(key: string): KpiSums | undefined {
  const hit = entries.get(key);
  if (hit === undefined) return undefined;
  entries.delete(key);
  entries.set(key, hit);
  return hit;
}

export function rememberSums(key: string, sums: KpiSums): void {
  entries.set(key, sums);
  for (const oldest of entries.keys()) {
    if (entries.size <= MAX_ENTRIES) break;
    entries.delete(oldest);
  }
}
