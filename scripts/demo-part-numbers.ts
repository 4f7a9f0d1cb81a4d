import { normaliseReference } from '../src/domain/quick-order/references';
import { hashOf, pad } from './demo-maker-references';
import { demoPricingPicks } from './demo-pricing';
import { FIXED_TIME, type Row } from './demo-products';

const ACME_WORDS: Record<string, string> = {
  'fasteners/screws': 'VIS',
  'fasteners/bolts': 'BOUL',
  'fasteners/nuts-and-washers': 'ECR',
  'fasteners/anchors-and-rivets': 'CHEV',
  'hand-tools': 'OUT',
  'power-tools': 'ELP',
  abrasives: 'ABRA',
  'safety-and-ppe': 'EPI',
  electrical: 'ELEC',
  plumbing: 'PLB',
  'adhesives-and-sealants': 'COL',
  'material-handling': 'MAN',
  'cleaning-and-hygiene': 'NET',
};

const wordFor = (path: string): string =>
  ACME_WORDS[path.split('/').slice(0, 2).join('/')] ?? ACME_WORDS[path.split('/')[0] ?? ''] ?? 'ART';

/**
 * Acme's own part numbers (`company_part_numbers`) for about 150 products of its assortment, as a buyer's
 * ERP writes them: "ACME-VIS-00123" (its item master), or a short description ("FX-BOLT/M8x40") for items
 * ordered from a maker's catalog page. Active products only, none in the category hidden from Acme.
 */
export function companyPartNumberRows(products: Row[]): Row[] {
  const { excludedCategory } = demoPricingPicks(products);
  const visible = products.filter((r) => {
    const path = String(r.category_path);
    const hidden =
      excludedCategory !== null && (path === excludedCategory || path.startsWith(`${excludedCategory}/`));
    return !hidden && r.status === 'active';
  });
  // spread over the whole catalog (every top category), not the first 150 fasteners
  const step = visible.length / 160;
  const rows: Row[] = [];
  const keys = new Set<string>();
  for (let k = 0; k < 160 && rows.length < 150; k++) {
    const r = visible[Math.floor(k * step)];
    if (!r) continue;
    const sku = String(r.sku);
    const number = 100 + rows.length * 7 + (hashOf(sku) % 7);
    const name = String(r.name);
    const size = /\b(M?\d+(?:\.\d+)?x\d+(?:\.\d+)?)\b/.exec(name)?.[1];
    const brand = String(r.brand).slice(0, 2).toUpperCase();
    const noun = (String(r.family).split(' ')[0] ?? 'ART').toUpperCase().replace(/[^A-Z]/g, '');
    const partNumber =
      size && rows.length % 3 === 2
        ? `${brand}-${noun}/${size}`
        : `ACME-${wordFor(String(r.category_path))}-${pad(number, 5)}`;
    const key = normaliseReference(partNumber);
    if (keys.has(key)) continue;
    keys.add(key);
    rows.push({
      id: `cpn_acme_${pad(rows.length + 1, 3)}`,
      company_id: 'co_acme',
      part_number: partNumber,
      part_key: key,
      sku,
      description: name,
      preferred_quantity: null,
      pack_quantity: 1,
      created_by: 'usr_acme_admin',
      created_at: FIXED_TIME,
      updated_at: FIXED_TIME,
    });
  }
  return rows;
}
