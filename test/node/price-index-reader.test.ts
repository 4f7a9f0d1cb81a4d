import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryKv, MemoryQueue } from '../../scripts/memory-kv';
import { CODEC_VERSION, type IndexPointer, PART_BYTES } from '../../src/domain/pricing/codec';
import type { CatalogEntry } from '../../src/domain/pricing/evaluate';
import { ByteLru } from '../../src/lib/byte-lru';
import { kvKeys } from '../../src/lib/kv-keys';
import type { PricingDeps } from '../../src/services/pricing/deps';
import {
  clearIsolateCache,
  lookupEntries,
  PART_CACHE_BYTES,
  partCache,
} from '../../src/services/pricing/reader';
import { writeLayouts } from '../../src/services/pricing/write-parts';

// The reader of the price index on indexes written by the real layout writer into an in-memory KV.
const NOW = Date.UTC(2026, 10, 29);

function entryOf(sku: string, i: number): CatalogEntry {
  const list = 100 + ((i * 7919) % 90_000);
  return {
    sku,
    orderable: i % 17 !== 0,
    reason: i % 17 === 0 ? 'not_orderable' : null,
    reasonRuleId: i % 17 === 0 ? 'asr_family' : null,
    leadTimeDays: i % 5 === 0 ? 5 : 0,
    replacementSku: null,
    listMinor: list,
    ladder:
      i % 10 === 0
        ? [
            {
              fromQuantity: 1,
              unitMinor: list - 1,
              listMinor: list,
              ruleId: `rule_n_${i}`,
              ruleIds: [`rule_n_${i}`],
              tierMinQuantity: 1,
            },
            {
              fromQuantity: 100,
              unitMinor: list - 9,
              listMinor: list,
              ruleId: `rule_t_${i}`,
              ruleIds: [`rule_t_${i}`],
              tierMinQuantity: 100,
            },
          ]
        : [
            {
              fromQuantity: 1,
              unitMinor: list,
              listMinor: list,
              ruleId: null,
              ruleIds: [],
              tierMinQuantity: 1,
            },
          ],
  };
}

const catalog = (count: number) =>
  Array.from({ length: count }, (_, i) => entryOf(`SKU-${String(i * 3).padStart(6, '0')}`, i));

async function writeIndex(kv: MemoryKv, fingerprint: string, entries: CatalogEntry[]): Promise<void> {
  const written = await writeLayouts(kv.asNamespace(), fingerprint, 1, entries);
  const pointer: IndexPointer = {
    v: CODEC_VERSION,
    fingerprint,
    generation: 1,
    builtAt: NOW,
    validUntil: null,
    currency: 'EUR',
    productCount: written.productCount,
    bytes: written.bytes,
    parts: written.parts,
    wide: written.wide,
  };
  await kv.put(kvKeys.priceIndexPointer(fingerprint), JSON.stringify(pointer));
}

let kv: MemoryKv;
let deps: PricingDeps;
beforeEach(() => {
  kv = new MemoryKv();
  // a hit reads KV only; a miss would enqueue a rebuild (the queue keeps it), never touch the database
  deps = {
    db: undefined as unknown as PricingDeps['db'],
    kv: kv.asNamespace(),
    queue: new MemoryQueue().asQueue(),
  };
  clearIsolateCache();
});
afterEach(() => partCache.resize(PART_CACHE_BYTES));

const partReads = () => kv.reads((key) => !key.endsWith(':ptr'));

async function lookup(fingerprint: string, skus: string[]) {
  const found = await lookupEntries(deps, fingerprint, skus, NOW);
  if (!found.hit) throw new Error(`miss: ${found.why}`);
  return found.entries;
}

