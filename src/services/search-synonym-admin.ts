import type { Database } from '../db/client';
import {
  countRulesOwnedBy,
  deleteSynonymRow,
  getSynonymRow,
  insertSynonymRow,
  listSynonymRows,
  replaceSynonymRow,
  rulesOwnedBy,
  type SynonymRow,
} from '../db/queries/search-synonyms';
import { AppError, notFound } from '../domain/errors';
import {
  equivalentKey,
  foldTerm,
  MAX_CATALOG_RULES,
  MAX_COMPANY_RULES,
  type SynonymKind,
} from '../domain/search-synonyms';
import { newId } from '../lib/ids';
import { type Actor, auditInsert } from './audit';
import { forgetSynonyms } from './search-synonyms';

/**
 * Writing search synonyms (docs/api.md, "Search synonyms"): the supplier's catalog-wide rules (owner null)
 * or one company's. The shape of a rule (kind, 1–20 distinct terms, characters) is the request schema's;
 * here: a rule that repeats another of the same owner (409), the owner's limit (422), the audit trail, and
 * this isolate's cache, forgotten at once. The repeat and limit checks read before the write (D1 has no
 * interactive transactions): two writes racing may both pass them, which costs a duplicate rule or one rule
 * over the limit, never a wrong search; the next write is checked against both.
 */
export interface SynonymOwner {
  db: Database;
  /** null: the supplier's catalog-wide rules */
  companyId: string | null;
}

export interface SynonymInput {
  kind: SynonymKind;
  input?: string | null;
  terms: string[];
}

export const presentSynonym = ({ companyId, ...row }: SynonymRow) => ({
  id: row.id,
  scope: companyId === null ? ('catalog' as const) : ('company' as const),
  kind: row.kind,
  input: row.input,
  terms: row.terms,
  createdBy: row.createdBy,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

const describe = (rule: Pick<SynonymRow, 'kind' | 'input' | 'terms'>): string =>
  rule.kind === 'equivalent'
    ? `equivalent ${rule.terms.join(' = ')}`
    : `one_way ${rule.input ?? ''} → ${rule.terms.join(', ')}`;

const normalised = (input: SynonymInput) => ({
  kind: input.kind,
  input: input.kind === 'one_way' ? (input.input ?? null) : null,
  terms: input.terms,
});

/** The rule of the same owner this one would repeat: the same set of terms, or the same one-way input. */
async function repeatOf(owner: SynonymOwner, rule: ReturnType<typeof normalised>, exceptId?: string) {
  const rows = await rulesOwnedBy(owner.db, owner.companyId);
  const key = rule.kind === 'equivalent' ? equivalentKey(rule.terms) : foldTerm(rule.input ?? '');
  const same = rows.find(
    (row) =>
      row.id !== exceptId &&
      row.kind === rule.kind &&
      (row.kind === 'equivalent' ? equivalentKey(row.terms) : foldTerm(row.input ?? '')) === key,
  );
  if (!same) return;
  const [path, what] =
    rule.kind === 'equivalent' ? ['terms', 'the same terms'] : ['input', `the same input "${rule.input}"`];
  throw new AppError('conflict', `Rule ${same.id} already has ${what}; change that rule instead`, [
    { in: 'body', path, message: `${what} as rule ${same.id}` },
  ]);
}

async function withinLimit(owner: SynonymOwner) {
  const max = owner.companyId === null ? MAX_CATALOG_RULES : MAX_COMPANY_RULES;
  if ((await countRulesOwnedBy(owner.db, owner.companyId)) < max) return;
  const whose = owner.companyId === null ? 'The catalog' : 'A company';
  throw new AppError(
    'unprocessable',
    `${whose} keeps at most ${max.toLocaleString('en')} synonym rules; remove one before adding another`,
  );
}

export async function getSynonym(owner: SynonymOwner, id: string) {
  const row = await getSynonymRow(owner.db, owner.companyId, id);
  if (!row) throw notFound('Synonym rule');
  return presentSynonym(row);
}

const SCAN_ROWS = 500;

export interface SynonymListQuery {
  includeCatalog: boolean;
  /** rules whose input or one of whose terms contains this (case, accents and spacing ignored) */
  term?: string;
  after?: { createdAt: number; id: string };
  /** rows wanted: the page's size plus one, which says that more exist */
  limit: number;
}

/** Oldest first. With a term, reads the owner's rules a slice at a time until the page is full. */
export async function listSynonyms(owner: SynonymOwner, q: SynonymListQuery) {
  const page = { companyId: owner.companyId, includeCatalog: q.includeCatalog };
  if (q.term === undefined)
    return (await listSynonymRows(owner.db, { ...page, after: q.after, limit: q.limit })).map(presentSynonym);
  const needle = foldTerm(q.term);
  const found: SynonymRow[] = [];
  let after = q.after;
  for (;;) {
    const rows = await listSynonymRows(owner.db, { ...page, after, limit: SCAN_ROWS });
    for (const row of rows) {
      if ([row.input ?? '', ...row.terms].some((t) => foldTerm(t).includes(needle))) found.push(row);
      if (found.length >= q.limit) return found.map(presentSynonym);
    }
    const last = rows.at(-1);
    if (rows.length < SCAN_ROWS || !last) return found.map(presentSynonym);
    after = { createdAt: last.createdAt, id: last.id };
  }
}

export async function createSynonym(owner: SynonymOwner, actor: Actor, input: SynonymInput) {
  const rule = normalised(input);
  await repeatOf(owner, rule);
  await withinLimit(owner);
  const id = newId('syn');
  await owner.db.batch([
    insertSynonymRow(owner.db, {
      id,
      companyId: owner.companyId,
      ...rule,
      createdBy: actor.principal.id,
      createdAt: actor.now,
      updatedAt: actor.now,
    }),
    auditInsert(owner.db, actor, {
      companyId: owner.companyId,
      action: 'search_synonym.create',
      targetType: 'search_synonym',
      targetId: id,
      summary: `Added ${describe(rule)}`,
    }),
  ]);
  forgetSynonyms(owner.companyId);
  return getSynonym(owner, id);
}

export async function replaceSynonym(owner: SynonymOwner, actor: Actor, id: string, input: SynonymInput) {
  const before = await getSynonymRow(owner.db, owner.companyId, id);
  if (!before) throw notFound('Synonym rule');
  const rule = normalised(input);
  await repeatOf(owner, rule, id);
  await owner.db.batch([
    replaceSynonymRow(owner.db, owner.companyId, id, { ...rule, updatedAt: actor.now }),
    auditInsert(owner.db, actor, {
      companyId: owner.companyId,
      action: 'search_synonym.replace',
      targetType: 'search_synonym',
      targetId: id,
      summary: `Changed ${describe(before)} to ${describe(rule)}`,
    }),
  ]);
  forgetSynonyms(owner.companyId);
  return getSynonym(owner, id);
}

export async function deleteSynonym(owner: SynonymOwner, actor: Actor, id: string) {
  const before = await getSynonymRow(owner.db, owner.companyId, id);
  if (!before) throw notFound('Synonym rule');
  await owner.db.batch([
    deleteSynonymRow(owner.db, owner.companyId, id),
    auditInsert(owner.db, actor, {
      companyId: owner.companyId,
      action: 'search_synonym.delete',
      targetType: 'search_synonym',
      targetId: id,
      summary: `Removed ${describe(before)}`,
    }),
  ]);
  forgetSynonyms(owner.companyId);
}
