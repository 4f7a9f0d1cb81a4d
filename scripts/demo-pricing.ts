import { catalogShape, type FamilySpec, type Random } from './demo-catalog';
import { FIXED_TIME, type Row } from './demo-products';

/**
 * Demo contract pricing: list prices in EUR and GBP for every product, customer groups, contracts with
 * rules and Acme's assortment rules. Pure TypeScript (no Node imports), so tests in the workers pool can
 * import it too.
 *
 * The ids below are fixed. What the rules point at depends on the generated catalog: `demoPricingPicks`
 * derives those targets from the product rows alone (no random stream), so a test can recompute them from
 * the `products` table (sku, family, category_path, brand, status) and get what the seed used. Which SKUs
 * and families get discounts is drawn from the random stream; read them back from `price_rules`.
 */
export const DEMO_PRICING = {
  priceLists: { eur: 'pl_eur', gbp: 'pl_gbp' },
  groups: { construction: 'grp_construction', keyAccounts: 'grp_key_accounts' },
  contracts: { acme: 'ctr_acme', promoWinter: 'ctr_promo_winter', globex: 'ctr_globex' },
  promoWindow: { validFrom: Date.UTC(2026, 10, 1), validTo: Date.UTC(2027, 2, 1) },
  gbpPerEur: 0.86,
} as const;

export interface DemoPricingPicks {
  /** second-level category hidden from Acme (assortment exclude) */
  excludedCategory: string | null;
  /** family Acme sees but cannot order */
  notOrderableFamily: string | null;
  /** top-level category with 5 extra days of lead time for Acme */
  leadTimeCategory: string | null;
  /** Acme contract: 300 bp on this brand */
  discountBrand: string | null;
  /** Acme contract: 700 bp on this second-level category */
  discountCategory: string | null;
  /** winter promotion: 1000 bp on this top-level category */
  promoCategory: string | null;
  /** winter promotion: 1500 bp on this family (in another top-level category) */
  promoFamily: string | null;
}

