import { distance } from 'fastest-levenshtein';

/**
 * How a typed reference is compared with the references a company can order by (SKUs, manufacturer part
 * numbers, the company's own part numbers): upper case, without spaces, dashes, dots, underscores or
 * slashes, and without the leading zeros of each run of digits. "abr 15287", "ABR-015287" and "Abr.15287"
 * are all "ABR15287".
 */
export function normaliseReference(reference: string): string {
  return reference
    .toUpperCase()
    .replace(/[\s\-._/\\]+/g, '')
    .replace(/(^|\D)0+(?=\d)/g, '$1');
}

/** The number a reference ends with, without leading zeros ("ABR-015287" → "15287"), or null. */
export function trailingNumber(normalised: string): string | null {
  const match = /(\d+)$/.exec(normalised);
  return match?.[1] && match[1].length < normalised.length ? match[1] : null;
}

/** The trigrams of a normalised reference, with its start and end marked (so short references have some). */
export function trigramsOf(normalised: string): string[] {
  const padded = `^${normalised}$`;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3));
  return [...out];
}

/** What a suggestion matched: the SKU written differently, the maker's reference, the company's own, or a typo. */
export type MatchKind = 'normalised' | 'manufacturer_part_number' | 'company_part_number' | 'similar';

export interface Candidate {
  sku: string;
  matchedBy: MatchKind;
  /** the reference that matched, as the catalog or the company writes it */
  matched: string;
  distance: number;
}

interface KeyRecord {
  sku: string;
  kind: 'sku' | 'manufacturer_part_number' | 'company_part_number';
  /** as written (the SKU, the maker's or the company's reference) */
  text: string;
  normalised: string;
}

/** The largest edit distance (on normalised references) still offered as "did you mean". */
export const maxTypoDistance = (length: number): number =>
  length <= 4 ? 1 : Math.max(2, Math.floor(length / 4));
const SHORTLIST = 48;

/**
 * An index of references for "did you mean" without scanning the catalog per line:
 * - the normalised reference → its keys (exact after normalisation),
 * - the trailing number of a SKU → its keys ("15287" → ABR-015287: the prefix left out),
 * - every trigram → the keys holding it, as one flat Int32Array with offsets (compressed sparse rows).
 * A lookup counts shared trigrams only over the keys of the lookup's own trigrams, shortlists the keys
 * sharing the most and ranks them by edit distance. Memory per key: its strings and ~L+2 postings of 4
 * bytes (docs/quick-order.md gives the figure for 50,000 SKUs).
 */
export class ReferenceIndex {
  private readonly keys: KeyRecord[] = [];
  private readonly exact = new Map<string, number[]>();
  private readonly byNumber = new Map<string, number[]>();
  private readonly gramIds = new Map<string, number>();
  private offsets = new Int32Array(1);
  private postings = new Int32Array(0);
  private scratch = new Uint16Array(0);

  constructor(records: Iterable<{ sku: string; kind: KeyRecord['kind']; text: string }>) {
    const lists: number[][] = [];
    for (const r of records) {
      const normalised = normaliseReference(r.text);
      if (normalised.length === 0) continue;
      const id = this.keys.length;
      this.keys.push({ ...r, normalised });
      push(this.exact, normalised, id);
      const tail = r.kind === 'sku' ? trailingNumber(normalised) : null;
      if (tail) push(this.byNumber, tail, id);
      for (const gram of trigramsOf(normalised)) {
        let g = this.gramIds.get(gram);
        if (g === undefined) {
          g = lists.length;
          this.gramIds.set(gram, g);
          lists.push([]);
        }
        lists[g]?.push(id);
      }
    }
    this.offsets = new Int32Array(lists.length + 1);
    let total = 0;
    for (const [g, list] of lists.entries()) {
      total += list.length;
      this.offsets[g + 1] = total;
    }
    this.postings = new Int32Array(total);
    for (const [g, list] of lists.entries()) this.postings.set(list, this.offsets[g] ?? 0);
    this.scratch = new Uint16Array(this.keys.length);
  }

  get size(): number {
    return this.keys.length;
  }

  /** Bytes the typed arrays take (postings, offsets, counters); strings and maps come on top. */
  get arrayBytes(): number {
    return this.postings.byteLength + this.offsets.byteLength + this.scratch.byteLength;
  }

  /** Keys whose normalised reference is exactly this one. */
  exactly(reference: string): { sku: string; kind: KeyRecord['kind']; text: string }[] {
    return (this.exact.get(normaliseReference(reference)) ?? []).flatMap((id) => {
      const k = this.keys[id];
      return k ? [{ sku: k.sku, kind: k.kind, text: k.text }] : [];
    });
  }

  /**
   * Close references for a typed one, best first: the same reference written differently, the number
   * without its prefix, then the nearest by edit distance. Several keys may name one SKU; each SKU comes
   * once, with its best match. The caller filters what the customer may see.
   */
  candidates(reference: string, limit = 12): Candidate[] {
    const typed = normaliseReference(reference);
    if (typed.length === 0) return [];
    const found = new Map<string, Candidate>();
    const offer = (id: number, matchedBy: MatchKind, d: number) => {
      const k = this.keys[id];
      if (!k) return;
      const kind: MatchKind =
        k.kind === 'sku'
          ? matchedBy
          : k.kind === 'manufacturer_part_number'
            ? 'manufacturer_part_number'
            : 'company_part_number';
      const known = found.get(k.sku);
      if (!known || d < known.distance)
        found.set(k.sku, { sku: k.sku, matchedBy: kind, matched: k.text, distance: d });
    };
    for (const id of this.exact.get(typed) ?? []) offer(id, 'normalised', 0);
    if (/^\d+$/.test(typed)) for (const id of this.byNumber.get(typed) ?? []) offer(id, 'normalised', 0);
    for (const id of this.shortlist(typed)) {
      const k = this.keys[id];
      if (!k) continue;
      const d = distance(typed, k.normalised);
      if (d <= maxTypoDistance(typed.length)) offer(id, 'similar', d);
    }
    return [...found.values()]
      .sort((a, b) => a.distance - b.distance || (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0))
      .slice(0, limit);
  }

  /** The keys sharing the most trigrams with `typed` (at least a third of its own), most first. */
  private shortlist(typed: string): number[] {
    const grams = trigramsOf(typed);
    const touched: number[] = [];
    const counts = this.scratch;
    for (const gram of grams) {
      const g = this.gramIds.get(gram);
      if (g === undefined) continue;
      const end = this.offsets[g + 1] ?? 0;
      for (let i = this.offsets[g] ?? 0; i < end; i++) {
        const id = this.postings[i] ?? 0;
        if (counts[id] === 0) touched.push(id);
        counts[id] = (counts[id] ?? 0) + 1;
      }
    }
    const floor = Math.max(1, Math.ceil(grams.length / 3));
    const kept: { id: number; n: number }[] = [];
    for (const id of touched) {
      const n = counts[id] ?? 0;
      counts[id] = 0;
      if (n >= floor) kept.push({ id, n });
    }
    kept.sort((a, b) => b.n - a.n || a.id - b.id);
    return kept.slice(0, SHORTLIST).map((k) => k.id);
  }
}

function push<K>(map: Map<K, number[]>, key: K, id: number): void {
  const list = map.get(key);
  if (list) list.push(id);
  else map.set(key, [id]);
}
