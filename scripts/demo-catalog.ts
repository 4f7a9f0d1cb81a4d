import { HARDWARE } from './demo-tree-hardware';
import { SUPPLIES } from './demo-tree-supplies';

/** Parses the compact catalog of demo-tree-*.ts and plans which products a demo catalog holds. */
export interface TopCategory {
  name: string;
  skuPrefix: string;
  unspsc: string;
  /** the first pass of a family uses one of these; second sources (see PlannedProduct.pass) the others */
  brands: string[];
  /** sub category name → leaf lines (format in demo-tree-hardware.ts) */
  subs: Record<string, string[]>;
}

export interface CategorySpec {
  path: string;
  parentPath: string | null;
  name: string;
  depth: number;
}

export interface Dimension {
  key: string;
  values: string[];
}

export interface FamilySpec {
  family: string;
  top: TopCategory;
  subName: string;
  leafPath: string;
  noun: string;
  /** one value when the grade names the family, several when it is an option within it */
  grades: Dimension;
  sizes: Dimension;
  variants: Dimension | undefined;
  uom: string;
  packs: number[];
  /** distinct grade × size × variant × pack combinations */
  capacity: number;
}

export interface PlannedProduct {
  family: FamilySpec;
  grade: string;
  size: string;
  variant: string | undefined;
  pack: number;
  /** 0 for the family's own combinations; 1+ for second-source copies once the combinations run out */
  pass: number;
}

export interface Random {
  next: () => number;
  int: (min: number, max: number) => number;
  pick: <T>(items: readonly T[]) => T;
}

const TREE = [...HARDWARE, ...SUPPLIES];

export const slug = (name: string): string =>
  name
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** `1.0..13.0/0.1` → 1.0, 1.1, … 13.0 (decimals as in the step); `6..32/1 mm` → "6 mm" … "32 mm". */
function expand(value: string): string[] {
  const range = /^(\d+(?:\.\d+)?)\.\.(\d+(?:\.\d+)?)\/(\d+(?:\.(\d+))?)( .+)?$/.exec(value);
  if (!range) return [value];
  const [, from = '0', to = '0', step = '1', decimals = '', unit = ''] = range;
  const scale = 10 ** decimals.length;
  const out: string[] = [];
  // integer steps: adding 0.1 repeatedly drifts and would skip or repeat a size
  for (let k = Math.round(Number(from) * scale); k <= Math.round(Number(to) * scale); ) {
    out.push(`${(k / scale).toFixed(decimals.length)}${unit}`);
    k += Math.round(Number(step) * scale);
  }
  return out;
}

function parseList(text: string, defaultKey: string, separator: string): Dimension | undefined {
  if (text.trim() === '') return undefined;
  const eq = text.indexOf('=');
  const key = eq > 0 ? text.slice(0, eq) : defaultKey;
  return {
    key,
    values: text
      .slice(eq > 0 ? eq + 1 : 0)
      .split(separator)
      .flatMap(expand),
  };
}

function parseLeaf(spec: string) {
  const [leaf = '', familyBase = '', noun = '', gradeText = '', sizeText = '', variantText = '', unit = ''] =
    spec.split('|');
  const [uom = 'EA', packText] = unit.split(':');
  const optional = gradeText.startsWith('~');
  const grades = parseList(gradeText.replace(/^~/, ''), 'material', ';');
  const sizes = parseList(sizeText, 'size', ',');
  if (!leaf || !noun || !grades || !sizes) throw new Error(`bad leaf spec: ${spec}`);
  return {
    leaf,
    familyBase: familyBase || leaf,
    noun,
    // a grade that names the family becomes one family per grade
    gradeGroups: optional ? [grades] : grades.values.map((v) => ({ key: grades.key, values: [v] })),
    splitByGrade: !optional,
    sizes,
    variants: parseList(variantText, 'variant', ','),
    uom,
    packs: packText ? packText.split(',').map(Number) : [1],
  };
}