// Per-unit EUR price ranges (per piece, metre, litre or kilogram), by category path; the deepest match wins.
// biome-ignore format: one range per line reads as a table
const UNIT_EUR: Record<string, [lo: number, hi: number]> = {
  'fasteners/screws': [0.02, 0.5],
  'fasteners/bolts': [0.06, 2.5],
  'fasteners/bolts/threaded-rods': [1.2, 45],
  'fasteners/bolts/eye-bolts': [2.5, 45],
  'fasteners/nuts-and-washers': [0.01, 0.8],
  'fasteners/anchors-and-rivets': [0.02, 1.2],
  'fasteners/anchors-and-rivets/chemical-anchors': [1.5, 9],
  'hand-tools/wrenches-and-sockets': [6, 90],
  'hand-tools/wrenches-and-sockets/socket-sets': [25, 420],
  'hand-tools/wrenches-and-sockets/torque-wrenches': [80, 650],
  'hand-tools/screwdrivers-and-bits': [4, 35],
  'hand-tools/screwdrivers-and-bits/bit-sets': [12, 90],
  'hand-tools/pliers-and-cutters': [12, 65],
  'hand-tools/measuring-and-marking': [6, 120],
  'hand-tools/measuring-and-marking/calipers': [25, 180],
  'hand-tools/measuring-and-marking/marking-pens': [2, 4],
  'power-tools/drills-and-drivers': [70, 520],
  'power-tools/grinders-and-sanders': [55, 420],
  'power-tools/saws': [90, 560],
  'power-tools/drill-bits-and-blades': [3, 35],
  'power-tools/drill-bits-and-blades/hss-drill-bits': [0.8, 12],
  'power-tools/drill-bits-and-blades/hole-saws': [8, 60],
  'power-tools/drill-bits-and-blades/jigsaw-blades': [0.8, 3],
  'power-tools/batteries-and-chargers': [45, 220],
  'abrasives/bonded-discs': [0.8, 7],
  'abrasives/coated-abrasives': [0.3, 3],
  'abrasives/coated-abrasives/sanding-rolls': [25, 90],
  'abrasives/coated-abrasives/sanding-belts': [1.5, 6],
  'abrasives/non-woven': [0.8, 6],
  'abrasives/non-woven/non-woven-rolls': [25, 70],
  'abrasives/wire-brushes': [4, 25],
  'safety-and-ppe/hand-protection': [2.5, 14],
  'safety-and-ppe/hand-protection/disposable-gloves': [0.04, 0.18],
  'safety-and-ppe/eye-and-face': [4, 35],
  'safety-and-ppe/head-and-hearing': [5, 45],
  'safety-and-ppe/head-and-hearing/ear-plugs': [0.12, 0.4],
  'safety-and-ppe/respiratory': [5, 45],
  'safety-and-ppe/respiratory/disposable-masks': [0.6, 4],
  'safety-and-ppe/footwear-and-workwear': [35, 160],
  'safety-and-ppe/footwear-and-workwear/hi-vis-vests': [2.5, 8],
  'electrical/cables': [0.35, 14],
  'electrical/connectors-and-terminals': [0.02, 4],
  'electrical/connectors-and-terminals/ferrules': [0.01, 0.05],
  'electrical/cable-management': [0.4, 6],
  'electrical/cable-management/cable-ties': [0.01, 0.25],
  'electrical/cable-management/cable-trunking': [4, 35],
  'electrical/lighting': [8, 160],
  'electrical/lighting/led-tubes': [4, 12],
  'plumbing/fittings': [1.5, 45],
  'plumbing/valves': [6, 320],
  'plumbing/pipes-and-hoses': [3, 40],
  'plumbing/pipes-and-hoses/multilayer-pipe': [60, 600],
  'plumbing/pipes-and-hoses/copper-pipe': [3, 35],
  'plumbing/pipes-and-hoses/hoses': [40, 260],
  'plumbing/seals-and-tapes': [0.04, 0.8],
  'plumbing/seals-and-tapes/ptfe-tape': [0.6, 3],
  'adhesives-and-sealants/sealants': [4, 18],
  'adhesives-and-sealants/adhesives': [3, 60],
  'adhesives-and-sealants/threadlockers-and-retainers': [8, 90],
  'adhesives-and-sealants/foams-and-tapes': [1.5, 15],
  'material-handling/storage': [2, 15],
  'material-handling/storage/shelving-units': [80, 320],
  'material-handling/storage/drawer-cabinets': [250, 1400],
  'material-handling/lifting-and-lashing': [6, 140],
  'material-handling/lifting-and-lashing/chain-hoists': [120, 650],
  'material-handling/transport': [60, 650],
  'material-handling/packaging': [0.4, 3],
  'material-handling/packaging/stretch-film': [6, 14],
  'cleaning-and-hygiene/wipers-and-paper': [0.1, 1.5],
  'cleaning-and-hygiene/wipers-and-paper/industrial-paper-rolls': [12, 45],
  'cleaning-and-hygiene/wipers-and-paper/hand-towels': [0.006, 0.015],
  'cleaning-and-hygiene/chemicals': [2, 12],
  'cleaning-and-hygiene/chemicals/disinfectants': [4, 40],
  'cleaning-and-hygiene/hand-care': [3, 60],
  'cleaning-and-hygiene/spill-control-and-waste': [0.08, 0.8],
  'cleaning-and-hygiene/spill-control-and-waste/absorbent-pads': [0.4, 1.8],
  'cleaning-and-hygiene/spill-control-and-waste/absorbent-granules': [0.8, 3],
};

// Counts for the reference catalog of 20,000 products; they scale with the product count.
const REFERENCE_PRODUCTS = 20_000;
const ACME_FAMILY_DISCOUNTS = 20;
const ACME_NET_PRICES = 2_000;
const ACME_TIERED = 500;
const GLOBEX_NET_PRICES = 8_000;

const str = (row: Row, key: string): string => String(row[key] ?? '');
const topOf = (path: string): string => path.split('/')[0] ?? path;
const subOf = (path: string): string => path.split('/').slice(0, 2).join('/');
const less = (amount: number, bp: number): number =>
  Math.max(1, Math.round((amount * (10_000 - bp)) / 10_000));

