import type { ImportKind } from '../src/domain/erp-terms';
import { isoDate } from './http';
import type { CatalogProduct, DeltaEntry, PushFormat, SimCatalog } from './types';

/**
 * The ERP's change log per kind: versioned rows in the import shapes (docs/erp.md), generated from the
 * catalog it holds or queued by its admin API; read by the nightly pull with an opaque cursor and sent
 * by pushes as NDJSON, CSV or a JSON array.
 */

export const GENERATED_KINDS = ['products', 'list-prices', 'stock'] as const;

export const DEFAULT_CATALOG: SimCatalog = {
  products: Array.from({ length: 50 }, (_, i) => ({
    sku: `SIM-${String(i + 1).padStart(6, '0')}`,
    name: `Simulated item ${i + 1}`,
    family: 'Simulated items',
    categoryPath: 'simulated',
    brand: 'Simulator',
    unitOfMeasure: 'EA',
    listMinor: 1000 + i * 37,
  })),
  warehouses: ['LYON-1', 'KOLN-1'],
  priceLists: ['pl_eur'],
};

/** A cursor names the kind and the last sequence number read; it means nothing to the reader. */
export function encodeCursor(kind: ImportKind, seq: number): string {
  return btoa(JSON.stringify({ k: kind, s: seq }))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');
}

export function decodeCursor(kind: ImportKind, cursor: string): number | null {
  try {
    const padded = cursor.replaceAll('-', '+').replaceAll('_', '/');
    const parsed: unknown = JSON.parse(atob(padded + '='.repeat((4 - (padded.length % 4)) % 4)));
    if (typeof parsed !== 'object' || parsed === null) return null;
    const { k, s } = parsed as { k?: unknown; s?: unknown };
    return k === kind && typeof s === 'number' && Number.isInteger(s) && s >= 0 ? s : null;
  } catch {
    return null;
  }
}

export interface DeltaPage {
  rows: Record<string, unknown>[];
  nextCursor: string;
  hasMore: boolean;
}

/** Rows after `after` (a sequence number), at most `limit`; the next cursor stays put when nothing is new. */
export function pageOf(
  kind: ImportKind,
  log: readonly DeltaEntry[],
  after: number,
  limit: number,
): DeltaPage {
  const newer = log.filter((e) => e.seq > after);
  const page = newer.slice(0, limit);
  const last = page.at(-1)?.seq ?? after;
  return {
    rows: page.map((e) => e.row),
    nextCursor: encodeCursor(kind, last),
    hasMore: newer.length > limit,
  };
}

const money = (minor: number): string => (minor / 100).toFixed(2);

export interface GenerateContext {
  catalog: SimCatalog;
  /** where this kind's generation continues (round robin over the catalog) */
  start: number;
  random: () => number;
  nextVersion: () => number;
  now: number;
}

const revised = (product: CatalogProduct, version: number) =>
  `${product.name.replace(/ \(rev \d+\)$/, '')} (rev ${version % 10_000})`;

function productRow(p: CatalogProduct, version: number): Record<string, unknown> {
  return {
    sku: p.sku,
    name: revised(p, version),
    ...(p.family ? { family: p.family } : {}),
    ...(p.categoryPath ? { categoryPath: p.categoryPath } : {}),
    ...(p.brand ? { brand: p.brand } : {}),
    ...(p.unitOfMeasure ? { unitOfMeasure: p.unitOfMeasure } : {}),
    status: 'active',
    version,
  };
}

/** `count` new versions of records the catalog holds: renamed products, prices moved ±10 %, new stock. */
export function generateRows(kind: (typeof GENERATED_KINDS)[number], count: number, ctx: GenerateContext) {
  const { catalog, random } = ctx;
  const rows: Record<string, unknown>[] = [];
  const warehouses = catalog.warehouses.length > 0 ? catalog.warehouses : ['MAIN'];
  for (let i = 0; i < count; i++) {
    const at = ctx.start + i;
    const slot = kind === 'stock' ? Math.floor(at / warehouses.length) : at;
    const product = catalog.products[slot % catalog.products.length];
    if (!product) break;
    const version = ctx.nextVersion();
    if (kind === 'products') rows.push(productRow(product, version));
    else if (kind === 'list-prices') {
      const base = product.listMinor ?? 1000;
      const moved = Math.max(1, Math.round(base * (0.9 + random() * 0.2)));
      rows.push({
        priceList: catalog.priceLists[0] ?? 'pl_eur',
        sku: product.sku,
        amount: money(moved),
        version,
      });
    } else {
      const onHand = random() < 0.15 ? 0 : Math.floor(random() * 500);
      rows.push({
        sku: product.sku,
        warehouse: warehouses[at % warehouses.length],
        onHand,
        nextAvailabilityDate: onHand === 0 ? isoDate(ctx.now + 7 * 86_400_000) : null,
        version,
      });
    }
  }
  return rows;
}

const CONTENT_TYPES: Record<PushFormat, string> = {
  ndjson: 'application/x-ndjson',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json',
};

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",;\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The rows as the ERP uploads them; a CSV names every column any row has, in first-seen order. */
export function encodeRows(rows: Record<string, unknown>[], format: PushFormat) {
  const contentType = CONTENT_TYPES[format];
  if (format === 'json') return { body: JSON.stringify(rows), contentType };
  if (format === 'ndjson') return { body: rows.map((r) => `${JSON.stringify(r)}\n`).join(''), contentType };
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const lines = [columns.join(','), ...rows.map((r) => columns.map((c) => csvCell(r[c])).join(','))];
  return { body: `${lines.join('\r\n')}\r\n`, contentType };
}

/** A deterministic generator (mulberry32), so a seeded simulator generates the same deltas every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
