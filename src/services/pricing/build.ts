import { and, eq, isNull, lt, or } from 'drizzle-orm';
import * as v from 'valibot';
import type { Database } from '../../db/client';
import {
  allPricingProducts,
  assortmentByIds,
  contractsByIds,
  listPricesOf,
  rulesOfContracts,
} from '../../db/queries/pricing-data';
import { priceIndexes } from '../../db/schema';
import { CODEC_VERSION, type IndexPointer } from '../../domain/pricing/codec';
import { compileLazily, type PricingData, visibleCountsByCategory } from '../../domain/pricing/compile';
import type { PricingInputs } from '../../domain/pricing/inputs';
import { kvKeys } from '../../lib/kv-keys';
import { log } from '../../lib/log';
import type { PricingDeps } from './deps';
import { enqueueBuilds } from './queue';
import { LOST_BUILD_AFTER_MS } from './sweep';
import { generationKeys, writeLayouts } from './write-parts';

const InputsSchema = v.object({
  v: v.number(),
  currency: v.string(),
  priceListId: v.nullable(v.string()),
  contractIds: v.array(v.string()),
  assortmentRuleIds: v.array(v.string()),
});

/** The encoding a stored pointer was written in: the current one before any build (nothing to replace), null when unreadable. */
export function encodingOf(pointer: string | null): number | null {
  if (pointer === null) return CODEC_VERSION;
  try {
    const parsed = v.safeParse(v.object({ v: v.number() }), JSON.parse(pointer));
    return parsed.success ? parsed.output.v : null;
  } catch {
    return null;
  }
}

export const parseInputs = (text: string): PricingInputs => v.parse(InputsSchema, JSON.parse(text));

/** The pricing inputs recorded for a fingerprint (what its index is built from). */
export async function inputsOf(db: Database, fingerprint: string): Promise<PricingInputs> {
  const [row] = await db
    .select({ inputs: priceIndexes.inputs })
    .from(priceIndexes)
    .where(eq(priceIndexes.fingerprint, fingerprint))
    .limit(1);
  if (!row) throw new Error(`no price index row for fingerprint ${fingerprint}`);
  return parseInputs(row.inputs);
}

// Readers may hold the previous pointer for up to the pointer cache time; its parts outlive it by a margin.
export const SUPERSEDED_PARTS_GRACE_SECONDS = 300;
const PARALLEL_DELETES = 6;

export async function loadPricingData(deps: PricingDeps, inputs: PricingInputs): Promise<PricingData> {
  const [contracts, rules, assortment, listPrices] = await Promise.all([
    contractsByIds(deps.db, inputs.contractIds),
    rulesOfContracts(deps.db, inputs.contractIds),
    assortmentByIds(deps.db, inputs.assortmentRuleIds),
    listPricesOf(deps.db, inputs.priceListId),
  ]);
  return { contracts, rules, assortment, listPrices };
}

export type BuildOutcome =
  | { built: true; generation: number; productCount: number; bytes: number; parts: number; ms: number }
  | { built: false; why: 'unknown' | 'up_to_date' | 'superseded' | 'in_progress' };

/**
 * Builds the requested generation of one index: compile every product, write all parts under the new
 * generation, and only then switch the pointer. Readers see the old generation or the new one, never a
 * mix. Safe to run twice (a duplicate message): an index that is current is left alone, and a build that
 * lost a race to a newer generation does not move the pointer back.
 */
