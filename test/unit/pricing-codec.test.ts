import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CharReader, CharWriter, CorruptPart } from '../../src/domain/pricing/chars';
import { IndexPart, partOf } from '../../src/domain/pricing/codec';
import type { LadderStep } from '../../src/domain/pricing/engine';
import type { CatalogEntry } from '../../src/domain/pricing/evaluate';
import { PartWriter } from '../../src/domain/pricing/part-writer';

// The price index encoding (version 2) on arbitrary entries, not only the engine's: every field a
// CatalogEntry can hold, SKUs of every form the SKU coding distinguishes, parts cut at any budget.
const RUNS = { numRuns: 200 };

/** SKUs as catalogs write them (numbered, so increments apply), plus odd ones: empty, Unicode, long. */
const skuArb = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('AB-', 'AB-0', 'X', 'FAS-', ''),
      fc.integer({ min: 0, max: 1200 }),
      fc.constantFrom(3, 4, 6),
    )
    .map(([prefix, n, width]) => `${prefix}${String(n).padStart(width, '0')}`),
  fc.string({ unit: fc.constantFrom('A', 'B', '-', '0', '9', 'é', '😀', 'ß', '_'), maxLength: 8 }),
  fc.string({ unit: 'grapheme', maxLength: 70 }),
);

const ruleIdArb = fc.oneof(
  fc.integer({ min: 1, max: 9999 }).map((n) => `rule_acme_${n}`),
  fc.stringMatching(/^rule_[0-9a-z]{20}$/),
  fc.string({ maxLength: 12 }),
);

const amountArb = fc.oneof(fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 0, max: 5000 }));

const stepArb = fc.record({
  fromQuantity: fc.integer({ min: 1, max: 1_000_000 }),
  tierMinQuantity: fc.integer({ min: 1, max: 1_000_000 }),
  unitMinor: amountArb,
  sameAsList: fc.boolean(),
  ruleIds: fc.array(ruleIdArb, { maxLength: 3 }),
  hasBase: fc.boolean(),
});

const entryBody = fc.record({
  orderable: fc.boolean(),
  reason: fc.constantFrom(null, 'obsolete' as const, 'not_orderable' as const, 'no_price' as const),
  reasonRuleId: fc.option(ruleIdArb, { nil: null }),
  leadTimeDays: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 400 })),
  replacementSku: fc.option(skuArb, { nil: null }),
  listMinor: fc.option(amountArb, { nil: null, freq: 5 }),
  ladder: fc.array(stepArb, { maxLength: 4 }),
});

/** Entries with unique SKUs in JavaScript order, as the build hands them over; bodies often repeat. */
const entriesArb: fc.Arbitrary<CatalogEntry[]> = fc
  .tuple(fc.uniqueArray(skuArb, { maxLength: 120 }), fc.array(entryBody, { minLength: 1, maxLength: 6 }))
  .chain(([skus, bodies]) =>
    fc.array(fc.nat(bodies.length - 1), { minLength: skus.length, maxLength: skus.length }).map((picks) =>
      [...skus]
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
        .map((sku, i): CatalogEntry => {
          const body = bodies[picks[i] ?? 0] ?? bodies[0];
          if (!body) throw new Error('no body');
          const ladder = body.ladder.map(
            (s): LadderStep => ({
              fromQuantity: s.fromQuantity,
              unitMinor: s.sameAsList && body.listMinor !== null ? body.listMinor : s.unitMinor,
              listMinor: body.listMinor,
              ruleId: s.hasBase ? (s.ruleIds[0] ?? null) : null,
              ruleIds: s.ruleIds,
              tierMinQuantity: s.tierMinQuantity,
            }),
          );
          return { sku, ...body, ladder };
        }),
    ),
  );

/** Writes entries into parts of at most `budget` chars, as the build does; returns texts and first SKUs. */
function writeParts(entries: readonly CatalogEntry[], budget: number) {
  const texts: string[] = [];
  const firsts: string[] = [];
  const counts: number[] = [];
  let writer = new PartWriter(budget);
  const flush = () => {
    texts.push(writer.finish());
    firsts.push(writer.firstSku ?? '');
    counts.push(writer.count);
  };
  for (const entry of entries) {
    if (writer.tryAdd(entry)) continue;
    flush();
    writer = new PartWriter(budget);
    expect(writer.tryAdd(entry)).toBe(true);
  }
  flush();
  return { texts, firsts, counts };
}

