import * as v from 'valibot';
import type { UnorderableReason } from '../src/domain/pricing/assortment';
import type { LadderStep } from '../src/domain/pricing/engine';
import type { CatalogEntry } from '../src/domain/pricing/evaluate';
import type { MemoryKv } from './memory-kv';

/**
 * The price index as it was before encoding 2, kept for the read-path benchmark so every run compares the
 * shipped reader with the previous one on the same data: JSON documents of parallel columns, 2,000
 * SKU-sorted products a part, valibot checking each part when it is decoded, and an isolate cache bounded
 * by product count that evicts in insertion order. (Code as it was in src/domain/pricing/codec.ts and
 * src/services/pricing/reader.ts; the pointer is reduced to what reading needs.)
 */
const CODEC_VERSION = 1;
export const V1_PART_SIZE = 2_000;
const MAX_CACHED_PRODUCTS = 200_000;
const BULK_GET_LIMIT = 100;

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
export function encodePartV1(entries: readonly CatalogEntry[]): string {
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
export function decodePartV1(text: string): IndexPart {
  const raw: unknown = JSON.parse(text);
  // Checking the shape costs ~1 ms per 2,000 products and happens once per part per isolate.
  return new IndexPart(v.parse(PartSchema, raw));
}

const PointerV1 = v.object({
  v: v.literal(CODEC_VERSION),
  generation: v.number(),
  parts: v.array(v.string()),
});
type PointerV1 = v.InferOutput<typeof PointerV1>;

function partOfV1(pointer: PointerV1, sku: string): number {
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

const keyV1 = (fingerprint: string, generation: number, part: number) =>
  `pi:v1:${fingerprint}:g${generation}:p${part}`;

/** Writes entries (SKU order) as encoding-1 parts and their pointer; returns bytes and part count. */
export async function writeV1(kv: MemoryKv, fingerprint: string, entries: readonly CatalogEntry[]) {
  const parts: string[] = [];
  let bytes = 0;
  for (let i = 0; i < Math.max(1, entries.length); i += V1_PART_SIZE) {
    const slice = entries.slice(i, i + V1_PART_SIZE);
    const value = encodePartV1(slice);
    await kv.put(keyV1(fingerprint, 1, parts.length), value);
    parts.push(slice[0]?.sku ?? '');
    bytes += value.length;
  }
  await kv.put(`pi:v1:${fingerprint}:ptr`, JSON.stringify({ v: CODEC_VERSION, generation: 1, parts }));
  return { bytes, parts: parts.length };
}

/** The encoding-1 read path: pointer, bulk get of the parts not cached, decode, look up. */
export class ReaderV1 {
  private readonly cache = new Map<string, IndexPart>();
  private cachedProducts = 0;
  private pointer: PointerV1 | null = null;

  constructor(private readonly kv: MemoryKv) {}

  clear(): void {
    this.cache.clear();
    this.cachedProducts = 0;
    this.pointer = null;
  }

  private remember(key: string, part: IndexPart): void {
    this.cache.set(key, part);
    this.cachedProducts += part.size;
    for (const [oldest, value] of this.cache) {
      if (this.cachedProducts <= MAX_CACHED_PRODUCTS) break;
      this.cache.delete(oldest);
      this.cachedProducts -= value.size;
    }
  }

  async lookup(fingerprint: string, skus: readonly string[]): Promise<Map<string, CatalogEntry | null>> {
    if (!this.pointer) {
      const raw = await this.kv.get(`pi:v1:${fingerprint}:ptr`, { type: 'json' });
      this.pointer = v.parse(PointerV1, raw);
    }
    const pointer = this.pointer;
    const wanted = new Map<string, number>();
    for (const sku of skus) wanted.set(sku, partOfV1(pointer, sku));
    const keyOf = (part: number) => keyV1(fingerprint, pointer.generation, part);
    const missing = [...new Set(wanted.values())].map(keyOf).filter((k) => !this.cache.has(k));
    for (let i = 0; i < missing.length; i += BULK_GET_LIMIT) {
      const found = await this.kv.get(missing.slice(i, i + BULK_GET_LIMIT), { type: 'text' });
      for (const [key, text] of found) {
        if (typeof text !== 'string') throw new Error(`encoding-1 part ${key} missing`);
        this.remember(key, decodePartV1(text));
      }
    }
    const entries = new Map<string, CatalogEntry | null>();
    for (const [sku, part] of wanted) {
      const decoded = this.cache.get(keyOf(part));
      if (!decoded) throw new Error('encoding-1 part evicted during a lookup');
      entries.set(sku, decoded.get(sku));
    }
    return entries;
  }
}