function countBy(products: Row[], key: (row: Row) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of products) counts.set(key(row), (counts.get(key(row)) ?? 0) + 1);
  return counts;
}

/** Entries sorted by how close their count is to `target`, ties by name: a stable, seed-free choice. */
const closestTo = (counts: Map<string, number>, target: number): string[] =>
  [...counts]
    .sort((a, b) => Math.abs(a[1] - target) - Math.abs(b[1] - target) || (a[0] < b[0] ? -1 : 1))
    .map(([name]) => name);

/** Entries by count, largest first, ties by name. */
const largest = (counts: Map<string, number>): string[] =>
  [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([name]) => name);

/** The first preferred value that exists, else the first of the fallbacks. */
const prefer = (preferred: string[], available: string[]): string | null =>
  preferred.find((p) => available.includes(p)) ?? available[0] ?? null;

/**
 * The catalog-dependent targets of the demo rules: a pure function of the product rows (no random stream),
 * so tests can recompute them from the `products` table. Every pick exists in the given products.
 */
export function demoPricingPicks(products: Row[]): DemoPricingPicks {
  const n = products.length;
  const tops = [...countBy(products, (r) => topOf(str(r, 'category_path'))).keys()].sort();
  const subs = countBy(products, (r) => subOf(str(r, 'category_path')));
  const families = countBy(products, (r) => str(r, 'family'));
  const familyPath = new Map(products.map((r) => [str(r, 'family'), str(r, 'category_path')]));

  // the largest safety family: a blocked order is easy to run into
  const notOrderableFamily =
    largest(new Map([...families].filter(([f]) => topOf(familyPath.get(f) ?? '') === 'safety-and-ppe')))[0] ??
    largest(families)[0] ??
    null;
  const safetyTop = notOrderableFamily ? topOf(familyPath.get(notOrderableFamily) ?? '') : null;
  const leadTimeCategory = prefer(
    ['material-handling'],
    tops.filter((t) => t !== safetyTop),
  );
  const promoCategory = prefer(
    ['power-tools'],
    tops.filter((t) => t !== safetyTop && t !== leadTimeCategory),
  );
  const taken = new Set([safetyTop, leadTimeCategory, promoCategory]);
  // a category of about 2 % of the catalog: noticeable in search, small enough not to gut the demo
  const excludedCategory =
    closestTo(new Map([...subs].filter(([s]) => !taken.has(topOf(s)))), n * 0.02)[0] ?? null;
  const discountCategory =
    closestTo(
      new Map([...subs].filter(([s]) => !taken.has(topOf(s)) && topOf(s) !== topOf(excludedCategory ?? ''))),
      n * 0.04,
    )[0] ?? null;
  const promoFamily =
    closestTo(
      new Map(
        [...families].filter(([f]) => {
          const top = topOf(familyPath.get(f) ?? '');
          return top === leadTimeCategory || top === safetyTop;
        }),
      ),
      n * 0.005,
    ).find((f) => f !== notOrderableFamily) ?? null;
  const brands = countBy(
    products.filter((r) => !taken.has(topOf(str(r, 'category_path')))),
    (r) => str(r, 'brand'),
  );
  const discountBrand = closestTo(brands, n * 0.03)[0] ?? null;
  return {
    excludedCategory,
    notOrderableFamily,
    leadTimeCategory,
    discountBrand,
    discountCategory,
    promoCategory,
    promoFamily,
  };
}

/** Where a product sits in its family's size (and variant) range, 0 … 1, from its attributes. */
function sizeRank(row: Row, family: FamilySpec | undefined): number {
  if (!family) return 0.5;
  let attributes: Record<string, unknown>;
  try {
    attributes = JSON.parse(str(row, 'attributes')) as Record<string, unknown>;
  } catch {
    return 0.5;
  }
  const rank = (values: string[], value: unknown): number | null => {
    if (values.length < 2) return null;
    const i = values.findIndex((v) => v === String(value) || v === `x${String(value)}`);
    if (i >= 0) return i / (values.length - 1);
    const j = values.findIndex((v) => Number.parseFloat(v) === value);
    return j >= 0 ? j / (values.length - 1) : null;
  };
  const size = rank(family.sizes.values, attributes[family.sizes.key]);
  const variant = family.variants ? rank(family.variants.values, attributes[family.variants.key]) : null;
  if (size === null) return variant ?? 0.5;
  return variant === null ? size : 0.7 * size + 0.3 * variant;
}

