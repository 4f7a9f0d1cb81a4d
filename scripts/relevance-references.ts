import { normaliseReference } from '../src/domain/quick-order/references';
import type { SearchDoc } from '../src/domain/search/types';
import type { RelevanceQuery } from './relevance-set';

/**
 * The reference queries of the relevance set: SKUs, makers' part numbers and Acme's own part numbers, each
 * written as buyers write them. Products are taken at fixed positions of the catalog (no engine, no random).
 */
const spread = <T>(items: T[], count: number, offset = 0): T[] =>
  Array.from(
    { length: count },
    (_, k) => items[Math.floor(((k + 0.5 + offset) * items.length) / count) % items.length],
  ).filter((x): x is T => x !== undefined);

/** digit runs anywhere in a product's text: a bare number query must not be one of them */
function numbersInText(docs: SearchDoc[]): Set<string> {
  const out = new Set<string>();
  for (const d of docs) {
    const text = [d.name, d.description, ...d.translations.map((t) => `${t.name} ${t.description}`)].join(
      ' ',
    );
    for (const run of text.match(/\d+/g) ?? []) out.add(String(Number(run)));
    if (d.manufacturerPartNumber) out.add(normaliseReference(d.manufacturerPartNumber).replace(/\D/g, ''));
  }
  return out;
}

const q = (query: string, sku: string, kind: string, note: string): RelevanceQuery => ({
  query,
  expected: [sku],
  kind,
  note,
});

export function referenceQueries(
  docs: SearchDoc[],
  acmePartNumbers: { partNumber: string; sku: string }[],
): RelevanceQuery[] {
  const active = docs.filter((d) => d.status === 'active');
  const out: RelevanceQuery[] = [];
  // one SKU of each top category (by its prefix), two more of the largest
  const byPrefix = new Map<string, SearchDoc[]>();
  for (const d of active) {
    const prefix = d.sku.slice(0, 3);
    const list = byPrefix.get(prefix);
    if (list) list.push(d);
    else byPrefix.set(prefix, [d]);
  }
  for (const list of byPrefix.values()) {
    for (const d of spread(list, list.length > 10_000 ? 3 : 1))
      out.push(q(d.sku, d.sku, 'sku', 'the SKU as printed'));
  }

  // formatted and partial: ABR-015287 → ABR015287, ABR15287, "abr 15287", "abr-15287", "15287"
  const taken = numbersInText(docs);
  const bare = active.filter((d) => {
    const n = String(Number(d.sku.split('-')[1]));
    return n.length >= 4 && !taken.has(n);
  });
  for (const d of spread(bare, 4, 0.25)) {
    const [prefix = '', digits = ''] = d.sku.split('-');
    const n = String(Number(digits));
    out.push(q(`${prefix}${digits}`, d.sku, 'sku_partial', 'without the dash'));
    out.push(q(`${prefix}${n}`, d.sku, 'sku_partial', 'without the dash and the leading zeros'));
    out.push(
      q(`${prefix.toLowerCase()} ${n}`, d.sku, 'sku_partial', 'lower case, a space, no leading zeros'),
    );
    out.push(q(`${prefix.toLowerCase()}-${n}`, d.sku, 'sku_partial', 'lower case, no leading zeros'));
    out.push(q(n, d.sku, 'sku_partial', 'the number alone: prefix and leading zeros left out'));
  }

  // makers' part numbers: one product per brand, as written, then reformatted
  const byBrand = new Map<string, SearchDoc[]>();
  for (const d of active) {
    if (!d.manufacturerPartNumber) continue;
    const list = byBrand.get(d.brand) ?? [];
    list.push(d);
    byBrand.set(d.brand, list);
  }
  const brands = [...byBrand.keys()].sort();
  const reformat = [
    (m: string) => m.toLowerCase().replace(/[\s\-./]+/g, ''),
    (m: string) => m.toLowerCase().replace(/[-./]+/g, ' '),
    (m: string) => m.replace(/(^|\D)0+(?=\d)/g, '$1'),
  ];
  const notes = ['lower case, no separators', 'separators written as spaces', 'leading zeros left out'];
  for (const [i, brand] of spread(brands, 12).entries()) {
    const list = byBrand.get(brand) ?? [];
    const [asWritten, other] = spread(list, 2, i / 12);
    if (asWritten?.manufacturerPartNumber)
      out.push(q(asWritten.manufacturerPartNumber, asWritten.sku, 'mpn', `${brand}'s reference as written`));
    const mpn = other?.manufacturerPartNumber;
    if (!other || !mpn) continue;
    let k = i % 3;
    // a reference without zeros to leave out is reformatted another way
    if (k === 2 && !/(^|\D)0+\d/.test(mpn)) k = 0;
    out.push(q(reformat[k]?.(mpn) ?? mpn, other.sku, 'mpn_formatted', `${brand}: ${notes[k]} (${mpn})`));
  }

  // Acme's own part numbers (the relevance test's view carries them)
  for (const [i, p] of spread(acmePartNumbers, 10).entries()) {
    const typed =
      i % 2 === 0
        ? p.partNumber
        : p.partNumber
            .toLowerCase()
            .replace(/[-/]+/g, ' ')
            .replace(/\b0+(?=\d)/g, '');
    out.push(
      q(
        typed,
        p.sku,
        'company_part_number',
        i % 2 === 0 ? `Acme's reference as written` : `Acme's ${p.partNumber}, typed loosely`,
      ),
    );
  }
  return out;
}
