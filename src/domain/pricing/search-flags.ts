import { CharReader, CharWriter, CorruptPart, checksumOf, HEADER_CHECKSUM_BITS } from './chars';
import type { CatalogEntry } from './evaluate';
import { readSku, writeSku } from './part-sku';

/**
 * What the catalog search needs of a customer's price index, per visible product: the SKU and two flags.
 * One small value per index generation, so that a search view does not read and decode every part.
 *
 * Format (7-bit text, chars.ts): the product count (unsigned), a checksum of the records (3 fixed chars,
 * HEADER_CHECKSUM_BITS), then per product in strictly increasing SKU order (JavaScript's string order) its
 * SKU against the previous one (part-sku.ts: a numbered SKU after its neighbour costs one char) and one
 * char of flags. About 2–5 bytes a product: well under 1 MB for 50,000.
 */
export const SEARCH_FLAG_ORDERABLE = 1;
export const SEARCH_FLAG_CONTRACT = 2;
const FLAG_BITS = SEARCH_FLAG_ORDERABLE | SEARCH_FLAG_CONTRACT;
const CHECKSUM_WIDTH = 3;

/** The flags of a visible product: orderable, and priced by a contract rule at its first quantity step. */
export function searchFlagsOf(entry: CatalogEntry): number {
  const contract = (entry.ladder[0]?.ruleIds.length ?? 0) > 0;
  return (entry.orderable ? SEARCH_FLAG_ORDERABLE : 0) | (contract ? SEARCH_FLAG_CONTRACT : 0);
}

/** Collects products in SKU order; `finish` gives the value. */
export class SearchFlagsWriter {
  private readonly body = new CharWriter();
  private previous: string | null = null;
  private count = 0;

  add(sku: string, flags: number): void {
    if (this.previous !== null && !(this.previous < sku))
      throw new RangeError(
        `SKUs out of order: ${JSON.stringify(sku)} after ${JSON.stringify(this.previous)}`,
      );
    if ((flags & ~FLAG_BITS) !== 0) throw new RangeError(`unknown flags ${flags}`);
    writeSku(this.body, this.previous ?? '', sku);
    this.body.code(flags);
    this.previous = sku;
    this.count++;
  }

  get size(): number {
    return this.count;
  }

  finish(): string {
    const head = new CharWriter();
    head.uint(this.count);
    head.fixed(this.body.checksum(0, this.body.length, HEADER_CHECKSUM_BITS), CHECKSUM_WIDTH);
    head.append(this.body);
    return head.text();
  }
}

export function encodeSearchFlags(products: Iterable<{ sku: string; flags: number }>): string {
  const writer = new SearchFlagsWriter();
  for (const p of products) writer.add(p.sku, p.flags);
  return writer.finish();
}

/**
 * An opened value: the text is kept as it is (one byte a char) and walked when asked, so a cached value
 * costs its size in KV rather than a string and a number per product.
 */
export class SearchFlags {
  private constructor(
    private readonly text: string,
    private readonly bodyStart: number,
    readonly count: number,
  ) {}

  /** Checks the header, the checksum and every record once; throws CorruptPart for anything else. */
  static open(text: string): SearchFlags {
    const r = new CharReader(text);
    const count = r.uint();
    const checksum = r.fixed(CHECKSUM_WIDTH);
    if (checksumOf(text, r.pos, text.length, HEADER_CHECKSUM_BITS) !== checksum)
      throw new CorruptPart('search flags checksum');
    const opened = new SearchFlags(text, r.pos, count);
    let previous: string | null = null;
    opened.forEach((sku) => {
      if (previous !== null && !(previous < sku)) throw new CorruptPart('search flags order');
      previous = sku;
    });
    return opened;
  }

  /** Bytes the value takes (for a cache's budget). */
  get bytes(): number {
    return this.text.length;
  }

  /** Every product, in SKU order. */
  forEach(visit: (sku: string, flags: number) => void): void {
    const r = new CharReader(this.text, this.bodyStart);
    let previous = '';
    for (let i = 0; i < this.count; i++) {
      const sku = readSku(r, previous);
      const flags = r.code();
      if ((flags & ~FLAG_BITS) !== 0) throw new CorruptPart('search flags');
      visit(sku, flags);
      previous = sku;
    }
    if (r.pos !== this.text.length) throw new CorruptPart('search flags length');
  }

  /** Every product as a map (tests, small indexes). */
  toMap(): Map<string, number> {
    const all = new Map<string, number>();
    this.forEach((sku, flags) => {
      all.set(sku, flags);
    });
    return all;
  }
}
