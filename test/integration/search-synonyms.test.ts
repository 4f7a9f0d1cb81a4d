import { env } from 'cloudflare:test';
import * as v from 'valibot';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/client';
import { SynonymRuleBody } from '../../src/routes/search-synonym-schemas';
import { SYNONYM_CACHE_MS, synonymRulesFor } from '../../src/services/search-synonyms';
import { call, expectProblem, json, loginAs } from './harness';
import { all } from './pricing-helpers';

interface Rule {
  id: string;
  scope: 'catalog' | 'company';
  kind: 'equivalent' | 'one_way';
  input: string | null;
  terms: string[];
  createdBy: string;
}
interface Page {
  items: Rule[];
  nextCursor: string | null;
}

const ADMIN = '/v1/admin/search/synonyms';
const COMPANY = '/v1/company/search/synonyms';
let ops = '';
let acme = '';
let globex = '';

beforeAll(async () => {
  ops = await loginAs('ops@supplier.example');
  acme = await loginAs('admin@acme.example');
  globex = await loginAs('admin@globex.example');
});

const send = (path: string, token: string, method = 'GET', body?: unknown, headers = {}) =>
  call(path, { method, token, body, headers });

async function created(path: string, token: string, body: unknown, headers = {}): Promise<Rule> {
  const res = await send(path, token, 'POST', body, headers);
  if (res.status !== 201) throw new Error(`create: ${res.status} ${await res.text()}`);
  return json<Rule>(res);
}

const auditOf = (targetId: string) =>
  all<{ action: string; summary: string; company_id: string | null; actor_id: string }>(
    'SELECT action, summary, company_id, actor_id FROM audit_log WHERE target_id = ? ORDER BY at, rowid',
    targetId,
  );

describe('catalog-wide rules (/v1/admin, platform.admin)', () => {
  it('are created, read, replaced, listed by term and removed, each change audited with before and after', async () => {
    const rule = await created(ADMIN, ops, { kind: 'equivalent', terms: ['  Zinc   flake ', 'Geomet'] });
    expect(rule).toMatchObject({ scope: 'catalog', kind: 'equivalent', input: null, createdBy: 'usr_ops' });
    expect(rule.terms).toEqual(['Zinc flake', 'Geomet']);
    expect(await json(await send(`${ADMIN}/${rule.id}`, ops))).toEqual(rule);

    const replaced = await send(`${ADMIN}/${rule.id}`, ops, 'PUT', {
      kind: 'one_way',
      input: 'Dacromet',
      terms: ['zinc flake'],
    });
    expect(replaced.status).toBe(200);
    expect(await json(replaced)).toMatchObject({ id: rule.id, kind: 'one_way', input: 'Dacromet' });

    const found = await json<Page>(await send(`${ADMIN}?term=DACROMÉT`, ops));
    expect(found.items.map((r) => r.id)).toEqual([rule.id]);

    expect((await send(`${ADMIN}/${rule.id}`, ops, 'DELETE')).status).toBe(204);
    await expectProblem(await send(`${ADMIN}/${rule.id}`, ops), 404);
    expect(await auditOf(rule.id)).toEqual([
      {
        action: 'search_synonym.create',
        summary: 'Added equivalent Zinc flake = Geomet',
        company_id: null,
        actor_id: 'usr_ops',
      },
      {
        action: 'search_synonym.replace',
        summary: 'Changed equivalent Zinc flake = Geomet to one_way Dacromet → zinc flake',
        company_id: null,
        actor_id: 'usr_ops',
      },
      {
        action: 'search_synonym.delete',
        summary: 'Removed one_way Dacromet → zinc flake',
        company_id: null,
        actor_id: 'usr_ops',
      },
    ]);
  });

  it('pages through the demo rules oldest first, without repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page: Page = await json<Page>(await send(`${ADMIN}?limit=7${query}`, ops));
      seen.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.slice(0, 3)).toEqual(['syn_catalog_01', 'syn_catalog_02', 'syn_catalog_03']);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => id.startsWith('syn_catalog_'))).toHaveLength(40);
    expect(seen.some((id) => id.startsWith('syn_acme_'))).toBe(false);
  });

  it('the demo rules pass the rules a new rule must pass (terms, kinds, no repeats)', async () => {
    const rows = await all<{ kind: string; input: string | null; terms: string }>(
      'SELECT kind, input, terms FROM search_synonyms',
    );
    expect(rows.length).toBeGreaterThanOrEqual(40);
    for (const row of rows) {
      const body = {
        kind: row.kind,
        terms: JSON.parse(row.terms),
        ...(row.input ? { input: row.input } : {}),
      };
      expect(v.safeParse(SynonymRuleBody, body).issues, JSON.stringify(body)).toBeUndefined();
    }
  });
});

