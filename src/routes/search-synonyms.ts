import { Hono } from 'hono';
import { MAX_CATALOG_RULES, MAX_COMPANY_RULES } from '../domain/search-synonyms';
import { actorOf } from '../http/actor';
import type { AppContext, AppEnv } from '../http/context';
import { requirePermission, scopeOf } from '../http/middleware';
import { doc } from '../http/openapi';
import { decodeCursor, keysetPage, pageOf } from '../http/paging';
import { validBody, validParams, validQuery } from '../http/validate';
import {
  createSynonym,
  deleteSynonym,
  getSynonym,
  listSynonyms,
  replaceSynonym,
  type SynonymOwner,
} from '../services/search-synonym-admin';
import { SYNONYM_CACHE_MS } from '../services/search-synonyms';
import { IdParam } from './schemas';
import {
  AdminSynonymQuery,
  CompanySynonymQuery,
  SynonymCursor,
  SynonymRule,
  SynonymRuleBody,
} from './search-synonym-schemas';

const tags = ['Search synonyms'];
const SEMANTICS =
  '`equivalent`: every term also finds the others (2–20 terms). `one_way`: `input` also finds the `terms` ' +
  '(1–20), not the reverse. Terms: 1–60 characters after spaces collapse, letters, digits, spaces and ' +
  "- . / ' & + × only; compared without case or accents, so a term said twice is a 400 naming it. " +
  `Searches apply a change at once in the Worker that made it, elsewhere within ${SYNONYM_CACHE_MS / 1000} s.`;
const CONFLICT =
  'An equivalent rule with the same terms, or a one_way rule with the same input, exists: its id is named';

type Scope = 'catalog' | 'company';
const WHO: Record<Scope, { owner: (c: AppContext) => SynonymOwner; limit: number; what: string }> = {
  catalog: {
    owner: (c) => ({ db: c.var.services.db, companyId: null }),
    limit: MAX_CATALOG_RULES,
    what: 'the catalog’s synonym rules (every company’s searches apply them)',
  },
  company: {
    owner: (c) => scopeOf(c),
    limit: MAX_COMPANY_RULES,
    what: 'my company’s own synonym rules (its searches apply them after the catalog’s)',
  },
};

/** The four writes and the read of one rule, the same for both owners. */
function ruleRoutes(scope: Scope, routes: Hono<AppEnv>, manage: ReturnType<typeof requirePermission>) {
  const { owner, limit, what } = WHO[scope];
  return routes
    .post(
      '/search/synonyms',
      doc({
        tags,
        summary: `Add one of ${what}`,
        description: SEMANTICS,
        ok: SynonymRule,
        status: 201,
        errors: { 409: CONFLICT, 422: `Already ${limit.toLocaleString('en')} rules` },
      }),
      manage,
      validBody(SynonymRuleBody),
      async (c) => c.json(await createSynonym(owner(c), actorOf(c), c.req.valid('json')), 201),
    )
    .get(
      '/search/synonyms/:id',
      doc({ tags, summary: `One of ${what}`, ok: SynonymRule }),
      manage,
      validParams(IdParam),
      async (c) => c.json(await getSynonym(owner(c), c.req.valid('param').id)),
    )
    .put(
      '/search/synonyms/:id',
      doc({
        tags,
        summary: `Replace one of ${what} (kind, input and terms)`,
        description: SEMANTICS,
        ok: SynonymRule,
        errors: { 409: CONFLICT },
      }),
      manage,
      validParams(IdParam),
      validBody(SynonymRuleBody),
      async (c) =>
        c.json(await replaceSynonym(owner(c), actorOf(c), c.req.valid('param').id, c.req.valid('json'))),
    )
    .delete(
      '/search/synonyms/:id',
      doc({ tags, summary: `Remove one of ${what}`, status: 204 }),
      manage,
      validParams(IdParam),
      async (c) => {
        await deleteSynonym(owner(c), actorOf(c), c.req.valid('param').id);
        return c.body(null, 204);
      },
    );
}

const platformAdmin = requirePermission('platform.admin');
const searchManage = requirePermission('search.manage');

/** Catalog-wide search synonyms, kept by the supplier's staff (mounted under /v1/admin). */
export const adminSearchSynonymRoutes = ruleRoutes(
  'catalog',
  new Hono<AppEnv>().get(
    '/search/synonyms',
    doc({
      tags,
      summary: 'The catalog’s synonym rules, oldest first (`?term` filters)',
      description: '`term`: rules whose input or one of whose terms contains it, case and accents ignored.',
      ok: pageOf(SynonymRule),
    }),
    platformAdmin,
    validQuery(AdminSynonymQuery),
    async (c) => {
      const { limit, cursor, term } = c.req.valid('query');
      const after = decodeCursor(SynonymCursor, cursor);
      const rows = await listSynonyms(WHO.catalog.owner(c), {
        includeCatalog: false,
        term,
        after: after && { createdAt: after.c, id: after.i },
        limit: limit + 1,
      });
      return c.json(keysetPage(rows, limit, (last) => ({ c: last.createdAt, i: last.id })));
    },
  ),
  platformAdmin,
);

/** A company's own search synonyms, kept by its administrators (mounted under /v1/company). */
export const companySearchSynonymRoutes = ruleRoutes(
  'company',
  new Hono<AppEnv>().get(
    '/search/synonyms',
    doc({
      tags,
      summary: 'My company’s synonym rules, oldest first (`?include=catalog` adds the catalog’s, read-only)',
      description:
        '`include=catalog` lists the supplier’s catalog-wide rules too (`scope: "catalog"`), so an ' +
        'administrator sees what searches already map before adding a rule; only `scope: "company"` rules ' +
        'can be read one by one, replaced or removed here. `term`: rules whose input or one of whose terms ' +
        'contains it, case and accents ignored.',
      ok: pageOf(SynonymRule),
    }),
    searchManage,
    validQuery(CompanySynonymQuery),
    async (c) => {
      const { limit, cursor, term, include } = c.req.valid('query');
      const after = decodeCursor(SynonymCursor, cursor);
      const rows = await listSynonyms(WHO.company.owner(c), {
        includeCatalog: include === 'catalog',
        term,
        after: after && { createdAt: after.c, id: after.i },
        limit: limit + 1,
      });
      return c.json(keysetPage(rows, limit, (last) => ({ c: last.createdAt, i: last.id })));
    },
  ),
  searchManage,
);
