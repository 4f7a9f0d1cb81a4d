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

type KeyKind = 'sku' | 'manufacturer_part_number' | 'company_part_number';
const KINDS: readonly KeyKind[] = ['sku', 'manufacturer_part_number', 'company_part_number'];

/** The largest edit distance (on normalised references) still offered as "did you mean". */
export const maxTypoDistance = (length: number): number =>
  length <= 4 ? 1 : Math.max(2, Math.floor(length / 4));
const SHORTLIST = 48;

/** Every distinct string one character shorter than `text`. */
function oneShorter(text: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i < text.length; i++) out.add(text.slice(0, i) + text.slice(i + 1));
  return [...out];
}

/** FNV-1a over a string's UTF-16 units: the hash of the open-addressing tables below. */
function hashOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * A multimap from a string to key ids in one Int32Array (open addressing, linear probing): no string and no
 * array per entry. A probe hit is confirmed by the caller, who can recompute the string of a key.
 */
class HashIds {
  private readonly slots: Int32Array;

  /** half full at most: short probe runs (about two slots), without rounding up to a power of two */
  constructor(count: number) {
    this.slots = new Int32Array(Math.max(16, count * 2));
  }

  get bytes(): number {
    return this.slots.byteLength;
  }

  add(text: string, id: number): void {
    const size = this.slots.length;
    let at = hashOf(text) % size;
    while (this.slots[at] !== 0) at = (at + 1) % size;
    this.slots[at] = id + 1;
  }

  /** The ids stored under `text` (and a few stored under another string with the same probe run). */
  *probe(text: string): Generator<number> {
    const size = this.slots.length;
    let at = hashOf(text) % size;
    for (let slot = this.slots[at] ?? 0; slot !== 0; slot = this.slots[at] ?? 0) {
      yield slot - 1;
      at = (at + 1) % size;
    }
  }
}

/**
 * An index of references for "did you mean" without scanning the catalog per line, in flat arrays:
 * - each key's text as written (the SKU, the maker's or the company's reference), its kind, its SKU;
 * - normalised reference → keys, and trailing number of a SKU → keys ("15287" → ABR-015287: the prefix
 *   left out), as open-addressing tables of ids (the normalised strings are recomputed, never stored);
 * - every trigram → the keys holding it, as one Int32Array with offsets (compressed sparse rows).
 * A lookup counts shared trigrams only over the posting lists of its own trigrams, shortlists the keys
 * sharing the most (bucketed by count, no sort) and ranks them by edit distance. Memory per 50,000 SKUs:
 * docs/quick-order.md.
 */
export class ReferenceIndex {
  private readonly texts: string[] = [];
  private readonly skus: string[] = [];
  /** kept: recomputing them for every probe hit costs more than their ~30 bytes each */
  private readonly normalised: string[] = [];
  private readonly kinds: Uint8Array;
  /** each key's normalised reference and every string one character shorter: exact and one-edit matches */
  private readonly neighbours: HashIds;
  private readonly byNumber: HashIds;
  private readonly gramIds = new Map<string, number>();
  private readonly offsets: Int32Array;
  private readonly postings: Int32Array;
  private readonly counts: Uint16Array;

  constructor(records: Iterable<{ sku: string; kind: KeyKind; text: string }>) {
    const kinds: number[] = [];
    const lists: number[][] = [];
    const normalised = this.normalised;
    for (const r of records) {
      const norm = normaliseReference(r.text);
      if (norm.length === 0) continue;
      const id = this.texts.length;
      this.texts.push(r.text);
      this.skus.push(r.sku);
      kinds.push(KINDS.indexOf(r.kind));
      normalised.push(norm);
      for (const gram of trigramsOf(norm)) {
        let g = this.gramIds.get(gram);
        if (g === undefined) {
          g = lists.length;
          this.gramIds.set(gram, g);
          lists.push([]);
        }
        lists[g]?.push(id);
      }
    }
    const count = this.texts.length;
    this.kinds = Uint8Array.from(kinds);
    this.neighbours = new HashIds(normalised.reduce((sum, n) => sum + n.length + 1, 0));
    this.byNumber = new HashIds(count);
    for (const [id, norm] of normalised.entries()) {
      for (const variant of oneShorter(norm)) this.neighbours.add(variant, id);
      this.neighbours.add(norm, id);
      const tail = kinds[id] === 0 ? trailingNumber(norm) : null;
      if (tail) this.byNumber.add(tail, id);
    }
    this.offsets = new Int32Array(lists.length + 1);
    let total = 0;
    for (const [g, list] of lists.entries()) {
      total += list.length;
      this.offsets[g + 1] = total;
    }
    this.postings = new Int32Array(total);
    for (const [g, list] of lists.entries()) this.postings.set(list, this.offsets[g] ?? 0);
    this.counts = new Uint16Array(count);
  }

