import { beforeAll, describe, expect, it } from 'vitest';
import { buildSearchIndex } from '../../src/services/search/build';
import { call, expectProblem, json, loginAs } from './harness';
import { buildFor } from './pricing-helpers';
import { forgetSearchCaches, type SearchAnswer, searchDeps, searchRecorder } from './search-helpers';

beforeAll(async () => {
  await buildFor('co_acme');
  await buildSearchIndex({ ...searchDeps(), queue: searchRecorder }, () => Date.now());
  forgetSearchCaches();
});

/** raw query strings, sent as they are (already percent-encoded where needed) */
const BAD_QUERIES: [string, string][] = [
  ['empty', 'q='],
  ['one character', 'q=a'],
  ['10,000 characters', `q=${'a'.repeat(10_000)}`],
  ['a double quote', 'q=%22hex%20bolt'],
  ['a star', 'q=bol*'],
  ['NEAR', 'q=hex%20NEAR%20bolt'],
  ['a colon', 'q=name%3Abolt'],
  ['a parenthesis', 'q=(bolt'],
  ['a caret', 'q=%5Ebolt'],
  ['emoji', `q=${encodeURIComponent('🔩 bolt 🔧')}`],
  ['a lone surrogate (percent-encoded)', 'q=%ED%A0%80'],
  ['SQL', `q=${encodeURIComponent("'; DROP TABLE products;--")}`],
  ['an unknown facet', 'attr=colour_of_the_sky%3Ablue'],
  ['an unknown range', 'range=colour_of_the_sky%3A1..2'],
  ['a malformed range', 'range=lengthMm%3Aten..20'],
  ['a cursor that is not one', 'cursor=not-a-cursor'],
  ['an unknown parameter', 'query=bolt'],
  ['limit 0', 'limit=0'],
  ['limit 101', 'limit=101'],
  ['inStock maybe', 'inStock=maybe'],
  ['an unknown sort', 'sort=price'],
];

describe('bad input never fails the search, never leaks', () => {
  for (const [what, query] of BAD_QUERIES) {
    it(`${what}: a 400 naming the parameter, or a 200 of Acme's products only`, async () => {
      const token = await loginAs('buyer@acme.example');
      const res = await call(`/v1/search?${query}`, { token });
      expect([200, 400]).toContain(res.status);
      if (res.status === 400) {
        const problem = await expectProblem(res, 400);
        const param = query.split('=')[0] ?? '';
        expect(problem.errors?.some((e) => e.in === 'query' && e.path.split('.')[0] === param)).toBe(true);
        return;
      }
      const page = await json<SearchAnswer>(res);
      expect(Array.isArray(page.items)).toBe(true);
      for (const item of page.items) expect(item).toHaveProperty('orderable');
    });
  }

  it('a control character, or bytes that are not UTF-8 (a lone surrogate), is a 400 naming q', async () => {
    const token = await loginAs('buyer@acme.example');
    const problem = await expectProblem(await call('/v1/search?q=ab%00c', { token }), 400);
    expect(problem.errors).toEqual([expect.objectContaining({ in: 'query', path: 'q' })]);
    // %ED%A0%80 would be a lone surrogate: not UTF-8, never searched for as its literal text
    const surrogate = await expectProblem(await call('/v1/search?q=%ED%A0%80', { token }), 400);
    expect(surrogate.errors).toEqual([expect.objectContaining({ in: 'query', path: 'q' })]);
  });

  it('q over 200 characters is a 400 naming q; an unknown facet key a 400 naming attr', async () => {
    const token = await loginAs('buyer@acme.example');
    const long = await expectProblem(await call(`/v1/search?q=${'a'.repeat(201)}`, { token }), 400);
    expect(long.errors).toEqual([expect.objectContaining({ in: 'query', path: 'q' })]);
    const facet = await expectProblem(await call('/v1/search?attr=nope%3Ablue', { token }), 400);
    expect(facet.errors).toEqual([expect.objectContaining({ in: 'query', path: 'attr.0' })]);
  });

  it('suggest takes the same input without failing', async () => {
    const token = await loginAs('buyer@acme.example');
    for (const q of [
      '',
      'a',
      '%22',
      'NEAR',
      '(',
      '%5E',
      encodeURIComponent('🔩🔩'),
      encodeURIComponent("'; DROP TABLE products;--"),
    ]) {
      const res = await call(`/v1/search/suggest?q=${q}`, { token });
      expect(res.status, q).toBe(200);
    }
    await expectProblem(await call('/v1/search/suggest?q=ab%00c', { token }), 400);
    await expectProblem(await call('/v1/search/suggest?q=%ED%A0%80', { token }), 400);
  });
});
