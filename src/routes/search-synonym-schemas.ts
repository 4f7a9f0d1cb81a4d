import * as v from 'valibot';
import {
  collapseSpaces,
  foldTerm,
  MAX_TERM_CHARS,
  MAX_TERMS_PER_RULE,
  repeatedTerms,
  SYNONYM_KINDS,
  TERM_CHARACTERS,
  TERM_CHARACTERS_TEXT,
} from '../domain/search-synonyms';
import { PageParams } from '../http/paging';
import { withoutControlCharacters } from './schemas';

/**
 * A term or one-way input: control characters refused first (before spaces collapse, so a tab or line break
 * is named, not quietly turned into a space), then spaces collapsed, then bounded and limited to the
 * characters trade words use.
 */
const Term = v.pipe(
  v.string(),
  withoutControlCharacters(),
  v.transform(collapseSpaces),
  v.minLength(1, 'must not be empty'),
  v.maxLength(MAX_TERM_CHARS, `at most ${MAX_TERM_CHARS} characters`),
  v.regex(TERM_CHARACTERS, TERM_CHARACTERS_TEXT),
);

const Kind = v.picklist(SYNONYM_KINDS, 'equivalent or one_way');

type RuleShape = { kind: (typeof SYNONYM_KINDS)[number]; input?: string | null; terms: string[] };

const at = (
  input: RuleShape,
  key: 'kind' | 'input' | 'terms',
  index?: number,
): [v.IssuePathItem, ...v.IssuePathItem[]] => {
  const field: v.IssuePathItem = { type: 'object', origin: 'value', input, key, value: input[key] };
  if (index === undefined) return [field];
  return [
    field,
    { type: 'array', origin: 'value', input: input.terms, key: index, value: input.terms[index] },
  ];
};

/** What depends on the kind: how many terms, whether there is an input, and no term said twice. */
const kindRules = v.rawCheck<RuleShape>(({ dataset, addIssue }) => {
  if (!dataset.typed) return;
  const rule = dataset.value;
  const terms = rule.terms;
  if (rule.kind === 'equivalent') {
    if (rule.input != null)
      addIssue({ message: 'only one_way rules take an input', path: at(rule, 'input') });
    if (terms.length < 2)
      addIssue({ message: 'an equivalent rule names at least 2 terms', path: at(rule, 'terms') });
  } else if (rule.input == null) {
    addIssue({ message: 'a one_way rule names the input it expands', path: at(rule, 'input') });
  } else {
    const input = foldTerm(rule.input);
    const same = terms.findIndex((t) => foldTerm(t) === input);
    if (same >= 0)
      addIssue({
        message: `the input is also terms.${same}: a rule cannot expand a word to itself`,
        path: at(rule, 'input'),
      });
  }
  for (const { index, sameAs } of repeatedTerms(terms))
    addIssue({
      message: `the same term as terms.${sameAs} (case and accents do not count)`,
      path: at(rule, 'terms', index),
    });
});

/** The body of POST and PUT: a whole rule. */
export const SynonymRuleBody = v.pipe(
  v.strictObject({
    kind: Kind,
    input: v.optional(v.nullable(Term)),
    terms: v.pipe(
      v.array(Term),
      v.minLength(1, 'at least 1 term'),
      v.maxLength(MAX_TERMS_PER_RULE, `at most ${MAX_TERMS_PER_RULE} terms`),
    ),
  }),
  kindRules,
);

export const SynonymRule = v.object({
  id: v.string(),
  /** catalog: the supplier's, for every company; company: the company's own */
  scope: v.picklist(['catalog', 'company']),
  kind: Kind,
  input: v.nullable(v.string()),
  terms: v.array(v.string()),
  createdBy: v.string(),
  createdAt: v.number(),
  updatedAt: v.number(),
});

const TermFilter = v.optional(
  v.pipe(
    v.string(),
    withoutControlCharacters(),
    v.transform(collapseSpaces),
    v.minLength(1, 'must not be empty'),
    v.maxLength(MAX_TERM_CHARS),
  ),
);

export const AdminSynonymQuery = v.strictObject({ term: TermFilter, ...PageParams });

export const CompanySynonymQuery = v.strictObject({
  term: TermFilter,
  include: v.optional(v.picklist(['catalog'], 'catalog (the supplier’s rules, read-only) or absent')),
  ...PageParams,
});

export const SynonymCursor = v.object({ c: v.number(), i: v.string() });