/** Shop-like prices: cents below 10 EUR, 5 cents below 100 EUR, then whole euros less 10 cents. */
function roundPrice(minor: number): number {
  if (minor < 1_000) return Math.max(1, Math.round(minor));
  if (minor < 10_000) return Math.round(minor / 5) * 5;
  return Math.round(minor / 100) * 100 - 10;
}

/** A plausible EUR list price in minor units: unit range of the category, position in the family, pack. */
function listPrices(products: Row[], rnd: Random): number[] {
  const { categories, families } = catalogShape();
  const paths = new Set(categories.map((c) => c.path));
  for (const key of Object.keys(UNIT_EUR)) {
    if (!paths.has(key)) throw new Error(`demo-pricing: unknown category ${key}`);
  }
  const familySpec = new Map(families.map((f) => [f.family, f]));
  // a family sits somewhere in its category's range: a premium range costs more across its sizes
  const familyLevel = new Map<string, number>();
  return products.map((row) => {
    const path = str(row, 'category_path');
    const family = str(row, 'family');
    const segments = path.split('/');
    const range =
      UNIT_EUR[segments.join('/')] ?? UNIT_EUR[segments.slice(0, 2).join('/')] ?? ([1, 50] as const);
    let level = familyLevel.get(family);
    if (level === undefined) {
      level = rnd.next();
      familyLevel.set(family, level);
    }
    const position = Math.min(
      1,
      Math.max(0, 0.35 * level + 0.55 * sizeRank(row, familySpec.get(family)) + 0.1 * rnd.next()),
    );
    const [lo, hi] = range;
    const unitEur = lo * (hi / lo) ** position;
    const pack = Math.max(1, Number(row.pack_size ?? 1));
    // bigger packs and reels cost a little less per unit
    const eur = unitEur * pack * pack ** -0.05;
    return roundPrice(eur * 100);
  });
}

/** k distinct items, drawn with the random stream (partial Fisher–Yates), in draw order. */
function sample<T>(items: readonly T[], k: number, rnd: Random): T[] {
  const pool = [...items];
  const take = Math.min(k, pool.length);
  for (let i = 0; i < take; i++) {
    const j = rnd.int(i, pool.length - 1);
    [pool[i], pool[j]] = [pool[j] as T, pool[i] as T];
  }
  return pool.slice(0, take);
}

/**
 * The pricing tables, parents before children. Deterministic for the given products and random stream;
 * pass a stream of its own (demo-data.ts uses `mulberry32(seed ^ 0x2545f491)`) so the other demo rows do
 * not move.
 */