describe('reading the price index', () => {
  const entries = catalog(20_000);
  const bySku = new Map(entries.map((e) => [e.sku, e]));
  beforeEach(() => writeIndex(kv, 'fp', entries));

  it('a single SKU costs one read of a small part, and the answer is the entry written', async () => {
    const sku = entries[12_345]?.sku ?? '';
    kv.resetCounters();
    const found = await lookup('fp', [sku]);
    expect(found.get(sku)).toStrictEqual(bySku.get(sku));
    const read = partReads();
    expect(read.keys).toBe(1);
    expect(read.bytes).toBeLessThanOrEqual(PART_BYTES);
    // a SKU between two of the index's: not there
    expect((await lookup('fp', ['SKU-000001'])).get('SKU-000001')).toBeNull();
  });

  it('consecutive SKUs read one or two small parts; scattered SKUs the wide parts, fewer keys', async () => {
    const consecutive = entries.slice(9_000, 9_050).map((e) => e.sku);
    kv.resetCounters();
    const page = await lookup('fp', consecutive);
    for (const sku of consecutive) expect(page.get(sku)).toStrictEqual(bySku.get(sku));
    expect(partReads().keys).toBeLessThanOrEqual(2);
    expect(kv.readLog.every((r) => !r.key.includes(':w'))).toBe(true);

    clearIsolateCache();
    const scattered = Array.from({ length: 50 }, (_, i) => entries[(i * 7_919) % entries.length]?.sku ?? '');
    kv.resetCounters();
    const spread = await lookup('fp', scattered);
    for (const sku of scattered) expect(spread.get(sku)).toStrictEqual(bySku.get(sku));
    const smallParts = new Set(kv.keys(`pi:v2:fp:g1:p`)).size;
    expect(partReads().keys).toBeLessThan(smallParts);
    expect(kv.readLog.filter((r) => !r.key.endsWith(':ptr')).every((r) => r.key.includes(':w'))).toBe(true);
  });

  it('a warm isolate reads nothing more, whichever layout it holds', async () => {
    const scattered = Array.from(
      { length: 50 },
      (_, i) => entries[(i * 104_729) % entries.length]?.sku ?? '',
    );
    await lookup('fp', scattered);
    kv.resetCounters();
    await lookup('fp', [...scattered.slice(0, 10), ...entries.slice(100, 140).map((e) => e.sku)]);
    expect(kv.readLog).toEqual([]);
  });
});

describe('the isolate part cache', () => {
  it('keeps a customer whose parts are in use through a burst of other customers (least recently used goes)', async () => {
    const customers = Array.from({ length: 12 }, (_, i) => `customer-${i}`);
    for (const fp of ['busy', 'idle', ...customers]) await writeIndex(kv, fp, catalog(400));
    const sku = 'SKU-000300';
    await lookup('busy', [sku]);
    await lookup('idle', [sku]);
    // room for about four customers' parts: the burst of twelve pushes everything else out
    partCache.resize(partCache.bytes * 2);
    kv.resetCounters();
    for (const [i, fp] of customers.entries()) {
      await lookup(fp, [sku]);
      if (i % 2 === 1) await lookup('busy', [sku]);
    }
    await lookup('busy', [sku]);
    expect(partCache.bytes).toBeLessThanOrEqual(partCache.limit);
    // the busy customer's part was never read again; each of the twelve others' once
    expect(kv.reads((key) => key.startsWith('pi:v2:busy:') && !key.endsWith(':ptr')).keys).toBe(0);
    expect(partReads().keys).toBe(customers.length);
    await lookup('idle', [sku]);
    expect(partReads().keys).toBe(customers.length + 1);
  });

  it('answers from the index even when its parts are larger than the whole cache', async () => {
    await writeIndex(kv, 'fp', catalog(3_000));
    partCache.resize(1_000);
    const found = await lookup('fp', ['SKU-000300', 'SKU-008997']);
    expect(found.get('SKU-000300')?.sku).toBe('SKU-000300');
    expect(found.get('SKU-008997')?.sku).toBe('SKU-008997');
    expect(partCache.size).toBe(0);
  });
});

describe('ByteLru', () => {
  const lru = () => new ByteLru<{ bytes: number }>(100, (v) => v.bytes);

  it('evicts the least recently used first, reading counting as use', () => {
    const cache = lru();
    cache.set('a', { bytes: 40 });
    cache.set('b', { bytes: 40 });
    expect(cache.get('a')).toBeDefined();
    cache.set('c', { bytes: 40 });
    expect([cache.has('a'), cache.has('b'), cache.has('c')]).toEqual([true, false, true]);
    expect(cache.bytes).toBe(80);
  });

  it('charges a value that grew and evicts others for it; a value larger than the budget is not kept', () => {
    const cache = lru();
    const grows = { bytes: 10 };
    cache.set('old', { bytes: 50 });
    cache.set('grows', grows);
    grows.bytes = 60;
    cache.touch('grows');
    expect([cache.has('old'), cache.has('grows')]).toEqual([false, true]);
    expect(cache.bytes).toBe(60);
    cache.set('huge', { bytes: 101 });
    expect(cache.has('huge')).toBe(false);
    expect(cache.peek('grows')).toBe(grows);
  });
});