/** The three-level category tree and the product families, each family in exactly one leaf. */
export function catalogShape(): { categories: CategorySpec[]; families: FamilySpec[] } {
  const categories: CategorySpec[] = [];
  const families: FamilySpec[] = [];
  for (const top of TREE) {
    const topPath = slug(top.name);
    categories.push({ path: topPath, parentPath: null, name: top.name, depth: 1 });
    for (const [subName, leaves] of Object.entries(top.subs)) {
      const subPath = `${topPath}/${slug(subName)}`;
      categories.push({ path: subPath, parentPath: topPath, name: subName, depth: 2 });
      for (const spec of leaves) {
        const leaf = parseLeaf(spec);
        const leafPath = `${subPath}/${slug(leaf.leaf)}`;
        categories.push({ path: leafPath, parentPath: subPath, name: leaf.leaf, depth: 3 });
        for (const grades of leaf.gradeGroups) {
          const { sizes, variants, packs } = leaf;
          families.push({
            family: leaf.splitByGrade ? `${leaf.familyBase} ${grades.values[0]}` : leaf.familyBase,
            top,
            subName,
            leafPath,
            noun: leaf.noun,
            grades,
            sizes,
            variants,
            uom: leaf.uom,
            packs,
            capacity:
              grades.values.length * sizes.values.length * (variants?.values.length ?? 1) * packs.length,
          });
        }
      }
    }
  }
  return { categories, families };
}

/** Splits `total` in proportion to `weights` (largest remainder), so the parts add up exactly. */
function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  if (total <= 0 || sum === 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((s, p) => s + p, 0);
  const byRemainder = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of byRemainder) {
    if (left-- <= 0) break;
    parts[i] = (parts[i] ?? 0) + 1;
  }
  return parts;
}

/**
 * Products per family: two each when the total allows (so every family can show an obsolete item next
 * to its replacement), the rest in proportion to the family's combinations, as in a real catalog where
 * fasteners vastly outnumber grinders. Past the total capacity every family grows by second sources.
 */
function quotas(families: FamilySpec[], total: number): number[] {
  const each = Math.min(2, Math.floor(total / families.length));
  const base = families.map((f) => Math.min(each, f.capacity));
  const rest = total - base.reduce((s, q) => s + q, 0);
  const room = families.map((f, i) => f.capacity - (base[i] ?? 0));
  const roomTotal = room.reduce((s, r) => s + r, 0);
  const fill = apportion(Math.min(rest, roomTotal), room);
  const overflow = apportion(
    rest - roomTotal,
    families.map((f) => f.capacity),
  );
  return base.map((b, i) => b + (fill[i] ?? 0) + (overflow[i] ?? 0));
}

/** The products of a catalog of `total` items: a seeded sample of each family, in size order. */
export function planProducts(total: number, rnd: Random): PlannedProduct[] {
  const { families } = catalogShape();
  const counts = quotas(families, total);
  const planned: PlannedProduct[] = [];
  for (const [f, family] of families.entries()) {
    const quota = counts[f] ?? 0;
    const order = Array.from({ length: family.capacity }, (_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = rnd.int(0, i);
      [order[i], order[j]] = [order[j] ?? j, order[i] ?? i];
    }
    // whole passes take every combination; the last, partial one a seeded sample of them
    const passes = Math.floor(quota / family.capacity);
    const chosen = order.slice(0, quota % family.capacity).map((combo) => combo + passes * family.capacity);
    for (let pass = 0; pass < passes; pass++) {
      for (let combo = 0; combo < family.capacity; combo++) chosen.push(combo + pass * family.capacity);
    }
    // a second source sits next to the item it duplicates
    chosen.sort((a, b) => (a % family.capacity) - (b % family.capacity) || a - b);
    const { grades, sizes, variants, packs } = family;
    const variantCount = variants?.values.length ?? 1;
    for (const j of chosen) {
      // mixed radix: grade, then size, then variant, then pack, so SKUs follow a readable order
      let rest = j % family.capacity;
      const pack = packs[rest % packs.length] ?? 1;
      rest = Math.floor(rest / packs.length);
      const variant = variants?.values[rest % variantCount];
      rest = Math.floor(rest / variantCount);
      const size = sizes.values[rest % sizes.values.length] ?? '';
      const grade = grades.values[Math.floor(rest / sizes.values.length)] ?? '';
      planned.push({ family, grade, size, variant, pack, pass: Math.floor(j / family.capacity) });
    }
  }
  return planned;
}

/** "M8" + "x40" → "M8x40"; any other variant follows the size after a space. */
export const sizeAndVariant = (size: string, variant: string | undefined): string =>
  variant === undefined ? size : variant.startsWith('x') ? `${size}${variant}` : `${size} ${variant}`;

/** Numbers stay numbers in the attributes JSON ("x40" → 40), so filters can compare them. */
export const attributeValue = (raw: string): string | number => {
  const text = raw.startsWith('x') ? raw.slice(1) : raw;
  return /^\d+(\.\d+)?$/.test(text) ? Number(text) : text;
};
