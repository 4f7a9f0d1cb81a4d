import type { Database } from '../db/client';
import { rulesOwnedBy, type SynonymRow } from '../db/queries/search-synonyms';
import type { SynonymRule } from '../domain/search/types';

/**
 * The synonym rules a company's searches apply: the supplier's catalog-wide rules and the company's own.
 * Read through an isolate cache; a change is seen within SYNONYM_CACHE_MS (at once in the isolate that made it).
 */
export const SYNONYM_CACHE_MS = 30_000;

/** Companies whose rules one isolate keeps (plus the catalog's); the least recently loaded go first. */
export const MAX_CACHED_OWNERS = 500;

interface Entry {
  rules: Promise<readonly SynonymRule[]>;
  loadedAt: number;
}

// keyed by company id; the catalog-wide rules under a key no company id can take
const CATALOG = '*catalog';
const cache = new Map<string, Entry>();

export const ruleOf = (row: Pick<SynonymRow, 'kind' | 'input' | 'terms'>): SynonymRule | null =>
  row.kind === 'equivalent'
    ? { kind: 'equivalent', terms: row.terms }
    : row.input === null
      ? null
      : { kind: 'one_way', input: row.input, terms: row.terms };

async function load(db: Database, companyId: string | null): Promise<readonly SynonymRule[]> {
  const rows = await rulesOwnedBy(db, companyId);
  return rows.flatMap((row) => ruleOf(row) ?? []);
}

function rulesOwnedByCached(db: Database, companyId: string | null, now: number) {
  const key = companyId ?? CATALOG;
  const cached = cache.get(key);
  // a clock that went back (tests) reloads rather than trusting an entry from "the future"
  if (cached && now >= cached.loadedAt && now - cached.loadedAt < SYNONYM_CACHE_MS) return cached.rules;
  const entry: Entry = { rules: load(db, companyId), loadedAt: now };
  cache.delete(key);
  cache.set(key, entry);
  while (cache.size > MAX_CACHED_OWNERS + 1) {
    const oldest = cache.keys().next().value;
    if (oldest === undefined) break;
    cache.delete(oldest);
  }
  // a failed read is not kept: the next search asks again
  entry.rules.catch(() => {
    if (cache.get(key) === entry) cache.delete(key);
  });
  return entry.rules;
}

export async function synonymRulesFor(
  db: Database,
  companyId: string | null,
  now: number,
): Promise<SynonymRule[]> {
  const [catalog, own] = await Promise.all([
    rulesOwnedByCached(db, null, now),
    companyId === null ? [] : rulesOwnedByCached(db, companyId, now),
  ]);
  return [...catalog, ...own];
}

/** After a change to an owner's rules: this isolate's next search reads them again. */
export function forgetSynonyms(companyId: string | null): void {
  cache.delete(companyId ?? CATALOG);
}
