import { describe, expect, it } from 'vitest';
import { compare } from '../../src/domain/search/build-terms';
import { openView, SearchIndex } from '../../src/domain/search/search-index';
import { DOCS, request } from './search-engine-fixtures';

/**
 * The streaming build (SearchIndex.builder(), what the queue consumer feeds SQL pages into) against the
 * build from a whole list, and the parts written one at a time against the whole text.
 */
const bySku = [...DOCS].sort((a, b) => compare(a.sku, b.sku));
const whole = SearchIndex.build(DOCS);

function streamed(docs: typeof DOCS): SearchIndex {
  const builder = SearchIndex.builder();
  for (const doc of docs) builder.add(doc);
  return builder.finish();
}

const queries = ['hex bolt m8x40', 'ecrou', 'stainless', 'blot', 'FAS-000123', 'sechskantschraube', ''];
const answers = (index: SearchIndex) =>
  queries.map((q) => {
    const result = index.search(request(q), openView(index));
    return { hits: result.hits.map((h) => [h.sku, h.score]), total: result.total, facets: result.facets };
  });

describe('the streaming index build', () => {
  it('documents fed in SKU order give the same parts as the build from the whole list', () => {
    expect(streamed(bySku).serialize(1024)).toEqual(whole.serialize(1024));
  });

  it('documents out of SKU order are renumbered: the same SKUs by id, the same answers', () => {
    const index = streamed([...bySku].reverse());
    expect(index.docCount).toBe(whole.docCount);
    for (const doc of bySku) expect(index.docIdOf(doc.sku)).toBe(whole.docIdOf(doc.sku));
    expect(answers(index)).toEqual(answers(whole));
  });

  it('a SKU fed twice in a row keeps its first document', () => {
    const [first, second] = bySku;
    if (!first || !second) throw new Error('fixtures too small');
    const index = streamed([first, { ...first, name: 'something else entirely' }, second]);
    expect(index.docCount).toBe(2);
    expect(index.stored(0)?.name).toBe(first.name);
  });

  it('writes parts one at a time, each at most maxPartChars long, that open to the same index', () => {
    const parts: string[] = [];
    for (const part of whole.serializedParts(2048)) {
      expect(part.length).toBeLessThanOrEqual(2048);
      parts.push(part);
    }
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.slice(0, -1).every((p) => p.length === 2048)).toBe(true);
    expect(answers(SearchIndex.open(parts))).toEqual(answers(whole));
  });
});
