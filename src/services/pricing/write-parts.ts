import { PART_BYTES, WIDE_PART_BYTES } from '../../domain/pricing/codec';
import type { CatalogEntry } from '../../domain/pricing/evaluate';
import { PartWriter } from '../../domain/pricing/part-writer';
import { SearchFlagsWriter, searchFlagsOf } from '../../domain/pricing/search-flags';
import { kvKeys } from '../../lib/kv-keys';

const PARALLEL_PUTS = 6;

export interface WrittenLayouts {
  /** first SKU of each part, in order */
  parts: string[];
  wide: string[];
  /** bytes of the parts (one layout) and of the wide parts */
  bytes: number;
  wideBytes: number;
  /** bytes of the search flags value */
  searchFlagsBytes: number;
  productCount: number;
}

/**
 * Writes a generation's entries (in SKU order) in both layouts at once, a part to KV as soon as it is
 * full: the build holds at most one part of each layout in memory, whatever the catalog's size. The
 * catalog search's flags (SKU, orderable, contract-priced: a few bytes a product) are collected on the way
 * and written last.
 */
export async function writeLayouts(
  kv: KVNamespace,
  fingerprint: string,
  generation: number,
  entries: Iterable<CatalogEntry>,
): Promise<WrittenLayouts> {
  const written: WrittenLayouts = {
    parts: [],
    wide: [],
    bytes: 0,
    wideBytes: 0,
    searchFlagsBytes: 0,
    productCount: 0,
  };
  const searchFlags = new SearchFlagsWriter();
  let pending: Promise<void>[] = [];
  const flush = async (writer: PartWriter, wide: boolean) => {
    const value = writer.finish();
    const list = wide ? written.wide : written.parts;
    const key = wide
      ? kvKeys.priceIndexWidePart(fingerprint, generation, list.length)
      : kvKeys.priceIndexPart(fingerprint, generation, list.length);
    list.push(writer.firstSku ?? '');
    if (wide) written.wideBytes += value.length;
    else written.bytes += value.length;
    pending.push(kv.put(key, value));
    if (pending.length >= PARALLEL_PUTS) {
      await Promise.all(pending);
      pending = [];
    }
  };
  let part = new PartWriter(PART_BYTES);
  let wide = new PartWriter(WIDE_PART_BYTES);
  for (const entry of entries) {
    written.productCount++;
    searchFlags.add(entry.sku, searchFlagsOf(entry));
    if (!part.tryAdd(entry)) {
      await flush(part, false);
      part = new PartWriter(PART_BYTES);
      part.tryAdd(entry);
    }
    if (!wide.tryAdd(entry)) {
      await flush(wide, true);
      wide = new PartWriter(WIDE_PART_BYTES);
      wide.tryAdd(entry);
    }
  }
  // the last parts, and for an empty index one empty part of each layout so that every lookup finds a part
  await flush(part, false);
  await flush(wide, true);
  const flags = searchFlags.finish();
  written.searchFlagsBytes = flags.length;
  pending.push(kv.put(kvKeys.priceIndexSearchFlags(fingerprint, generation), flags));
  await Promise.all(pending);
  return written;
}

/** Every key of one generation, for its deletion once superseded (a generation of an older encoding too). */
export function generationKeys(
  fingerprint: string,
  generation: number,
  layout: { parts: number; wide: number; version: number },
): string[] {
  return [
    ...Array.from({ length: layout.parts }, (_, i) =>
      kvKeys.priceIndexPart(fingerprint, generation, i, layout.version),
    ),
    ...Array.from({ length: layout.wide }, (_, i) =>
      kvKeys.priceIndexWidePart(fingerprint, generation, i, layout.version),
    ),
    kvKeys.priceIndexCategories(fingerprint, generation, layout.version),
    kvKeys.priceIndexSearchFlags(fingerprint, generation, layout.version),
  ];
}
