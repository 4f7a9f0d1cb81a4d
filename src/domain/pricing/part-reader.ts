import {
  BLOCK_CHECKSUM_BITS,
  CharReader,
  CorruptPart,
  checksumOf,
  fixedAt,
  HEADER_CHECKSUM_BITS,
} from './chars';
import { CODEC_VERSION, ENTRY_BYTES } from './encoding';
import type { CatalogEntry } from './evaluate';
import {
  entryOf,
  readShape,
  type ShapeSummary,
  type StoredShape,
  summaryOf,
  withRuleIds,
} from './part-shape';
import {
  incremented,
  isIncrement,
  numericTarget,
  readRelated,
  readSku,
  readSkuChange,
  skipRelated,
} from './part-sku';

import { RuleIds } from './rule-ids';

/** One part of encoding 2 (codec.ts): header checked on opening, a block when first entered, records on demand. */
export class IndexPart {
  private readonly entries = new Map<string, CatalogEntry>();
  private readonly firstSkus: (string | undefined)[];
  private readonly checked: Uint8Array;
  private readonly shapes: (StoredShape | undefined)[];
  private readonly summaries: (ShapeSummary | undefined)[];

  private constructor(
    private readonly text: string,
    readonly size: number,
    private readonly blockCount: number,
    private readonly shapeCount: number,
    private readonly width: number,
    private readonly indexAt: number,
    private readonly ids: RuleIds,
  ) {
    this.firstSkus = new Array(blockCount);
    this.checked = new Uint8Array(blockCount);
    this.shapes = new Array(shapeCount);
    this.summaries = new Array(shapeCount);
  }

  /** Checks the header and its checksum; throws `CorruptPart` (the reader then treats the part as missing). */
  static open(text: string): IndexPart {
    const r = new CharReader(text);
    const version = r.uint();
    if (version !== CODEC_VERSION) throw new CorruptPart(`version ${version}`);
    const size = r.uint();
    const blockSize = r.uint();
    const blockCount = r.uint();
    const shapeCount = r.uint();
    const width = r.uint();
    if (width < 1 || width > 4 || blockCount !== Math.ceil(size / Math.max(1, blockSize)))
      throw new CorruptPart('header');
    const headerEnd = r.fixed(width);
    if (headerEnd + 3 > text.length) throw new CorruptPart('header length');
    const sum = fixedAt(text, headerEnd, 3);
    if (sum !== checksumOf(text, 0, headerEnd, HEADER_CHECKSUM_BITS))
      throw new CorruptPart('header checksum');
    const ids = RuleIds.readTable(r);
    if (r.pos + (blockCount + shapeCount) * width > headerEnd) throw new CorruptPart('header length');
    // the header's own end is checked by where the blocks start (or where the text ends)
    const firstBlock = blockCount > 0 ? fixedAt(text, r.pos, width) : text.length;
    if (firstBlock !== headerEnd + 3) throw new CorruptPart('header end');
    return new IndexPart(text, size, blockCount, shapeCount, width, r.pos, ids);
  }

  /** Bytes this part holds in isolate memory: its text and the entries decoded so far. */
  get bytes(): number {
    return this.text.length + this.entries.size * ENTRY_BYTES;
  }

  get(sku: string): CatalogEntry | null {
    const known = this.entries.get(sku);
    if (known) return known;
    const block = this.blockOf(sku);
    // The search compared first SKUs no checksum has covered yet. The answer rests on two of them, the
    // block's own (checked on entering it) and the next block's: that block is checked too.
    if (block + 1 < this.blockCount) this.check(block + 1);
    if (block < 0) return null;
    const entry = this.findInBlock(block, sku);
    if (entry) this.entries.set(sku, entry);
    return entry;
  }

  /** Every entry, in SKU order (tests and tools; a reader asks `get`). */
  *all(): Generator<CatalogEntry> {
    for (let b = 0; b < this.blockCount; b++) {
      const r = this.enter(b);
      const end = this.blockEnd(b);
      let sku = '';
      while (r.pos < end) {
        sku = readSku(r, sku);
        yield this.readRecord(r, sku);
      }
    }
  }

  /** The i-th fixed-width number of the index: the blocks' offsets, then the shapes'. */
  private offset(i: number): number {
    return fixedAt(this.text, this.indexAt + i * this.width, this.width);
  }

  private blockStart(b: number): number {
    return this.offset(b);
  }

