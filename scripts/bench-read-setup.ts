import { createClient } from '@libsql/client';
import { eq, sql } from 'drizzle-orm';
import { fromLibsqlClient } from '../src/db/client';
import { priceIndexes } from '../src/db/schema';
import { IndexPart, type IndexPointer, PART_BYTES } from '../src/domain/pricing/codec';
import type { CatalogEntry } from '../src/domain/pricing/evaluate';
import { PartWriter } from '../src/domain/pricing/part-writer';
import { kvKeys } from '../src/lib/kv-keys';
import { fingerprintFor, refreshAssignments } from '../src/services/pricing/assignments';
import { buildIndex } from '../src/services/pricing/build';
import type { PricingDeps } from '../src/services/pricing/deps';
import { writeV1 } from './bench-read-v1';
import { applyMigrations, seedIfEmpty } from './libsql';
import { MemoryKv, MemoryQueue } from './memory-kv';

/**
 * The read-path benchmark's world: the demo catalog seeded into an in-memory libSQL database (the same
 * query code as D1), Acme's index built by the real build into an in-memory KV, and the other designs
 * written beside it from the same entries.
 */
export const COMPANY = 'co_acme';

export interface World {
  deps: PricingDeps;
  kv: MemoryKv;
  fingerprint: string;
  pointer: IndexPointer;
  /** every entry of the index, in SKU order */
  entries: CatalogEntry[];
  seedMs: number;
  close: () => void;
}

export interface BuildFigures {
  products: number;
  indexed: number;
  buildMs: number;
  /** bytes of the small parts, of the wide parts, their counts */
  bytes: number;
  wideBytes: number;
  parts: number;
  wide: number;
}

export async function seededWorld(products: number): Promise<World> {
  const started = performance.now();
  const client = createClient({ url: ':memory:' });
  await applyMigrations(client);
  await seedIfEmpty(client, { products });
  const seedMs = performance.now() - started;
  const kv = new MemoryKv();
  const deps: PricingDeps = {
    db: fromLibsqlClient(client),
    kv: kv.asNamespace(),
    queue: new MemoryQueue().asQueue(),
  };
  await refreshAssignments(deps, 'bench', Date.now());
  const fingerprint = await fingerprintFor(deps, COMPANY, Date.now());
  if (!fingerprint) throw new Error(`${COMPANY} has no price index`);
  return {
    deps,
    kv,
    fingerprint,
    pointer: emptyPointer(fingerprint),
    entries: [],
    seedMs,
    close: () => client.close(),
  };
}

const emptyPointer = (fingerprint: string): IndexPointer => ({
  v: 2,
  fingerprint,
  generation: 0,
  builtAt: 0,
  validUntil: null,
  currency: 'EUR',
  productCount: 0,
  bytes: 0,
  parts: [],
  wide: [],
});

/** Builds the next generation with the real build (median of `times`); the world then reads that one. */
export async function timedBuilds(world: World, products: number, times: number): Promise<BuildFigures> {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    await world.deps.db
      .update(priceIndexes)
      .set({ requestedGeneration: sql`${priceIndexes.requestedGeneration} + 1` })
      .where(eq(priceIndexes.fingerprint, world.fingerprint));
    const outcome = await buildIndex(world.deps, world.fingerprint, () => Date.now());
    if (!outcome.built) throw new Error(`build did not run: ${outcome.why}`);
    ms.push(outcome.ms);
  }
  const pointer = await world.kv.get(kvKeys.priceIndexPointer(world.fingerprint), { type: 'json' });
  world.pointer = pointer as IndexPointer;
  world.entries = [];
  for (let i = 0; i < world.pointer.parts.length; i++) {
    const text = await world.kv.get(kvKeys.priceIndexPart(world.fingerprint, world.pointer.generation, i));
    if (typeof text !== 'string') throw new Error('part missing after the build');
    world.entries.push(...IndexPart.open(text).all());
  }
  world.kv.resetCounters();
  const sorted = [...ms].sort((a, b) => a - b);
  return {
    products,
    indexed: world.pointer.productCount,
    buildMs: sorted[Math.floor(sorted.length / 2)] ?? 0,
    bytes: world.pointer.bytes,
    wideBytes: world.kv.bytesUnder(`pi:v2:${world.fingerprint}:g${world.pointer.generation}:w`),
    parts: world.pointer.parts.length,
    wide: world.pointer.wide.length,
  };
}

/**
 * The same generation under another fingerprint whose pointer offers one layout only (both lists name the
 * same parts), so the shipped reader can be measured on each layout alone.
 */
export async function oneLayout(world: World, layout: 'parts' | 'wide'): Promise<string> {
  const { kv, fingerprint, pointer } = world;
  const copy = `${fingerprint}-${layout}`;
  const source = (i: number) =>
    layout === 'parts'
      ? kvKeys.priceIndexPart(fingerprint, pointer.generation, i)
      : kvKeys.priceIndexWidePart(fingerprint, pointer.generation, i);
  const firsts = layout === 'parts' ? pointer.parts : pointer.wide;
  for (let i = 0; i < firsts.length; i++) {
    const text = await kv.get(source(i));
    await kv.put(kvKeys.priceIndexPart(copy, pointer.generation, i), String(text));
    await kv.put(kvKeys.priceIndexWidePart(copy, pointer.generation, i), String(text));
  }
  await kv.put(
    kvKeys.priceIndexPointer(copy),
    JSON.stringify({ ...pointer, fingerprint: copy, parts: firsts, wide: firsts }),
  );
  return copy;
}

/** The previous encoding (JSON columns, 2,000 products a part) of the same entries. */
export const writePrevious = (world: World) => writeV1(world.kv, world.fingerprint, world.entries);

/** FNV-1a of a SKU: the bucket of the hash-addressed design. */
function bucketOf(sku: string, buckets: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < sku.length; i++) h = Math.imul(h ^ sku.charCodeAt(i), 0x01000193);
  return (h >>> 0) % buckets;
}

/**
 * Parts addressed by a hash of the SKU (as many as the small parts, so of about their size): no pointer
 * list needed, but neighbours land in different parts. Written with the same encoding.
 */
export async function writeHashed(
  world: World,
): Promise<{ read: (skus: readonly string[]) => Promise<number> }> {
  const buckets = Math.max(1, Math.ceil(world.pointer.bytes / (PART_BYTES * 0.95)));
  const writers = Array.from({ length: buckets }, () => new PartWriter(Number.MAX_SAFE_INTEGER));
  for (const entry of world.entries) writers[bucketOf(entry.sku, buckets)]?.tryAdd(entry);
  const key = (b: number) => `bench:hashed:${world.fingerprint}:${b}`;
  for (const [b, w] of writers.entries()) await world.kv.put(key(b), w.finish());
  return {
    /** a cold read: the buckets of the SKUs, opened, each SKU looked up; returns how many were found */
    read: async (skus) => {
      const wanted = [...new Set(skus.map((s) => bucketOf(s, buckets)))];
      const texts = await world.kv.get(wanted.map(key), { type: 'text' });
      const parts = new Map(wanted.map((b) => [b, IndexPart.open(String(texts.get(key(b))))]));
      let found = 0;
      for (const sku of skus) if (parts.get(bucketOf(sku, buckets))?.get(sku)) found++;
      return found;
    },
  };
}
