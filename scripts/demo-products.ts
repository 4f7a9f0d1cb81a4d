import { attributeValue, type PlannedProduct, type Random, sizeAndVariant } from './demo-catalog';
import { manufacturerPartNumbers } from './demo-maker-references';

/** Product and stock rows for the planned catalog: names, descriptions, packs, stock, obsolete items. */
export type Row = Record<string, string | number | boolean | null>;

export const FIXED_TIME = Date.UTC(2026, 10, 1);
const WAREHOUSES = ['LYON-1', 'KOLN-1'];
const PACK_WORDS: Record<string, string> = { BOX: 'box of', PK: 'pack of' };
const ORIGINS = ['DE', 'FR', 'IT', 'CZ', 'PL', 'ES', 'TW'];
// hygiene and respiratory items carry the reduced VAT rate in the demo
const REDUCED_TAX_SUBS = new Set(['Respiratory', 'Hand care']);
// cheap items sold loose, where suppliers impose order multiples
const LOOSE_TOPS = new Set(['Fasteners', 'Plumbing', 'Electrical', 'Abrasives']);

// "Wood screw" → "wood screw", but "HSS twist drill" and "LED panel" keep their capitals
const lowerFirst = (text: string): string =>
  /^[A-Z][a-z]/.test(text) ? `${text.charAt(0).toLowerCase()}${text.slice(1)}` : text;

function packSuffix(uom: string, pack: number): string {
  if (pack <= 1) return '';
  if (uom === 'M') return `, ${pack} m reel`;
  return `, ${PACK_WORDS[uom] ?? 'pack of'} ${pack}`;
}

/** Litre and kilogram items are sold by the can or bag: the pack size is the container's content. */
function packSize(p: PlannedProduct): number {
  const content = /^(\d+) (L|kg)$/.exec(p.size);
  return (p.family.uom === 'L' || p.family.uom === 'KG') && content ? Number(content[1]) : p.pack;
}

export function productRows(planned: PlannedProduct[], rnd: Random): { products: Row[]; stock: Row[] } {
  const primary = new Map<PlannedProduct['family'], string>();
  for (const { family } of planned) {
    if (!primary.has(family)) primary.set(family, rnd.pick(family.top.brands));
  }
  const rows = planned.map((p, i) => {
    const { family: f } = p;
    const brands = f.top.brands;
    const main = primary.get(f) ?? brands[0] ?? 'Generic';
    // second sources (only once a family's combinations run out) carry the other brands, named in the title
    const brand = brands[(brands.indexOf(main) + p.pass) % brands.length] ?? main;
    const series = p.pass >= brands.length ? ` (series ${Math.floor(p.pass / brands.length) + 1})` : '';
    const item = `${f.noun} ${sizeAndVariant(p.size, p.variant)}`;
    const pack = packSuffix(f.uom, p.pack);
    const loose = p.pack === 1 && (f.uom === 'M' || (f.uom === 'EA' && LOOSE_TOPS.has(f.top.name)));
    const multiple = loose ? rnd.pick([1, 1, 1, 10, 25, 50, 100]) : 1;
    const description = [
      `${item}, ${p.grade}${pack}. From the ${f.family} range by ${brand}.`,
      `${brand} ${lowerFirst(item)} in ${p.grade}, for professional and industrial use.`,
      `${item} (${p.grade}) by ${brand}. ${p.pack > 1 ? `Sold as a ${pack.slice(2)}.` : `Sold per ${f.uom === 'M' ? 'metre' : 'unit'}.`}`,
    ][rnd.int(0, 2)];
    const attributes: Record<string, string | number> = {
      [f.grades.key]: p.grade,
      [f.sizes.key]: attributeValue(p.size),
    };
    if (f.variants && p.variant !== undefined) attributes[f.variants.key] = attributeValue(p.variant);
    attributes.origin = rnd.pick(ORIGINS);
    return {
      sku: `${f.top.skuPrefix}-${String(i + 1).padStart(6, '0')}`,
      name: `${item} ${p.grade}${pack}${p.pass > 0 ? ` – ${brand}${series}` : ''}`,
      description: description ?? item,
      family: f.family,
      category_path: f.leafPath,
      brand,
      attributes: JSON.stringify(attributes),
      unit_of_measure: f.uom,
      pack_size: packSize(p),
      min_order_qty: multiple,
      order_multiple: multiple,
      status: 'active',
      replacement_sku: null as string | null,
      manufacturer_part_number: null as string | null,
      unspsc: f.top.unspsc,
      tax_class: REDUCED_TAX_SUBS.has(f.subName) ? 'reduced' : 'standard',
      updated_at: FIXED_TIME,
    };
  });
  markObsolete(rows, planned, rnd);
  for (const [i, mpn] of manufacturerPartNumbers(planned, rows).entries()) {
    const row = rows[i];
    if (row) row.manufacturer_part_number = mpn;
  }

  const stock: Row[] = [];
  for (const [i, row] of rows.entries()) {
    const f = planned[i]?.family;
    const deep = f?.uom !== 'EA' || LOOSE_TOPS.has(f.top.name);
    for (const warehouse of WAREHOUSES) {
      // ~20% of rows know their next inbound: all out-of-stock rows and a few replenishing ones
      const onHand = rnd.next() < 0.12 ? 0 : Math.floor(Math.exp(rnd.next() * Math.log(deep ? 5000 : 80)));
      const inbound = onHand === 0 || rnd.next() < 0.09;
      const date = new Date(FIXED_TIME + rnd.int(2, 45) * 86_400_000).toISOString().slice(0, 10);
      stock.push({
        sku: row.sku,
        warehouse,
        on_hand: onHand,
        next_availability_date: inbound ? date : null,
        updated_at: FIXED_TIME,
      });
    }
  }
  return { products: rows, stock };
}

/** ~3% obsolete; each points at an active item of its family, preferably the same size. */
function markObsolete(
  rows: { sku: string; status: string; replacement_sku: string | null }[],
  planned: PlannedProduct[],
  rnd: Random,
): void {
  const byFamily = new Map<PlannedProduct['family'], number[]>();
  for (const [i, p] of planned.entries()) {
    const members = byFamily.get(p.family);
    if (members) members.push(i);
    else byFamily.set(p.family, [i]);
  }
  for (const members of byFamily.values()) {
    const obsolete = members.filter(() => rnd.next() < 0.03);
    const active = members.filter((i) => !obsolete.includes(i));
    // a family never goes wholly obsolete: something must be left to point at
    const kept = active.length === 0 ? obsolete.pop() : undefined;
    if (kept !== undefined) active.push(kept);
    for (const i of obsolete) {
      const p = planned[i];
      const sameSize = active.filter((j) => planned[j]?.size === p?.size);
      const pool = sameSize.length > 0 ? sameSize : active;
      const replacement = pool.find((j) => j > i) ?? pool.at(-1);
      const row = rows[i];
      const target = replacement === undefined ? undefined : rows[replacement];
      if (!row || !target) continue;
      row.status = 'obsolete';
      row.replacement_sku = target.sku;
    }
  }
}