describe('price index encoding 2', () => {
  it('every entry reads back exactly from the part its SKU falls in, and any other SKU is not there', () => {
    fc.assert(
      fc.property(
        entriesArb,
        fc.constantFrom(200, 700, 3000, 100_000),
        fc.array(skuArb),
        (entries, budget, probes) => {
          const { texts, firsts, counts } = writeParts(entries, budget);
          const parts = texts.map((t) => IndexPart.open(t));
          for (const entry of entries)
            expect(parts[partOf(firsts, entry.sku)]?.get(entry.sku)).toStrictEqual(entry);
          // asked again (now from the part's decoded entries): the same answer
          for (const entry of entries)
            expect(parts[partOf(firsts, entry.sku)]?.get(entry.sku)).toStrictEqual(entry);
          const present = new Set(entries.map((e) => e.sku));
          for (const sku of probes) {
            if (!present.has(sku)) expect(parts[partOf(firsts, sku)]?.get(sku)).toBeNull();
          }
          expect(parts.flatMap((p) => [...p.all()])).toStrictEqual(entries);
          expect(parts.map((p) => p.size)).toStrictEqual(counts);
        },
      ),
      RUNS,
    );
  });

  it('a part stays within its budget unless it holds a single product, and is 7-bit text', () => {
    fc.assert(
      fc.property(entriesArb, fc.integer({ min: 60, max: 4000 }), (entries, budget) => {
        const { texts, counts } = writeParts(entries, budget);
        texts.forEach((text, i) => {
          if ((counts[i] ?? 0) > 1) expect(text.length).toBeLessThanOrEqual(budget);
          expect([...text].every((c) => c.charCodeAt(0) < 128)).toBe(true);
        });
      }),
      RUNS,
    );
  });

  it('any single changed char is detected: opening or a lookup throws, never a wrong entry', () => {
    const changed = entriesArb
      .filter((entries) => entries.length > 0)
      .chain((entries) => {
        const text = writeParts(entries, 1_000_000).texts[0] ?? '';
        return fc.record({
          entries: fc.constant(entries),
          text: fc.constant(text),
          at: fc.nat(text.length - 1),
          to: fc.integer({ min: 0, max: 127 }),
        });
      })
      .filter(({ text, at, to }) => text.charCodeAt(at) !== to);
    fc.assert(
      fc.property(changed, ({ entries, text, at, to }) => {
        const corrupt = text.slice(0, at) + String.fromCharCode(to) + text.slice(at + 1);
        const readAll = () => {
          const part = IndexPart.open(corrupt);
          for (const entry of entries) part.get(entry.sku);
        };
        expect(readAll).toThrow(CorruptPart);
      }),
      { numRuns: 500 },
    );
  });

  it('an empty part opens and finds nothing', () => {
    const part = IndexPart.open(new PartWriter(16_000).finish());
    expect(part.size).toBe(0);
    expect(part.get('ANY')).toBeNull();
    expect([...part.all()]).toStrictEqual([]);
  });

  it('refuses entries out of SKU order', () => {
    const entry = (sku: string): CatalogEntry => ({
      sku,
      orderable: true,
      reason: null,
      reasonRuleId: null,
      leadTimeDays: 0,
      replacementSku: null,
      listMinor: 100,
      ladder: [],
    });
    const writer = new PartWriter(16_000);
    writer.tryAdd(entry('B'));
    expect(() => writer.tryAdd(entry('A'))).toThrow(/out of order/);
    expect(() => writer.tryAdd(entry('B'))).toThrow(/out of order/);
  });
});

describe('7-bit chars', () => {
  it('integers, fixed-width numbers and strings read back as written', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ uint: fc.maxSafeNat() }),
            fc.record({ int: fc.maxSafeInteger().filter((n) => Math.abs(n) < 2 ** 52) }),
            fc.record({ fixed: fc.integer({ min: 0, max: 128 ** 3 - 1 }) }),
            fc.record({ string: fc.string({ unit: 'binary', maxLength: 20 }) }),
          ),
        ),
        (values) => {
          const out = new CharWriter();
          for (const v of values) {
            if ('uint' in v) out.uint(v.uint);
            else if ('int' in v) out.int(v.int);
            else if ('fixed' in v) out.fixed(v.fixed, 3);
            else out.string(v.string);
          }
          const r = new CharReader(out.text());
          for (const v of values) {
            if ('uint' in v) expect(r.uint()).toBe(v.uint);
            else if ('int' in v) expect(r.int()).toBe(v.int);
            else if ('fixed' in v) expect(r.fixed(3)).toBe(v.fixed);
            else expect(r.string()).toBe(v.string);
          }
          expect(r.pos).toBe(out.length);
        },
      ),
      RUNS,
    );
  });
});
