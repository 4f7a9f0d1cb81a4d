import { buildIndexData, IndexBuilder } from './build';
import type { IndexData } from './index-data';
import { runSearch } from './search';
import { approximateBytesOf, openIndexData, serializedParts } from './serialize';
import { runSuggest } from './suggest';
import type { CompanyView, SearchDoc, SearchRequest, SearchResult, Suggestions } from './types';
import { fullView } from './view';

/** What the index keeps of a document to show it without the database. */
export interface StoredDoc {
  sku: string;
  name: string;
  brand: string;
  family: string;
  categoryPath: string;
  status: 'active' | 'obsolete';
  inStock: boolean;
}

/**
 * The catalog's search index: built from documents (the index build), serialized into KV parts, opened once
 * per isolate, queried per company through its CompanyView. Pure: no I/O, no clock, deterministic.
 */
export class SearchIndex {
  private constructor(private readonly data: IndexData) {}

  static build(docs: readonly SearchDoc[]): SearchIndex {
    return new SearchIndex(buildIndexData(docs));
  }

  /**
   * A build fed one document at a time (in SKU order), keeping only what the index holds: the catalog's
   * build streams its SQL pages through it instead of holding every document.
   */
  static builder(): { add(doc: SearchDoc): void; finish(): SearchIndex } {
    const builder = new IndexBuilder();
    return {
      add: (doc) => builder.add(doc),
      finish: () => new SearchIndex(builder.finish()),
    };
  }

  /** From serialize()'s parts, in order; throws when they are not a whole index of this format. */
  static open(parts: readonly string[]): SearchIndex {
    return new SearchIndex(openIndexData(parts));
  }

  /** The index as strings of at most maxPartChars characters each (at least 1024). */
  serialize(maxPartChars: number): string[] {
    return [...this.serializedParts(maxPartChars)];
  }

  /** serialize()'s parts one at a time: only the part being written is held as text. */
  serializedParts(maxPartChars: number): Iterable<string> {
    return serializedParts(this.data, maxPartChars);
  }

  get docCount(): number {
    return this.data.docCount;
  }

  /** The document id of a SKU (exactly as the catalog writes it). */
  docIdOf(sku: string): number | undefined {
    const skus = this.data.skus;
    let lo = 0;
    let hi = skus.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((skus[mid] ?? '') < sku) lo = mid + 1;
      else hi = mid;
    }
    return skus[lo] === sku ? lo : undefined;
  }

  stored(docId: number): StoredDoc | undefined {
    const d = this.data;
    if (!Number.isInteger(docId) || docId < 0 || docId >= d.docCount) return undefined;
    return {
      sku: d.skus[docId] ?? '',
      name: d.names[docId] ?? '',
      brand: d.brands[d.brandOf[docId] ?? 0] ?? '',
      family: d.families[d.familyOf[docId] ?? 0] ?? '',
      categoryPath: d.categoryPaths[d.categoryOf[docId] ?? 0] ?? '',
      status: d.obsolete[docId] === 1 ? 'obsolete' : 'active',
      inStock: d.inStock[docId] === 1,
    };
  }

  search(request: SearchRequest, view: CompanyView): SearchResult {
    return runSearch(this.data, request, view);
  }

  suggest(q: string, view: CompanyView, limit: number): Suggestions {
    return runSuggest(this.data, q, view, limit);
  }

  /** Bytes of the opened index, roughly (typed arrays exactly, strings at two bytes a character). */
  approximateBytes(): number {
    return approximateBytesOf(this.data);
  }
}

/** The empty view of a company that sees everything (supplier staff without X-Company-Id, tests). */
export function openView(index: SearchIndex): CompanyView {
  return fullView(index.docCount);
}
