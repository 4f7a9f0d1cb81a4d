import * as v from 'valibot';
import { CODEC_VERSION } from './encoding';

export { CODEC_VERSION, ENTRY_BYTES, PART_BYTES, WIDE_PART_BYTES } from './encoding';
export { IndexPart } from './part-reader';

/**
 * The price index encoding, version 2: parts of consecutive SKUs in a compact text format (part-writer.ts
 * writes it, `IndexPart` reads it). Opening a part checks its header and header checksum once; a lookup
 * binary-searches the blocks' first SKUs, checks the block's checksum the first time it enters it, walks at
 * most one block (numbered SKUs compared as numbers, without building them), and builds an entry only for
 * the SKU asked for, kept for the next lookup. Nothing is parsed that a page does not need.
 *
 * An index is written twice, in two layouts of the same records: `parts` of at most PART_BYTES (a product
 * page, a short cart: one small read each) and `wide` parts of at most WIDE_PART_BYTES (a page of scattered
 * SKUs touches nearly every part whatever their size, so fewer, larger parts mean fewer reads).
 * docs/pricing.md compares the designs measured.
 */

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
  /** bytes of one layout (the `parts`) */
  bytes: v.number(),
  /** first SKU of each part of at most PART_BYTES, in order */
  parts: v.array(v.string()),
  /** first SKU of each wide part, in order */
  wide: v.array(v.string()),
});
export type IndexPointer = v.InferOutput<typeof PointerSchema>;

/** Which part holds a SKU: the last part whose first SKU is ≤ it (binary search over the first SKUs). */
export function partOf(firstSkus: readonly string[], sku: string): number {
  let lo = 0;
  let hi = firstSkus.length - 1;
  let found = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if ((firstSkus[mid] ?? '') <= sku) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