export function pricingRows(products: Row[], rnd: Random): [table: string, rows: Row[]][] {
  const { priceLists, groups, contracts, promoWindow, gbpPerEur } = DEMO_PRICING;
  const picks = demoPricingPicks(products);
  const scale = products.length / REFERENCE_PRODUCTS;
  const scaled = (reference: number, min: number) => Math.max(min, Math.round(reference * scale));
  const stamps = { created_at: FIXED_TIME, updated_at: FIXED_TIME };

  const eur = listPrices(products, rnd);
  const listEur = new Map(products.map((r, i) => [str(r, 'sku'), eur[i] ?? 1]));
  const listPriceRows: Row[] = [];
  for (const [i, row] of products.entries()) {
    listPriceRows.push({
      price_list_id: priceLists.eur,
      sku: str(row, 'sku'),
      amount_minor: eur[i] ?? 1,
      updated_at: FIXED_TIME,
    });
  }
  for (const [i, row] of products.entries()) {
    listPriceRows.push({
      price_list_id: priceLists.gbp,
      sku: str(row, 'sku'),
      amount_minor: Math.max(1, Math.round((eur[i] ?? 1) * gbpPerEur)),
      updated_at: FIXED_TIME,
    });
  }

  const contractRow = (
    id: string,
    name: string,
    owner: { company_id: string | null; group_id: string | null },
    combination: 'best_price' | 'stackable',
    priority: number,
    window: { validFrom: number; validTo: number } | null,
  ): Row => ({
    id,
    name,
    currency: 'EUR',
    ...owner,
    combination,
    priority,
    valid_from: window?.validFrom ?? null,
    valid_to: window?.validTo ?? null,
    status: 'active',
    ...stamps,
  });
  const contractRows: Row[] = [
    contractRow(
      contracts.acme,
      'Acme Industrie framework 2026',
      { company_id: 'co_acme', group_id: null },
      'best_price',
      0,
      null,
    ),
    contractRow(
      contracts.promoWinter,
      'Winter promotion — construction trade',
      { company_id: null, group_id: groups.construction },
      'stackable',
      10,
      promoWindow,
    ),
    contractRow(
      contracts.globex,
      'Globex Manufacturing contract',
      { company_id: 'co_globex', group_id: null },
      'best_price',
      0,
      null,
    ),
  ];

  const rules: Row[] = [];
  const counters = new Map<string, number>();
  const rule = (
    contractId: string,
    prefix: string,
    r: {
      targetType: 'sku' | 'family' | 'category' | 'brand';
      target: string;
      kind: 'net_price' | 'discount';
      amountMinor?: number;
      discountBp?: number;
      minQuantity?: number;
      label: string;
    },
  ) => {
    const n = (counters.get(prefix) ?? 0) + 1;
    counters.set(prefix, n);
    rules.push({
      id: `${prefix}_${n}`,
      contract_id: contractId,
      target_type: r.targetType,
      target: r.target,
      kind: r.kind,
      amount_minor: r.amountMinor ?? null,
      discount_bp: r.discountBp ?? null,
      min_quantity: r.minQuantity ?? 1,
      priority: 0,
      valid_from: null,
      valid_to: null,
      label: r.label,
      ...stamps,
    });
  };

  // Acme: the broad rules first, then SKU rules only on products no broad rule covers, so a SKU rule
  // (more specific, hence winning inside the contract) never makes an item dearer than its family deal
  const familyPath = new Map(products.map((r) => [str(r, 'family'), str(r, 'category_path')]));
  const hidden = (path: string) =>
    picks.excludedCategory !== null &&
    (path === picks.excludedCategory || path.startsWith(`${picks.excludedCategory}/`));
  const inCategory = (path: string, category: string | null) =>
    category !== null && (path === category || path.startsWith(`${category}/`));
  const familyCandidates = [...familyPath]
    .filter(
      ([family, path]) =>
        family !== picks.notOrderableFamily && !hidden(path) && !inCategory(path, picks.discountCategory),
    )
    .map(([family]) => family);
  const discountedFamilies = new Set(
    sample(
      familyCandidates,
      Math.min(scaled(ACME_FAMILY_DISCOUNTS, 3), Math.ceil(familyCandidates.length / 4)),
      rnd,
    ),
  );
  for (const family of discountedFamilies) {
    const bp = rnd.int(5, 20) * 100;
    rule(contracts.acme, 'rule_acme', {
      targetType: 'family',
      target: family,
      kind: 'discount',
      discountBp: bp,
      label: `Family discount ${bp / 100} %`,
    });
  }
  if (picks.discountBrand) {
    rule(contracts.acme, 'rule_acme', {
      targetType: 'brand',
      target: picks.discountBrand,
      kind: 'discount',
      discountBp: 300,
      label: `Brand discount ${picks.discountBrand}`,
    });
  }
  if (picks.discountCategory) {
    rule(contracts.acme, 'rule_acme', {
      targetType: 'category',
      target: picks.discountCategory,
      kind: 'discount',
      discountBp: 700,
      label: 'Category discount 7 %',
    });
  }
  const uncovered = products.filter((r) => {
    const path = str(r, 'category_path');
    return (
      str(r, 'status') === 'active' &&
      !hidden(path) &&
      !inCategory(path, picks.discountCategory) &&
      str(r, 'family') !== picks.notOrderableFamily &&
      !discountedFamilies.has(str(r, 'family')) &&
      str(r, 'brand') !== picks.discountBrand
    );
  });
  const skuPicks = sample(
    uncovered.map((r) => str(r, 'sku')),
    scaled(ACME_NET_PRICES, 5) + scaled(ACME_TIERED, 5),
    rnd,
  );
  // tiers need room between the list price and 1 minor unit: tier the dearer items only
  const tierable = skuPicks.filter((sku) => (listEur.get(sku) ?? 0) >= 200);
  const tiered = new Set(tierable.slice(0, scaled(ACME_TIERED, 5)));
  const netPriced = skuPicks.filter((sku) => !tiered.has(sku)).slice(0, scaled(ACME_NET_PRICES, 5));
  for (const sku of netPriced) {
    const list = listEur.get(sku) ?? 1;
    rule(contracts.acme, 'rule_acme', {
      targetType: 'sku',
      target: sku,
      kind: 'net_price',
      amountMinor: less(list, rnd.int(800, 2500)),
      label: 'Contract net price',
    });
  }
  // about a fifth of the tiered SKUs get net-price tiers (from 1, 10, 100), the rest discount tiers
  for (const [i, sku] of [...tiered].entries()) {
    const list = listEur.get(sku) ?? 1;
    if (i % 5 === 4) {
      const one = Math.min(list - 1, less(list, rnd.int(200, 500)));
      const ten = Math.min(one - 1, less(list, rnd.int(600, 900)));
      const hundred = Math.max(1, Math.min(ten - 1, less(list, rnd.int(1300, 1800))));
      for (const [minQuantity, amountMinor] of [
        [1, one],
        [10, ten],
        [100, hundred],
      ] as const) {
        rule(contracts.acme, 'rule_acme', {
          targetType: 'sku',
          target: sku,
          kind: 'net_price',
          amountMinor,
          minQuantity,
          label: `Net price from ${minQuantity}`,
        });
      }
    } else {
      for (const [minQuantity, discountBp] of [
        [10, 500],
        [100, 1200],
      ] as const) {
        rule(contracts.acme, 'rule_acme', {
          targetType: 'sku',
          target: sku,
          kind: 'discount',
          discountBp,
          minQuantity,
          label: `Quantity discount from ${minQuantity}`,
        });
      }
    }
  }

  // the winter promotion stacks on whatever Acme's contract gives
  if (picks.promoCategory) {
    rule(contracts.promoWinter, 'rule_promo_winter', {
      targetType: 'category',
      target: picks.promoCategory,
      kind: 'discount',
      discountBp: 1000,
      label: 'Winter promotion 10 %',
    });
  }
  if (picks.promoFamily) {
    rule(contracts.promoWinter, 'rule_promo_winter', {
      targetType: 'family',
      target: picks.promoFamily,
      kind: 'discount',
      discountBp: 1500,
      label: 'Winter promotion 15 %',
    });
  }

  const globexSkus = sample(
    products.filter((r) => str(r, 'status') === 'active').map((r) => str(r, 'sku')),
    scaled(GLOBEX_NET_PRICES, 5),
    rnd,
  );
  for (const sku of globexSkus) {
    rule(contracts.globex, 'rule_globex', {
      targetType: 'sku',
      target: sku,
      kind: 'net_price',
      amountMinor: less(listEur.get(sku) ?? 1, rnd.int(300, 1500)),
      label: 'Contract net price',
    });
  }

  const assortment: Row[] = [];
  const assortmentRule = (
    effect: 'exclude' | 'not_orderable' | 'lead_time',
    targetType: 'family' | 'category',
    target: string,
    leadTimeDays: number | null,
    note: string,
  ) =>
    assortment.push({
      id: `asr_acme_${assortment.length + 1}`,
      scope_type: 'company',
      company_id: 'co_acme',
      group_id: null,
      region: null,
      effect,
      target_type: targetType,
      target,
      lead_time_days: leadTimeDays,
      note,
      ...stamps,
    });
  if (picks.excludedCategory) {
    assortmentRule(
      'exclude',
      'category',
      picks.excludedCategory,
      null,
      'Bought from another supplier under a group-wide agreement',
    );
  }
  if (picks.notOrderableFamily) {
    assortmentRule(
      'not_orderable',
      'family',
      picks.notOrderableFamily,
      null,
      'Sold through the safety catalogue only',
    );
  }
  if (picks.leadTimeCategory) {
    assortmentRule(
      'lead_time',
      'category',
      picks.leadTimeCategory,
      5,
      'Delivered to Villeurbanne by freight: 5 more days',
    );
  }

  return [
    [
      'price_lists',
      [
        { id: priceLists.eur, name: 'List prices EUR', currency: 'EUR', is_default: true, status: 'active' },
        { id: priceLists.gbp, name: 'List prices GBP', currency: 'GBP', is_default: true, status: 'active' },
      ].map((r) => ({ ...r, ...stamps })),
    ],
    ['list_prices', listPriceRows],
    [
      'customer_groups',
      [
        { id: groups.construction, name: 'Construction trade', ...stamps },
        { id: groups.keyAccounts, name: 'Key accounts', ...stamps },
      ],
    ],
    [
      'customer_group_members',
      [
        { group_id: groups.construction, company_id: 'co_acme' },
        { group_id: groups.keyAccounts, company_id: 'co_globex' },
      ],
    ],
    ['contracts', contractRows],
    ['cart_offers', offerRows(products, picks)],
    ['price_rules', rules],
    ['assortment_rules', assortment],
  ];
}

