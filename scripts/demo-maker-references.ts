import { normaliseReference } from '../src/domain/quick-order/references';
import type { PlannedProduct } from './demo-catalog';
import type { Row } from './demo-products';

/**
 * The makers' part numbers of the demo catalog, each brand in its own format, without the random stream (so
 * adding them left every other row of a seed as it was). Acme's own part numbers: demo-part-numbers.ts.
 */

export const pad = (value: number | string, width: number) => String(value).padStart(width, '0');
/** FNV-1a: a stable pseudo-random number per string */
export function hashOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

interface Parts {
  /** the standard's number (DIN 933 → 933) or the family's number in the brand's range */
  code: number;
  /** the numbers of the size ("M8x40" → 8, 40; "3.5x20" → 35, 20) */
  dims: string[];
  /** the grade as makers abbreviate it ("A2 stainless" → A2S, "8.8 zinc" → 88Z) */
  grade: string;
  pack: number;
  /** the product's number in the brand's own sequence */
  seq: number;
}

const d = (p: Parts, i: number, width: number) => pad(p.dims[i] ?? '0', width);
const packTail = (p: Parts, sep: string) => (p.pack > 1 ? `${sep}${p.pack}` : '');

// biome-ignore format: one brand per line reads as a table
const FORMATS: Record<string, (p: Parts) => string> = {
  Nordfix: (p) => `NF ${p.code}-${d(p, 0, 2)}${d(p, 1, 2)}-${p.grade}${packTail(p, '-')}`,
  Ferrox: (p) => `FX${p.code}.${d(p, 0, 2)}.${d(p, 1, 3)}${p.grade ? `.${p.grade}` : ''}${packTail(p, '/')}`,
  Vissen: (p) => `VI-${pad(p.code, 5)}-${pad(p.seq, 4)}`,
  Hartwell: (p) => `HW-${pad(p.seq, 5)}`,
  Toolmark: (p) => `TM ${pad(p.code, 3)} ${pad(p.seq, 4)}`,
  Stahlgrip: (p) => `SG.${pad(p.code, 3)}.${pad(p.seq, 3)}`,
  Voltaro: (p) => `VT${pad(p.seq, 6)}`,
  Dynacore: (p) => `DC-${p.code}-${pad(p.seq, 4)}`,
  Torqline: (p) => `TQ/${pad(p.seq, 5)}`,
  Abrasa: (p) => `AB-${pad(p.seq, 5)}-${d(p, 0, 3)}`,
  Grindex: (p) => `GX${pad(p.code, 2)}${pad(p.seq, 5)}`,
  Securo: (p) => `SC-${pad(p.seq, 6)}`,
  Protexa: (p) => `PX.${pad(p.code, 3)}.${pad(p.seq, 4)}`,
  Vigilo: (p) => `VG${pad(p.seq, 5)}${p.dims[0] ? `-${p.dims[0]}` : ''}`,
  Linkwell: (p) => `LW ${pad(p.code, 3)}-${pad(p.seq, 4)}`,
  Luminor: (p) => `LUM-${pad(p.seq, 5)}`,
  Aquaflux: (p) => `AQ${pad(p.code, 3)}${d(p, 0, 3)}-${pad(p.seq, 3)}`,
  Pressline: (p) => `PL.${pad(p.seq, 6)}`,
  Hydrotek: (p) => `HT-${pad(p.code, 3)}-${pad(p.seq, 4)}`,
  Colltec: (p) => `CT ${pad(p.seq, 5)}`,
  Sealmaster: (p) => `SM-${pad(p.seq, 5)}`,
  Fixana: (p) => `FXA${pad(p.seq, 5)}`,
  Cargolift: (p) => `CL-${pad(p.code, 3)}.${pad(p.seq, 4)}`,
  Stackwell: (p) => `SW${pad(p.seq, 6)}`,
  Liftex: (p) => `LX-${pad(p.seq, 5)}`,
  Purelia: (p) => `PU ${pad(p.seq, 5)}`,
  Clearwise: (p) => `CW-${pad(p.code, 3)}-${pad(p.seq, 3)}`,
  Hygena: (p) => `HY.${pad(p.seq, 5)}`,
};

function gradeCode(grade: string): string {
  return grade
    .split(/[\s-]+/)
    .map((w) => (/\d/.test(w) ? w.replace(/[^A-Za-z0-9]/g, '') : (w[0] ?? '')))
    .join('')
    .toUpperCase()
    .slice(0, 4);
}

/**
 * The maker's part number of each product, or null (about one in nine has none, as in a real catalog).
 * Unique once normalised (normaliseReference), so a maker's reference names one product.
 */
export function manufacturerPartNumbers(planned: PlannedProduct[], rows: Row[]): (string | null)[] {
  const familyNumber = new Map<PlannedProduct['family'], number>();
  const seqs = new Map<string, number>();
  const taken = new Set<string>();
  return planned.map((p, i) => {
    const sku = String(rows[i]?.sku ?? '');
    const brand = String(rows[i]?.brand ?? '');
    if (hashOf(sku) % 9 === 0) return null;
    if (!familyNumber.has(p.family)) familyNumber.set(p.family, 100 + ((familyNumber.size * 37) % 900));
    const standard = /\b(?:DIN|EN) (\d+)/.exec(p.family.noun)?.[1];
    const seq = (seqs.get(brand) ?? hashOf(brand) % 400) + 1;
    seqs.set(brand, seq);
    const dims = (`${p.size} ${p.variant ?? ''}`.match(/\d+(?:\.\d+)?/g) ?? []).map((n) =>
      n.replace('.', ''),
    );
    const format = FORMATS[brand] ?? ((x: Parts) => `${brand.slice(0, 3).toUpperCase()}-${pad(x.seq, 5)}`);
    const parts = {
      code: standard ? Number(standard) : (familyNumber.get(p.family) ?? 0),
      dims,
      grade: gradeCode(p.grade),
      pack: p.pack,
      seq,
    };
    let mpn = format(parts);
    // the same size and grade a second time (a second source of the same brand): the sequence tells them apart
    if (taken.has(normaliseReference(mpn))) mpn = `${mpn}-${pad(seq, 4)}`;
    taken.add(normaliseReference(mpn));
    return mpn;
  });
}