export async function buildIndex(
  deps: PricingDeps,
  fingerprint: string,
  now: () => number,
): Promise<BuildOutcome> {
  const { db, kv } = deps;
  const started = now();
  const [row] = await db
    .select()
    .from(priceIndexes)
    .where(eq(priceIndexes.fingerprint, fingerprint))
    .limit(1);
  if (!row) return { built: false, why: 'unknown' };
  // past its validUntil, or written in an older encoding that readers no longer look for
  const replaced =
    (row.validUntil !== null && row.validUntil <= started) || encodingOf(row.pointer) !== CODEC_VERSION;
  const current = row.currentGeneration !== null && row.currentGeneration >= row.requestedGeneration;
  if (current && !replaced) return { built: false, why: 'up_to_date' };
  // Another build of this index is running: it reads the inputs as they are when it starts and asks for one
  // more build if they changed meanwhile (below), so requests arriving during a build (an ERP import's
  // chunks, a burst of admin edits) cost one more build, not one each. A build silent for longer than
  // LOST_BUILD_AFTER_MS is presumed lost (the cron sweep also finds it): this one takes over.
  const building = row.buildingGeneration !== null && row.buildStartedAt !== null;
  if (building && started - (row.buildStartedAt ?? 0) < LOST_BUILD_AFTER_MS)
    return { built: false, why: 'in_progress' };
  const generation = current ? row.requestedGeneration + 1 : row.requestedGeneration;
  await db
    .update(priceIndexes)
    .set({
      requestedGeneration: generation,
      buildingGeneration: generation,
      buildStartedAt: started,
      updatedAt: started,
    })
    .where(eq(priceIndexes.fingerprint, fingerprint));
  try {
    const inputs = parseInputs(row.inputs);
    const [data, items] = await Promise.all([loadPricingData(deps, inputs), allPricingProducts(db)]);
    const compiledAt = now();
    // parts are cut in the order JavaScript compares strings, the order every reader searches in
    items.sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
    const { entries, validUntil } = compileLazily(items, data, compiledAt);
    const written = await writeLayouts(kv, fingerprint, generation, entries);
    // the category tree's counts for this customer, beside the parts: one small read per generation
    await kv.put(
      kvKeys.priceIndexCategories(fingerprint, generation),
      JSON.stringify(visibleCountsByCategory(items, data.assortment)),
    );
    const { bytes, productCount } = written;
    const parts = written.parts.length;
    const pointer: IndexPointer = {
      v: CODEC_VERSION,
      fingerprint,
      generation,
      builtAt: compiledAt,
      validUntil,
      currency: inputs.currency,
      productCount,
      bytes,
      parts: written.parts,
      wide: written.wide,
    };
    const finished = now();
    const claimed = await db
      .update(priceIndexes)
      .set({
        currentGeneration: generation,
        pointer: JSON.stringify(pointer),
        builtAt: compiledAt,
        buildMs: finished - started,
        sizeBytes: bytes,
        productCount,
        partCount: parts,
        validUntil,
        buildingGeneration: null,
        buildStartedAt: null,
        lastError: null,
        updatedAt: finished,
      })
      .where(
        and(
          eq(priceIndexes.fingerprint, fingerprint),
          or(isNull(priceIndexes.currentGeneration), lt(priceIndexes.currentGeneration, generation)),
        ),
      )
      .returning({ requested: priceIndexes.requestedGeneration });
    if (claimed.length === 0) {
      // a newer generation switched first: ours is garbage nobody will read
      await db
        .update(priceIndexes)
        .set({ buildingGeneration: null, buildStartedAt: null })
        .where(
          and(eq(priceIndexes.fingerprint, fingerprint), eq(priceIndexes.buildingGeneration, generation)),
        );
      await dropGeneration(kv, fingerprint, {
        generation,
        parts,
        wide: written.wide.length,
        version: CODEC_VERSION,
      });
      return { built: false, why: 'superseded' };
    }
    await kv.put(kvKeys.priceIndexPointer(fingerprint), JSON.stringify(pointer));
    await settleAfterSwitch(deps, fingerprint, generation, row.pointer, finished);
    // inputs changed while this build ran (their requests were left to it): one more build catches up
    if ((claimed[0]?.requested ?? generation) > generation)
      await enqueueBuilds(deps.queue, [fingerprint], `changed while generation ${generation} was building`);
    log('info', 'price index built', {
      fingerprint,
      generation,
      products: productCount,
      bytes,
      ms: finished - started,
    });
    return {
      built: true,
      generation,
      productCount,
      bytes,
      parts,
      ms: finished - started,
    };
  } catch (err) {
    await db
      .update(priceIndexes)
      .set({
        buildingGeneration: null,
        lastError: err instanceof Error ? err.message.slice(0, 500) : String(err),
        updatedAt: now(),
      })
      .where(eq(priceIndexes.fingerprint, fingerprint));
    throw err;
  }
}

/**
 * After the switch: clear the stale mark if nothing newer was requested meanwhile, repair the pointer if a
 * newer build switched between our claim and our KV write, and schedule the old generation's parts for
 * deletion once no reader can still hold its pointer.
 */
async function settleAfterSwitch(
  deps: PricingDeps,
  fingerprint: string,
  generation: number,
  previousPointer: string | null,
  at: number,
): Promise<void> {
  const { db, kv, queue } = deps;
  await db
    .update(priceIndexes)
    .set({ staleSince: null })
    .where(and(eq(priceIndexes.fingerprint, fingerprint), eq(priceIndexes.requestedGeneration, generation)));
  const [now] = await db
    .select({ current: priceIndexes.currentGeneration, pointer: priceIndexes.pointer })
    .from(priceIndexes)
    .where(eq(priceIndexes.fingerprint, fingerprint));
  if (now?.pointer && now.current !== null && now.current > generation) {
    await kv.put(kvKeys.priceIndexPointer(fingerprint), now.pointer);
  }
  if (previousPointer) {
    // a pointer of any encoding: version 1 had no `v` beyond 1 and no wide parts
    const previous = JSON.parse(previousPointer) as {
      v?: number;
      generation: number;
      parts: string[];
      wide?: string[];
    };
    if (previous.generation !== generation || (previous.v ?? 1) !== CODEC_VERSION) {
      await queue.send(
        {
          fingerprint,
          reason: `drop generation ${previous.generation} superseded at ${new Date(at).toISOString()}`,
          dropGeneration: {
            generation: previous.generation,
            parts: previous.parts.length,
            wide: previous.wide?.length ?? 0,
            version: previous.v ?? 1,
          },
        },
        { delaySeconds: SUPERSEDED_PARTS_GRACE_SECONDS },
      );
    }
  }
}

/** Deletes the parts (and category counts, search flags) of a superseded generation (idempotent: deleting a missing key is fine). */
export async function dropGeneration(
  kv: KVNamespace,
  fingerprint: string,
  generation: { generation: number; parts: number; wide: number; version: number },
) {
  const keys = generationKeys(fingerprint, generation.generation, generation);
  // a generation of an older encoding: its pointer key is no longer read by anyone either
  if (generation.version !== CODEC_VERSION)
    keys.push(kvKeys.priceIndexPointer(fingerprint, generation.version));
  for (let i = 0; i < keys.length; i += PARALLEL_DELETES) {
    await Promise.all(keys.slice(i, i + PARALLEL_DELETES).map((k) => kv.delete(k)));
  }
}