describe("a company's own rules (/v1/company, search.manage)", () => {
  it('are kept by its administrator, audited under the company, and listed with the catalog’s on request', async () => {
    const rule = await created(COMPANY, acme, { kind: 'one_way', input: 'TF', terms: ['threaded rod'] });
    expect(rule).toMatchObject({ scope: 'company', createdBy: 'usr_acme_admin' });
    const own = await json<Page>(await send(`${COMPANY}?limit=200`, acme));
    expect(own.items.every((r) => r.scope === 'company')).toBe(true);
    expect(own.items.map((r) => r.id)).toContain(rule.id);
    expect(own.items.map((r) => r.id)).toContain('syn_acme_01');

    const withCatalog = await json<Page>(await send(`${COMPANY}?include=catalog&limit=200`, acme));
    expect(withCatalog.items.filter((r) => r.scope === 'catalog')).toHaveLength(40);
    expect(withCatalog.items.filter((r) => r.scope === 'company')).toHaveLength(own.items.length);
    const inox = await json<Page>(await send(`${COMPANY}?include=catalog&term=inox`, acme));
    expect(inox.items.map((r) => r.id).sort()).toEqual(['syn_acme_05', 'syn_catalog_01']);

    // the catalog's rules are read-only here
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const body = method === 'PUT' ? { kind: 'equivalent', terms: ['a b', 'c d'] } : undefined;
      await expectProblem(await send(`${COMPANY}/syn_catalog_01`, acme, method, body), 404);
    }
    expect((await send(`${COMPANY}/${rule.id}`, acme, 'DELETE')).status).toBe(204);
    const audit = await auditOf(rule.id);
    expect(audit.map((a) => [a.action, a.company_id])).toEqual([
      ['search_synonym.create', 'co_acme'],
      ['search_synonym.delete', 'co_acme'],
    ]);
  });

  it('a platform admin keeps them for a company it names; a sales rep lacks search.manage', async () => {
    const headers = { 'x-company-id': 'co_globex' };
    const rule = await created(COMPANY, ops, { kind: 'equivalent', terms: ['Mutter', 'nut'] }, headers);
    const listed = await json<Page>(await send(COMPANY, globex));
    expect(listed.items.map((r) => r.id)).toContain(rule.id);
    expect((await auditOf(rule.id))[0]).toMatchObject({ company_id: 'co_globex', actor_id: 'usr_ops' });
    const rep = await loginAs('rep@supplier.example');
    await expectProblem(await send(COMPANY, rep, 'GET', undefined, { 'x-company-id': 'co_acme' }), 403);
  });
});

describe('who reaches what', () => {
  it("another company's rules answer 404 on every verb and never appear in its lists", async () => {
    const acmeRule = await created(COMPANY, acme, { kind: 'equivalent', terms: ['acme secret', 'widget'] });
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const body = method === 'PUT' ? { kind: 'equivalent', terms: ['hijacked', 'taken'] } : undefined;
      await expectProblem(await send(`${COMPANY}/${acmeRule.id}`, globex, method, body), 404);
    }
    const text = await (await send(`${COMPANY}?include=catalog&limit=200`, globex)).text();
    expect(text).not.toContain('acme secret');
    expect(text).not.toContain('syn_acme_');
    expect(await json(await send(`${COMPANY}/${acmeRule.id}`, acme))).toMatchObject({
      terms: ['acme secret', 'widget'],
    });
  });

  it('a buyer without search.manage gets 403; a company admin gets 403 on the catalog’s rules', async () => {
    const buyer = await loginAs('buyer@acme.example');
    const body = { kind: 'equivalent', terms: ['aa', 'bb'] };
    for (const [method, path] of [
      ['GET', COMPANY],
      ['POST', COMPANY],
      ['GET', `${COMPANY}/syn_acme_01`],
      ['PUT', `${COMPANY}/syn_acme_01`],
      ['DELETE', `${COMPANY}/syn_acme_01`],
    ] as const) {
      const sent = method === 'POST' || method === 'PUT' ? body : undefined;
      await expectProblem(await send(path, buyer, method, sent), 403);
      await expectProblem(
        await send(path.replace(COMPANY, ADMIN).replace('acme', 'catalog'), acme, method, sent),
        403,
      );
    }
  });
});

