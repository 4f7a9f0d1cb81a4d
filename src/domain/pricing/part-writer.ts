import { BLOCK_CHECKSUM_BITS, CharWriter, HEADER_CHECKSUM_BITS, uintChars } from './chars';
import type { CatalogEntry } from './evaluate';
import { explicitUnits, offsetWidth, type Prepared, payloadChars, prepared } from './part-record';
import { ruleIdChars, ruleIdsOf, type Shape, shapeChars, writeShape } from './part-shape';
import { skuChars, writeRelated, writeSku } from './part-sku';
import { RuleIds } from './rule-ids';

/**
 * Writes one part of the price index, encoding version 2 (read by `IndexPart`, codec.ts). Layout:
 *
 *   header   version, product count, block size, block count, shape table size, offset width W, end of the
 *            header (W chars), rule id prefixes, the blocks' and the shapes' offsets (W chars each)
 *   shapes   shapes used by several products, most used first: in full, or as a template when only the
 *            rule ids differ (a SKU's own net price: every record then carries its rule ids)
 *   checksum 3 chars over everything above, checked once when the part is opened
 *   blocks   BLOCK_SIZE products each, in SKU order; a block starts with a 2-char checksum of itself
 *            (checked the first time a lookup enters it or relies on its first SKU), then its records
 *
 *   record   SKU (part-sku.ts; a block's first against ""), shape (0 then the shape inline, else its number in the table), rule ids
 *            (template shapes), list price, the unit price of each step not at list (as its difference to
 *            the list price), replacement SKU (as what it shares with the product's SKU)
 *
 * `size` is an upper bound of the final length, kept exactly as records are added: a part grows until the
 * next record would pass its budget, so no part exceeds it (unless one product alone does).
 */
export const BLOCK_SIZE = 32;
const HEADER_BOUND = 6 * 4 + 3;

interface FullUse {
  shape: Shape;
  key: string;
  template: TemplateUse;
  chars: number;
  ruleIdChars: number;
  count: number;
  first: number;
}

interface TemplateUse {
  key: string;
  chars: number;
  /** full shapes of this template used by exactly one record */
  singles: number;
  singleChars: number;
  singleRuleIdChars: number;
  first: number;
}

export class PartWriter {
  private readonly entries: CatalogEntry[] = [];
  private readonly uses: FullUse[] = [];
  private readonly full = new Map<string, FullUse>();
  private readonly templates = new Map<string, TemplateUse>();
  private readonly ids = new RuleIds();
  private recordChars = 0;
  /** shapes and the references to them, without the width of those references */
  private shapeChars = 0;
  private tableSize = 0;
  private references = 0;
  private readonly width: number;

  constructor(readonly budget: number) {
    this.width = offsetWidth(budget);
  }

  get count(): number {
    return this.entries.length;
  }

  get firstSku(): string | null {
    return this.entries[0]?.sku ?? null;
  }

  /** An upper bound of the length of the text `finish` returns. */
  get size(): number {
    let width = this.width;
    for (;;) {
      const size = this.sizeWith(width);
      if (offsetWidth(size) <= width) return size;
      width = offsetWidth(size);
    }
  }

  private sizeWith(width: number): number {
    const blocks = Math.ceil(this.entries.length / BLOCK_SIZE);
    return (
      HEADER_BOUND +
      width +
      this.ids.tableChars +
      blocks * (width + 2) +
      this.tableSize * width +
      this.recordChars +
      this.shapeChars +
      this.references * uintChars(this.tableSize)
    );
  }

  /** Adds an entry (SKUs strictly ascending) unless that would pass the budget; a first entry always fits. */
  tryAdd(entry: CatalogEntry): boolean {
    const previous = this.entries.at(-1);
    if (previous !== undefined && !(previous.sku < entry.sku))
      throw new Error(`price index entries out of order: ${previous.sku} then ${entry.sku}`);
    const prefixes = this.ids.prefixes.length;
    const ready = prepared(entry);
    const { shape, key } = ready;
    const startsBlock = this.entries.length % BLOCK_SIZE === 0;
    // a block's first SKU is written whole (against ""); the others relate to the SKU before them
    const skuCost = skuChars(startsBlock ? '' : (previous?.sku ?? ''), entry.sku);
    const record = skuCost + payloadChars(entry, shape);
    const use = this.full.get(key) ?? this.newUse(ready);
    this.count1(use, +1);
    this.recordChars += record;
    if (this.entries.length > 0 && this.size > this.budget) {
      this.recordChars -= record;
      this.count1(use, -1);
      this.ids.truncate(prefixes);
      return false;
    }
    this.full.set(key, use);
    this.templates.set(use.template.key, use.template);
    this.entries.push(entry);
    this.uses.push(use);
    return true;
  }

  private newUse({ shape, key, templateKey: tKey }: Prepared): FullUse {
    const template = this.templates.get(tKey) ?? {
      key: tKey,
      chars: shapeChars(shape, this.ids, true),
      singles: 0,
      singleChars: 0,
      singleRuleIdChars: 0,
      first: this.entries.length,
    };
    const chars = shapeChars(shape, this.ids, false);
    return {
      shape,
      key,
      template,
      chars,
      ruleIdChars: ruleIdChars(shape, this.ids),
      count: 0,
      first: this.entries.length,
    };
  }

