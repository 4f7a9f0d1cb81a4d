import { create, insertMultiple, search as oramaSearch, save } from '@orama/orama';
import FlexSearch from 'flexsearch';
import MiniSearch from 'minisearch';
import { openView, SearchIndex } from '../src/domain/search/search-index';
import type { CompanyView, SearchDoc, SynonymRule } from '../src/domain/search/types';
import type { RelevanceFixture } from './relevance-score';

/**
 * The engines of the comparison (scripts/bench-search-engines.ts) behind one shape. The libraries get the
 * same help our engine has where they have a hook for it: accents and case folded, Acme's part numbers as a
 * field of their products, the synonym rules as query expansion (an OR of the other terms).
 */
export interface BuiltEngine {
  search(q: string): Promise<string[]> | string[];
  serializedBytes(): Promise<number> | number;
  close?: () => Promise<void> | void;
}
export interface Engine {
  name: string;
  build(docs: SearchDoc[], fixture: RelevanceFixture): Promise<BuiltEngine> | BuiltEngine;
}

export const fold = (text: string) =>
  text.normalize('NFD').replace(/\p{M}/gu, '').replace(/ß/g, 'ss').toLowerCase();

/** Flat text fields per document (the libraries index strings). */
export function fieldsOf(d: SearchDoc, partNumbers: Map<string, string[]>) {
  const fr = d.translations.find((t) => t.locale === 'fr');
  const de = d.translations.find((t) => t.locale === 'de');
  return {
    id: d.sku,
    sku: d.sku,
    name: d.name,
    fr: fr?.name ?? '',
    de: de?.name ?? '',
    family: d.family,
    brand: d.brand,
    category: d.categoryNames.join(' '),
    refs: [d.manufacturerPartNumber ?? '', ...(partNumbers.get(d.sku) ?? [])].join(' '),
    description: [d.description, fr?.description ?? '', de?.description ?? ''].join(' '),
  };
}

export function partNumbersBySku(fixture: RelevanceFixture): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const p of fixture.partNumbers) out.set(p.sku, [...(out.get(p.sku) ?? []), p.partNumber]);
  return out;
}

/** The query plus the other terms of every rule it mentions (equivalent: any term; one-way: the input). */
export function expandSynonyms(q: string, rules: SynonymRule[]): string {
  const text = ` ${fold(q)} `;
  const extra: string[] = [];
  for (const rule of rules) {
    const inputs = rule.kind === 'equivalent' ? rule.terms : [rule.input];
    if (inputs.some((t) => text.includes(` ${fold(t)} `)))
      extra.push(...rule.terms.filter((t) => !text.includes(` ${fold(t)} `)));
  }
  return extra.length === 0 ? q : `${q} ${extra.join(' ')}`;
}

/** Edits allowed for a typed word: none below 4 letters, one from 4, two from 8 (as ours). */
const typoEdits = (term: string) => (term.length >= 8 ? 2 : term.length >= 4 ? 1 : 0);

export const ourEngine: Engine = {
  name: 'ours (SearchIndex)',
  build(docs, fixture) {
    const index = SearchIndex.build(docs);
    const partNumbers = fixture.partNumbers.flatMap((p) => {
      const docId = index.docIdOf(p.sku);
      return docId === undefined ? [] : [{ partNumber: p.partNumber, docId }];
    });
    const view: CompanyView = { ...openView(index), partNumbers, synonyms: fixture.synonyms };
    return {
      search: (q) =>
        index
          .search({ q, filters: {}, sort: 'relevance', offset: 0, limit: 3, explain: false }, view)
          .hits.map((h) => h.sku),
      serializedBytes: () => index.serialize(1 << 20).reduce((sum, part) => sum + part.length, 0),
    };
  },
};

const BOOSTS = {
  sku: 6,
  refs: 6,
  name: 3,
  fr: 3,
  de: 3,
  family: 1.5,
  brand: 1,
  category: 1,
  description: 0.5,
};

export const miniSearchEngine: Engine = {
  name: 'MiniSearch 7 (fuzzy 1/2 edits, prefix)',
  build(docs, fixture) {
    const partNumbers = partNumbersBySku(fixture);
    const mini = new MiniSearch({
      fields: Object.keys(BOOSTS),
      storeFields: ['sku'],
      processTerm: (term) => fold(term),
      // the requirement's typo rule (Levenshtein here: a swap costs two): 1 edit from 4 letters, 2 from 8
      searchOptions: { boost: BOOSTS, fuzzy: (term) => typoEdits(term), prefix: true, combineWith: 'OR' },
    });
    mini.addAll(docs.map((d) => fieldsOf(d, partNumbers)));
    return {
      search: (q) =>
        mini
          .search(expandSynonyms(q, fixture.synonyms))
          .slice(0, 3)
          .map((r) => String(r.id)),
      serializedBytes: () => JSON.stringify(mini).length,
    };
  },
};

export const oramaEngine: Engine = {
  name: 'Orama 3 (tolerance 1)',
  async build(docs, fixture) {
    const partNumbers = partNumbersBySku(fixture);
    const db = create({
      schema: {
        sku: 'string',
        name: 'string',
        fr: 'string',
        de: 'string',
        family: 'string',
        brand: 'string',
        category: 'string',
        refs: 'string',
        description: 'string',
      } as const,
      components: { tokenizer: { stemming: false, normalizationCache: new Map() } },
    });
    await insertMultiple(
      db,
      docs.map((d) => {
        const f = fieldsOf(d, partNumbers);
        return Object.fromEntries(
          Object.entries(f).map(([k, v]) => [k, k === 'id' ? v : fold(v)]),
        ) as typeof f;
      }),
      1000,
    );
    return {
      search: async (q) => {
        const result = await oramaSearch(db, {
          term: fold(expandSynonyms(q, fixture.synonyms)),
          tolerance: 1,
          boost: BOOSTS,
          limit: 3,
        });
        return result.hits.map((h) => String(h.id));
      },
      serializedBytes: async () => JSON.stringify(await save(db)).length,
    };
  },
};

export const flexSearchEngine: Engine = {
  name: 'FlexSearch 0.8 (forward, LatinBalance)',
  build(docs, fixture) {
    const partNumbers = partNumbersBySku(fixture);
    const index = new FlexSearch.Index({
      tokenize: 'forward',
      encoder: FlexSearch.Charset.LatinBalance,
      resolution: 9,
    });
    // one text per product, the most telling fields first (FlexSearch ranks by where a term sits)
    docs.forEach((d, i) => {
      const f = fieldsOf(d, partNumbers);
      index.add(
        i,
        [f.sku, f.refs, f.name, f.fr, f.de, f.family, f.brand, f.category, f.description].join(' '),
      );
    });
    return {
      search: (q) =>
        (index.search(expandSynonyms(q, fixture.synonyms), { limit: 3, suggest: true }) as number[]).map(
          (i) => docs[i]?.sku ?? '',
        ),
      serializedBytes: async () => {
        let bytes = 0;
        await index.export((_key: string, data: string) => {
          bytes += data?.length ?? 0;
        });
        return bytes;
      },
    };
  },
};
