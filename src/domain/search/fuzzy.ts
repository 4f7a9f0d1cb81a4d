/**
 * Typo tolerance: the optimal string alignment distance (Damerau: insert, delete, substitute, or swap two
 * neighbours, each ONE edit — "blot" is one edit from "bolt"), bounded so a candidate is dropped as soon as
 * it cannot be within the allowed edits.
 */

/** Edits allowed for a typed word: none below 4 letters, one from 4, two from 8. */
export const maxEditsFor = (length: number): number => (length >= 8 ? 2 : length >= 4 ? 1 : 0);

// reused rows: the distance runs thousands of times per query and allocates nothing
let previous2 = new Int32Array(72);
let previous = new Int32Array(72);
let current = new Int32Array(72);

/** The OSA distance of a and b if it is at most `max`, else max + 1. */
export function boundedDistance(a: string, b: string, max: number): number {
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > max) return max + 1;
  if (m + 1 > current.length) {
    previous2 = new Int32Array(m + 1);
    previous = new Int32Array(m + 1);
    current = new Int32Array(m + 1);
  }
  for (let j = 0; j <= m; j++) previous[j] = j;
  for (let i = 1; i <= n; i++) {
    current[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= m; j++) {
      const cb = b.charCodeAt(j - 1);
      const cost = ca === cb ? 0 : 1;
      let d = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb)
        d = Math.min(d, (previous2[j - 2] ?? 0) + 1);
      current[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    const spare = previous2;
    previous2 = previous;
    previous = current;
    current = spare;
  }
  const d = previous[m] ?? max + 1;
  return d <= max ? d : max + 1;
}