/** Demo cart offers (docs/offers.md): fixed ids, the buy-X-get-Y family derived from the product rows. */
export const DEMO_OFFERS = {
  spendThreshold: 'off_spend_1000',
  constructionBuy10: 'off_construction_b10g1',
} as const;

/** The family of the demo buy-10-get-1 offer: the largest one Acme can see and order (ties by name). */
export function demoOfferFamily(
  products: Row[],
  picks: DemoPricingPicks = demoPricingPicks(products),
): string | null {
  const visible = products.filter((r) => {
    const path = str(r, 'category_path');
    const hidden =
      picks.excludedCategory !== null &&
      (path === picks.excludedCategory || path.startsWith(`${picks.excludedCategory}/`));
    return !hidden && str(r, 'family') !== picks.notOrderableFamily;
  });
  const families = countBy(visible, (r) => str(r, 'family'));
  return largest(families)[0] ?? null;
}

function offerRows(products: Row[], picks: DemoPricingPicks): Row[] {
  const offer = (id: string, name: string, kind: 'spend_threshold' | 'buy_x_get_y', row: Row): Row => ({
    id,
    name,
    kind,
    description: '',
    company_id: null,
    group_id: null,
    currency: 'EUR',
    threshold_minor: null,
    discount_bp: null,
    target_type: null,
    target: null,
    buy_quantity: null,
    free_quantity: null,
    max_applications: null,
    priority: 0,
    combinable: true,
    valid_from: null,
    valid_to: null,
    status: 'active',
    created_at: FIXED_TIME,
    updated_at: FIXED_TIME,
    ...row,
  });
  const rows = [
    offer(DEMO_OFFERS.spendThreshold, '5 % off orders over 1,000 EUR', 'spend_threshold', {
      description: 'Orders of 1,000.00 EUR or more get 5 % off the whole cart.',
      threshold_minor: 100_000,
      discount_bp: 500,
    }),
  ];
  const family = demoOfferFamily(products, picks);
  if (family) {
    rows.push(
      offer(DEMO_OFFERS.constructionBuy10, `${family}: buy 10, get 1 free`, 'buy_x_get_y', {
        description: `Construction trade: for every 10 ${family} you buy, the next one is free.`,
        group_id: DEMO_PRICING.groups.construction,
        target_type: 'family',
        target: family,
        buy_quantity: 10,
        free_quantity: 1,
        priority: 10,
      }),
    );
  }
  return rows;
}