describe('what a rule may say', () => {
  const long = 'x'.repeat(61);
  const many = Array.from({ length: 21 }, (_, i) => `term ${i}`);
  it.each([
    ['no kind', { terms: ['a', 'b'] }, ['kind']],
    ['an unknown kind', { kind: 'two_way', terms: ['a', 'b'] }, ['kind']],
    ['an unknown field', { kind: 'equivalent', terms: ['a', 'b'], weight: 2 }, ['weight']],
    ['one equivalent term', { kind: 'equivalent', terms: ['inox'] }, ['terms']],
    ['an input on an equivalent rule', { kind: 'equivalent', input: 'x', terms: ['a', 'b'] }, ['input']],
    ['a one_way rule without input', { kind: 'one_way', terms: ['a'] }, ['input']],
    ['a one_way rule without terms', { kind: 'one_way', input: 'VIS', terms: [] }, ['terms']],
    ['21 terms', { kind: 'equivalent', terms: many }, ['terms']],
    ['a blank term', { kind: 'equivalent', terms: ['a', '   '] }, ['terms.1']],
    ['a term of 61 characters', { kind: 'equivalent', terms: ['a', long] }, ['terms.1']],
    ['a term with a tab', { kind: 'equivalent', terms: ['a\tb', 'c'] }, ['terms.0']],
    ['a lone surrogate', { kind: 'one_way', input: 'a\ud800', terms: ['b'] }, ['input']],
    [
      'syntax characters',
      { kind: 'equivalent', terms: ['a', 'b*', '"c"', 'NEAR(d)'] },
      ['terms.1', 'terms.2', 'terms.3'],
    ],
    ['an emoji', { kind: 'equivalent', terms: ['bolt 🔩', 'bolt'] }, ['terms.0']],
    ['a term said twice', { kind: 'equivalent', terms: ['Inox', 'stainless', 'INOX'] }, ['terms.2']],
    ['a term said twice with accents', { kind: 'one_way', input: 'x', terms: ['tête', 'Tete'] }, ['terms.1']],
    [
      'an input that is one of its terms',
      { kind: 'one_way', input: 'Écrou', terms: ['nut', 'ecrou'] },
      ['input'],
    ],
    ['terms that are not a list', { kind: 'equivalent', terms: 'a, b' }, ['terms']],
  ])('%s is a 400 naming the field', async (_, body, paths) => {
    for (const [path, token] of [
      [ADMIN, ops],
      [COMPANY, acme],
    ] as const) {
      const problem = await expectProblem(await send(path, token, 'POST', body), 400);
      expect(problem.errors?.map((e) => e.path).sort()).toEqual(paths);
      expect(problem.errors?.every((e) => e.in === 'body')).toBe(true);
    }
  });

  it('keeps the trade’s punctuation and letters of any language', async () => {
    const rule = await created(COMPANY, acme, {
      kind: 'equivalent',
      terms: ['M8×40', 'A2-70', "clé d'arrêt", 'B&Q 1/2', 'Aderendhülse 0.5', 'C++'],
    });
    expect(rule.terms).toHaveLength(6);
  });
});