  get size(): number {
    return this.texts.length;
  }

  /** Bytes the typed arrays take (postings, offsets, tables, counters); the key texts come on top. */
  get arrayBytes(): number {
    return (
      this.postings.byteLength +
      this.offsets.byteLength +
      this.neighbours.bytes +
      this.byNumber.bytes +
      this.counts.byteLength +
      this.kinds.byteLength
    );
  }

  private normalisedOf(id: number): string {
    return this.normalised[id] ?? '';
  }

  private kindOf(id: number): KeyKind {
    return KINDS[this.kinds[id] ?? 0] ?? 'sku';
  }

  /** Keys whose normalised reference is exactly this one. */
  exactly(reference: string): { sku: string; kind: KeyKind; text: string }[] {
    const typed = normaliseReference(reference);
    const out: { sku: string; kind: KeyKind; text: string }[] = [];
    for (const id of this.neighbours.probe(typed)) {
      if (this.normalisedOf(id) === typed)
        out.push({ sku: this.skus[id] ?? '', kind: this.kindOf(id), text: this.texts[id] ?? '' });
    }
    return out;
  }

  /** The SKU a reference is, exactly but for case and surrounding spaces. */
  skuOf(reference: string): string | undefined {
    const wanted = reference.trim().toUpperCase();
    return this.exactly(wanted).find((k) => k.kind === 'sku' && k.text.toUpperCase() === wanted)?.sku;
  }

  /**
   * Close references for a typed one, best first: the same reference written differently, the number
   * without its prefix, then the nearest by edit distance. Several keys may name one SKU; each SKU comes
   * once, with its best match. The caller filters what the customer may see.
   */
  candidates(reference: string, count = 12): Candidate[] {
    const typed = normaliseReference(reference);
    if (typed.length === 0) return [];
    const found = new Map<string, Candidate>();
    const offer = (id: number, matchedBy: MatchKind, d: number) => {
      const kind = this.kindOf(id);
      const by: MatchKind = kind === 'sku' ? matchedBy : kind;
      const sku = this.skus[id] ?? '';
      const known = found.get(sku);
      if (!known || d < known.distance)
        found.set(sku, { sku, matchedBy: by, matched: this.texts[id] ?? '', distance: d });
    };
    if (/^\d+$/.test(typed)) {
      for (const id of this.byNumber.probe(typed))
        if (trailingNumber(this.normalisedOf(id)) === typed) offer(id, 'normalised', 0);
    }
    const limit = maxTypoDistance(typed.length);
    const near = (id: number) => {
      const d = distance(typed, this.normalisedOf(id));
      if (d === 0) offer(id, 'normalised', 0);
      else if (d <= limit) offer(id, 'similar', d);
    };
    // one edit (and a swap of two neighbours): the typed reference or one character less, against the same
    for (const variant of [typed, ...oneShorter(typed)])
      for (const id of this.neighbours.probe(variant)) near(id);
    // more edits, in longer references: the keys sharing the most of the rarer trigrams
    for (const id of this.shortlist(typed)) near(id);
    return [...found.values()]
      .sort((a, b) => a.distance - b.distance || (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0))
      .slice(0, count);
  }

  /**
   * The keys sharing the most trigrams with `typed` (at least a third of its own), most first. A trigram
   * held by more than a sixteenth of the keys (a common prefix) tells little and costs most: it is left out.
   */
  private shortlist(typed: string): number[] {
    const grams = trigramsOf(typed);
    const touched: number[] = [];
    const counts = this.counts;
    const common = Math.max(256, this.texts.length / 16);
    for (const gram of grams) {
      const g = this.gramIds.get(gram);
      if (g === undefined) continue;
      const end = this.offsets[g + 1] ?? 0;
      if (end - (this.offsets[g] ?? 0) > common) continue;
      for (let i = this.offsets[g] ?? 0; i < end; i++) {
        const id = this.postings[i] ?? 0;
        if (counts[id] === 0) touched.push(id);
        counts[id] = (counts[id] ?? 0) + 1;
      }
    }
    const floor = Math.max(1, Math.ceil(grams.length / 3));
    // bucketed by the number of shared trigrams (at most grams.length): the best first, no sort
    const buckets: number[][] = Array.from({ length: grams.length + 1 }, () => []);
    for (const id of touched) {
      const n = counts[id] ?? 0;
      counts[id] = 0;
      if (n >= floor) buckets[n]?.push(id);
    }
    const out: number[] = [];
    for (let n = grams.length; n >= floor && out.length < SHORTLIST; n--) {
      for (const id of buckets[n] ?? []) {
        out.push(id);
        if (out.length >= SHORTLIST) break;
      }
    }
    return out;
  }
}
