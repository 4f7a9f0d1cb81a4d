import { intChars, uintChars } from './chars';
import type { CatalogEntry } from './evaluate';
import { type Shape, shapeKey, shapeOf, templateKey } from './part-shape';
import { relatedChars } from './part-sku';

/** What the part writer needs of a record besides its SKU: its shape, and the sizes of its own fields. */
export interface Prepared {
  shape: Shape;
  key: string;
  templateKey: string;
}

// An entry's shape and keys, worked out once however many layouts it is written in.
const preparedEntries = new WeakMap<CatalogEntry, Prepared>();

export function prepared(entry: CatalogEntry): Prepared {
  let ready = preparedEntries.get(entry);
  if (!ready) {
    const shape = shapeOf(entry);
    ready = { shape, key: shapeKey(shape), templateKey: templateKey(shape) };
    preparedEntries.set(entry, ready);
  }
  return ready;
}

export const offsetWidth = (size: number): number =>
  size < 128 ? 1 : size < 16_384 ? 2 : size < 2_097_152 ? 3 : 4;

export function explicitUnits(entry: CatalogEntry, shape: Shape): number[] {
  const units: number[] = [];
  shape.steps.forEach((step, i) => {
    if (!step.explicit) return;
    const unit = entry.ladder[i]?.unitMinor ?? 0;
    units.push(entry.listMinor === null ? unit : entry.listMinor - unit);
  });
  return units;
}

export function payloadChars(entry: CatalogEntry, shape: Shape): number {
  let n = entry.listMinor === null ? 0 : uintChars(entry.listMinor);
  for (const u of explicitUnits(entry, shape)) n += intChars(u);
  if (entry.replacementSku !== null) n += relatedChars(entry.sku, entry.replacementSku);
  return n;
}