  private blockEnd(b: number): number {
    return b + 1 < this.blockCount ? this.blockStart(b + 1) : this.text.length;
  }

  private firstSku(b: number): string {
    let sku = this.firstSkus[b];
    if (sku === undefined) {
      sku = readSku(new CharReader(this.text, this.blockStart(b) + 2), '');
      this.firstSkus[b] = sku;
    }
    return sku;
  }

  /** The last block whose first SKU is ≤ `sku`, or −1. */
  private blockOf(sku: string): number {
    let lo = 0;
    let hi = this.blockCount - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.firstSku(mid) <= sku) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** Checks a block's checksum, once. */
  private check(b: number): void {
    if (this.checked[b] === 1) return;
    const start = this.blockStart(b);
    const end = this.blockEnd(b);
    if (start + 2 > end || end > this.text.length) throw new CorruptPart('block bounds');
    if (fixedAt(this.text, start, 2) !== checksumOf(this.text, start + 2, end, BLOCK_CHECKSUM_BITS))
      throw new CorruptPart(`block ${b} checksum`);
    this.checked[b] = 1;
  }

  /** A reader at the block's first record, the block checked. */
  private enter(b: number): CharReader {
    this.check(b);
    return new CharReader(this.text, this.blockStart(b) + 2);
  }

  /**
   * Walks one block in SKU order; records before the SKU are skipped without being decoded. While SKUs
   * differ only in their trailing number (increment records), numbers are compared and no SKU is built.
   */
  private findInBlock(b: number, sku: string): CatalogEntry | null {
    const r = this.enter(b);
    const end = this.blockEnd(b);
    let current = readSku(r, '');
    if (current === sku) return this.readRecord(r, sku);
    this.skipPayload(r);
    let pending = 0;
    let numeric = numericTarget(current, sku);
    while (r.pos < end) {
      const increment = isIncrement(r.text.charCodeAt(r.pos));
      if (!increment && pending > 0) {
        current = incremented(current, pending);
        pending = 0;
      }
      const change = readSkuChange(r, current);
      if (typeof change === 'number') {
        pending += change;
        if (numeric === null) {
          current = incremented(current, pending);
          pending = 0;
        } else if (numeric.base + pending === numeric.target) return this.readRecord(r, sku);
        else if (numeric.base + pending > numeric.target) return null;
        else {
          this.skipPayload(r);
          continue;
        }
      } else {
        current = change;
        pending = 0;
        numeric = numericTarget(current, sku);
      }
      if (current === sku) return this.readRecord(r, sku);
      if (current > sku) return null;
      this.skipPayload(r);
    }
    return null;
  }

  private stored(ref: number): StoredShape {
    let stored = this.shapes[ref - 1];
    if (stored === undefined) {
      if (ref > this.shapeCount) throw new CorruptPart(`shape ${ref}`);
      stored = readShape(new CharReader(this.text, this.offset(this.blockCount + ref - 1)), this.ids);
      this.shapes[ref - 1] = stored;
    }
    return stored;
  }

  private skipPayload(r: CharReader): void {
    const ref = r.uint();
    let s: ShapeSummary | undefined;
    if (ref === 0) s = summaryOf(readShape(r, this.ids));
    else {
      s = this.summaries[ref - 1];
      if (s === undefined) {
        s = summaryOf(this.stored(ref));
        this.summaries[ref - 1] = s;
      }
    }
    for (let i = 0; i < s.recordRuleIds; i++) {
      r.skipInt();
      r.skipString();
    }
    if (!s.listNull) r.skipInt();
    for (let i = 0; i < s.explicitSteps; i++) r.skipInt();
    if (s.hasReplacement) skipRelated(r);
  }

  private readRecord(r: CharReader, sku: string): CatalogEntry {
    const ref = r.uint();
    const stored = ref === 0 ? readShape(r, this.ids) : this.stored(ref);
    if (ref === 0 && stored.template) throw new CorruptPart('inline template');
    const shape = stored.template ? withRuleIds(stored.shape, r, this.ids) : stored.shape;
    const listMinor = shape.listNull ? null : r.uint();
    const units: number[] = [];
    for (const step of shape.steps) {
      if (!step.explicit) continue;
      const u = r.int();
      units.push(listMinor === null ? u : listMinor - u);
    }
    const replacementSku = shape.hasReplacement ? readRelated(r, sku) : null;
    return entryOf(sku, shape, listMinor, units, replacementSku);
  }
}