describe('a rule said twice, and the limits', () => {
  it('the same terms (another order, case, accents) or the same one_way input are a 409 naming the rule', async () => {
    const first = await created(COMPANY, acme, { kind: 'equivalent', terms: ['douille', 'socket', 'Nuss'] });
    const again = await expectProblem(
      await send(COMPANY, acme, 'POST', { kind: 'equivalent', terms: ['NUSS', 'Socket', 'DOUILLE'] }),
      409,
    );
    expect(again.detail).toContain(first.id);
    expect(again.errors).toEqual([
      expect.objectContaining({ path: 'terms', message: expect.stringContaining(first.id) }),
    ]);
    // a subset is another rule
    await created(COMPANY, acme, { kind: 'equivalent', terms: ['douille', 'socket'] });
    // the catalog's VIS TH (syn_catalog_05) and Acme's own are different owners
    const own = await created(COMPANY, acme, { kind: 'one_way', input: 'vis th', terms: ['hex bolt'] });
    const input = await expectProblem(
      await send(ADMIN, ops, 'POST', { kind: 'one_way', input: 'Vis  TH', terms: ['boulon'] }),
      409,
    );
    expect(input.detail).toContain('syn_catalog_05');
    // replacing a rule with itself is no repeat; replacing it with another's terms is
    const same = await send(`${COMPANY}/${first.id}`, acme, 'PUT', {
      kind: 'equivalent',
      terms: ['Nuss', 'douille', 'socket'],
    });
    expect(same.status).toBe(200);
    const onto = await send(`${COMPANY}/${first.id}`, acme, 'PUT', {
      kind: 'one_way',
      input: 'VIS TH',
      terms: ['x y'],
    });
    expect((await expectProblem(onto, 409)).detail).toContain(own.id);
  });

  async function fill(companyId: string | null, n: number) {
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
       INSERT INTO search_synonyms (id, company_id, kind, input, terms, created_by, updated_at)
       SELECT 'syn_fill_' || i, ?, 'one_way', 'filler ' || i, '["filled"]', 'usr_ops', 0 FROM n`,
    )
      .bind(n, companyId)
      .run();
  }
  const unfill = () => env.DB.prepare("DELETE FROM search_synonyms WHERE id LIKE 'syn_fill_%'").run();
  const count = async (companyId: string | null) =>
    (
      await all<{ n: number }>('SELECT count(*) AS n FROM search_synonyms WHERE company_id IS ?', companyId)
    )[0]?.n ?? 0;

  it('a company keeps at most 1,000 rules and the catalog 5,000 (422 beyond)', async () => {
    const initech = { 'x-company-id': 'co_initech' };
    await fill('co_initech', 999 - (await count('co_initech')));
    await created(COMPANY, ops, { kind: 'equivalent', terms: ['last', 'one'] }, initech);
    const full = await expectProblem(
      await send(COMPANY, ops, 'POST', { kind: 'equivalent', terms: ['one', 'more'] }, initech),
      422,
    );
    expect(full.detail).toContain('at most 1,000 synonym rules');
    await unfill();

    await fill(null, 5_000 - (await count(null)));
    const catalogFull = await expectProblem(
      await send(ADMIN, ops, 'POST', { kind: 'equivalent', terms: ['one', 'more'] }),
      422,
    );
    expect(catalogFull.detail).toContain('at most 5,000 synonym rules');
    // the limit counts rules, it does not stop changing them
    expect((await send(`${ADMIN}/syn_catalog_40`, ops)).status).toBe(200);
    await unfill();
  });
});

describe('the rules searches apply (synonymRulesFor)', () => {
  const db = () => createDatabase(env);
  const inputs = (rules: { kind: string; input?: string; terms: string[] }[]) =>
    rules.map((r) => r.input ?? r.terms.join('='));

  const countCatalog = async () =>
    (await all<{ n: number }>('SELECT count(*) AS n FROM search_synonyms WHERE company_id IS NULL'))[0]?.n ??
    0;

  it('are the catalog’s and the company’s own, no other company’s', async () => {
    await created(COMPANY, globex, { kind: 'one_way', input: 'globex word', terms: ['nut'] });
    const now = Date.now();
    const forAcme = inputs(await synonymRulesFor(db(), 'co_acme', now));
    expect(forAcme).toContain('VIS TH');
    expect(forAcme).toContain('EPI');
    expect(forAcme).not.toContain('globex word');
    const forCatalog = inputs(await synonymRulesFor(db(), null, now));
    expect(forCatalog).toContain('VIS TH');
    expect(forCatalog).not.toContain('EPI');
    expect(forCatalog).toHaveLength(await countCatalog());
  });

  it('follow a change made through the API at once, and one made elsewhere within SYNONYM_CACHE_MS', async () => {
    const now = Date.now();
    expect(inputs(await synonymRulesFor(db(), 'co_acme', now))).not.toContain('clou');
    const rule = await created(COMPANY, acme, { kind: 'one_way', input: 'clou', terms: ['nail'] });
    expect(inputs(await synonymRulesFor(db(), 'co_acme', now))).toContain('clou');
    await send(`${COMPANY}/${rule.id}`, acme, 'DELETE');
    expect(inputs(await synonymRulesFor(db(), 'co_acme', now))).not.toContain('clou');

    // another isolate's write: this one's cache answers until it expires
    await env.DB.prepare(
      `INSERT INTO search_synonyms (id, company_id, kind, input, terms, created_by, updated_at)
       VALUES ('syn_elsewhere_1', NULL, 'one_way', 'elsewhere', '["far"]', 'usr_ops', 0)`,
    ).run();
    expect(inputs(await synonymRulesFor(db(), 'co_acme', now + 1))).not.toContain('elsewhere');
    expect(inputs(await synonymRulesFor(db(), 'co_acme', now + SYNONYM_CACHE_MS))).toContain('elsewhere');
  });
});