  /**
   * One more (or one fewer) record of a full shape, and the size terms in step. A shape used twice or more
   * is in the table (its chars once, a reference per record). A shape used once goes through its template:
   * when two or more such shapes share a template, the template is in the table and each record carries
   * its rule ids; a lone one is written inline (a 0, then the shape).
   */
  private count1(use: FullUse, by: 1 | -1): void {
    const t = use.template;
    this.drop(use);
    this.dropTemplate(t);
    if (use.count === 1) {
      t.singles--;
      t.singleChars -= use.chars;
      t.singleRuleIdChars -= use.ruleIdChars;
    }
    use.count += by;
    if (use.count === 1) {
      t.singles++;
      t.singleChars += use.chars;
      t.singleRuleIdChars += use.ruleIdChars;
    }
    this.take(use);
    this.takeTemplate(t);
  }

  private drop(u: FullUse): void {
    if (u.count < 2) return;
    this.shapeChars -= u.chars;
    this.tableSize--;
    this.references -= u.count;
  }

  private take(u: FullUse): void {
    if (u.count < 2) return;
    this.shapeChars += u.chars;
    this.tableSize++;
    this.references += u.count;
  }

  private dropTemplate(t: TemplateUse): void {
    if (t.singles === 1) this.shapeChars -= 1 + t.singleChars;
    if (t.singles < 2) return;
    this.shapeChars -= t.chars + t.singleRuleIdChars;
    this.tableSize--;
    this.references -= t.singles;
  }

  private takeTemplate(t: TemplateUse): void {
    if (t.singles === 1) this.shapeChars += 1 + t.singleChars;
    if (t.singles < 2) return;
    this.shapeChars += t.chars + t.singleRuleIdChars;
    this.tableSize++;
    this.references += t.singles;
  }

  finish(): string {
    const fulls = [...this.full.values()].filter((u) => u.count >= 2);
    const templates = [...this.templates.values()].filter((t) => t.singles >= 2);
    const table: { key: string; shape: Shape; template: boolean; uses: number; first: number }[] = [
      ...fulls.map((u) => ({
        key: `s${u.key}`,
        shape: u.shape,
        template: false,
        uses: u.count,
        first: u.first,
      })),
      ...templates.map((t) => {
        const sample = this.uses.find((u) => u.template === t && u.count === 1);
        if (!sample) throw new Error('template without a record');
        return { key: `t${t.key}`, shape: sample.shape, template: true, uses: t.singles, first: t.first };
      }),
    ].sort((a, b) => b.uses - a.uses || a.first - b.first);
    const number = new Map(table.map((e, i) => [e.key, i + 1]));
    const width = Math.max(this.width, offsetWidth(this.size));
    const blockCount = Math.ceil(this.entries.length / BLOCK_SIZE);
    const out = new CharWriter();
    for (const n of [2, this.entries.length, BLOCK_SIZE, blockCount, table.length, width]) out.uint(n);
    const headerEndAt = out.length;
    out.fixed(0, width);
    this.ids.writeTable(out);
    const indexAt = out.length;
    for (let i = 0; i < blockCount + table.length; i++) out.fixed(0, width);
    table.forEach((e, i) => {
      out.fixedAt(indexAt + (blockCount + i) * width, out.length, width);
      writeShape(out, e.shape, this.ids, e.template);
    });
    const headerEnd = out.length;
    out.fixedAt(headerEndAt, headerEnd, width);
    out.fixed(0, 3);
    for (let b = 0; b < blockCount; b++) {
      const start = out.length;
      out.fixedAt(indexAt + b * width, start, width);
      out.fixed(0, 2);
      for (let i = b * BLOCK_SIZE; i < Math.min(this.entries.length, (b + 1) * BLOCK_SIZE); i++) {
        const entry = this.entries[i];
        const use = this.uses[i];
        if (!entry || !use) throw new Error('part writer lost an entry');
        writeSku(out, i % BLOCK_SIZE === 0 ? '' : (this.entries[i - 1]?.sku ?? ''), entry.sku);
        const shared = number.get(`s${use.key}`);
        const template = shared === undefined ? number.get(`t${use.template.key}`) : undefined;
        out.uint(shared ?? template ?? 0);
        if (shared === undefined && template === undefined) writeShape(out, use.shape, this.ids, false);
        if (template !== undefined) for (const id of ruleIdsOf(use.shape)) this.ids.write(out, id);
        if (entry.listMinor !== null) out.uint(entry.listMinor);
        for (const u of explicitUnits(entry, use.shape)) out.int(u);
        if (entry.replacementSku !== null) writeRelated(out, entry.sku, entry.replacementSku);
      }
      out.fixedAt(start, out.checksum(start + 2, out.length, BLOCK_CHECKSUM_BITS), 2);
    }
    out.fixedAt(headerEnd, out.checksum(0, headerEnd, HEADER_CHECKSUM_BITS), 3);
    if (out.length > this.size)
      throw new Error(`part is ${out.length} chars, estimated at most ${this.size}`);
    return out.text();
  }
}
