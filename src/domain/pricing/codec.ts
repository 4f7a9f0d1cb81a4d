import * as v from 'valibot';
import type { UnorderableReason } from './assortment';
import type { LadderStep } from './engine';
import type { CatalogEntry } from './evaluate';

/**
 * The price index encoding, version 1. An index is split into parts of consecutive SKUs (sorted), each a
 * JSON document of parallel arrays (columns) rather than one object per product: it is about half the
 * bytes, parses faster, and KV's bulk `get` (text or JSON only) can fetch up to 100 parts at once.
 *
 *   s   SKUs, sorted                      f   flags: bit 0 orderable, bits 1–2 reason (0 none, 1 obsolete,
 *   l   lead time days                        2 not_orderable, 3 no_price)
 *   p   list price (−1: none)             r   replacement SKU as a string-table index (−1: none)
 *   x   reason rule (string index, −1)    t   first ladder step of each product (n + 1 offsets)
 *   q   step from-quantity                u   step unit price
 *   m   step tier min quantity            k   step rule ids (string index of "id1,id2", "!" first when
 *                                             there is no base rule; −1: list price alone)
 *   z   string table
 */
export const CODEC_VERSION = 1;
export const PART_SIZE = 2_000;

const REASONS: (UnorderableReason | null)[] = [null, 'obsolete', 'not_orderable', 'no_price'];

interface PartColumns {
  v: number;
  s: string[];
  f: number[];
  l: number[];
  p: number[];
  r: number[];
  x: number[];
  t: number[];
  q: number[];
  u: number[];
  m: number[];
  k: number[];
  z: string[];
}

class Strings {
  readonly table: string[] = [];
  private readonly ids = new Map<string, number>();
  ref(value: string | null): number {
    if (value === null) return -1;
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.table.length;
      this.table.push(value);
      this.ids.set(value, id);
    }
    return id;
  }
}

// A step priced from the list price with stacked discounts only has rule ids but no base rule.
const NO_BASE = '!';
const ruleKey = (step: LadderStep): string =>
  `${step.ruleId === null ? NO_BASE : ''}${step.ruleIds.join(',')}`;

/** Encodes entries already sorted by SKU. */
export function encodePart(entries: readonly CatalogEntry[]): string {
  const strings = new Strings();
  const c: PartColumns = {
    v: CODEC_VERSION,
    s: [],
    f: [],
    l: [],
    p: [],
    r: [],
    x: [],
    t: [],
    q: [],
    u: [],
    m: [],
    k: [],
    z: [],
  };
  for (const e of entries) {
    c.s.push(e.sku);
    c.f.push((e.orderable ? 1 : 0) | (REASONS.indexOf(e.reason) << 1));
    c.l.push(e.leadTimeDays);
    c.p.push(e.listMinor ?? -1);
    c.r.push(strings.ref(e.replacementSku));
    c.x.push(strings.ref(e.reasonRuleId));
    c.t.push(c.q.length);
    for (const step of e.ladder) {
      c.q.push(step.fromQuantity);
      c.u.push(step.unitMinor);
      c.m.push(step.tierMinQuantity);
      c.k.push(step.ruleIds.length === 0 ? -1 : strings.ref(ruleKey(step)));
    }
  }
  c.t.push(c.q.length);
  c.z = strings.table;
  return JSON.stringify(c);
}

/** A decoded part: SKU lookups by binary search, entries built only for the SKUs asked for. */
export class IndexPart {
  constructor(private readonly c: PartColumns) {}

  get size(): number {
    return this.c.s.length;
  }

  private position(sku: string): number {
    let lo = 0;
    let hi = this.c.s.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = this.c.s[mid] ?? '';
      if (at === sku) return mid;
      if (at < sku) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  get(sku: string): CatalogEntry | null {
    const i = this.position(sku);
    return i < 0 ? null : this.entryAt(i);
  }

  entryAt(i: number): CatalogEntry {
    const c = this.c;
    const str = (ref: number | undefined) => (ref === undefined || ref < 0 ? null : (c.z[ref] ?? null));
    const flags = c.f[i] ?? 0;
    const list = c.p[i] ?? -1;
    const ladder: LadderStep[] = [];
    for (let j = c.t[i] ?? 0; j < (c.t[i + 1] ?? 0); j++) {
      const key = str(c.k[j]);
      const noBase = key?.startsWith(NO_BASE) ?? true;
      const ruleIds = key === null ? [] : key.slice(noBase ? 1 : 0).split(',');
      ladder.push({
        fromQuantity: c.q[j] ?? 1,
        unitMinor: c.u[j] ?? 0,
        listMinor: list < 0 ? null : list,
        ruleId: noBase ? null : (ruleIds[0] ?? null),
        ruleIds,
        tierMinQuantity: c.m[j] ?? 1,
      });
    }
    return {
      sku: c.s[i] ?? '',
      orderable: (flags & 1) === 1,
      reason: REASONS[(flags >> 1) & 3] ?? null,
      reasonRuleId: str(c.x[i]),
      leadTimeDays: c.l[i] ?? 0,
      replacementSku: str(c.r[i]),
      listMinor: list < 0 ? null : list,
      ladder,
    };
  }
}

const Column = v.array(v.number());
const PartSchema = v.object({
  v: v.literal(CODEC_VERSION),
  s: v.array(v.string()),
  f: Column,
  l: Column,
  p: Column,
  r: Column,
  x: Column,
  t: Column,
  q: Column,
  u: Column,
  m: Column,
  k: Column,
  z: v.array(v.string()),
});

/** Parses a part; a part of another version (or a corrupt one) is an error the reader treats as a miss. */
export function decodePart(text: string): IndexPart {
  const raw: unknown = JSON.parse(text);
  // Checking the shape costs ~1 ms per 2,000 products and happens once per part per isolate.
  return new IndexPart(v.parse(PartSchema, raw));
}

/** The small document a fingerprint's pointer key holds: which generation is current and how it is split. */
export const PointerSchema = v.object({
  v: v.literal(CODEC_VERSION),
  fingerprint: v.string(),
  generation: v.number(),
  builtAt: v.number(),
  /** the index must not be used at or after this instant (a promotion or contract window changes) */
  validUntil: v.nullable(v.number()),
  currency: v.string(),
  productCount: v.number(),
  bytes: v.number(),
  /** first SKU of each part, in order */
  parts: v.array(v.string()),
});
export type IndexPointer = v.InferOutput<typeof PointerSchema>;

/** Which part holds a SKU: the last part whose first SKU is ≤ it (binary search over the pointer). */
export function partOf(pointer: IndexPointer, sku: string): number {
  let lo = 0;
  let hi = pointer.parts.length - 1;
  let found = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if ((pointer.parts[mid] ?? '') <= sku) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
