/**
 * The rules of search synonyms (docs/api.md, "Search synonyms"): what a term may hold, when two terms are
 * the same, and how many rules an owner keeps. Pure, shared by the request schemas and the service.
 */

export const SYNONYM_KINDS = ['equivalent', 'one_way'] as const;
export type SynonymKind = (typeof SYNONYM_KINDS)[number];

export const MAX_TERM_CHARS = 60;
export const MAX_TERMS_PER_RULE = 20;
/** rules one company keeps for itself */
export const MAX_COMPANY_RULES = 1_000;
/** rules the supplier keeps for the whole catalog */
export const MAX_CATALOG_RULES = 5_000;

/**
 * Letters (with their accents), digits, spaces and the punctuation trade words use: "M8x40", "1/2",
 * "d'écrou", "B&Q", "A2-70", "8.8", "×". Nothing a search engine or a CSV export reads as syntax.
 */
// `*`: an empty term is refused by its length alone, with one message
export const TERM_CHARACTERS = /^[\p{L}\p{M}\p{N} .\-/'’&+×]*$/u;
export const TERM_CHARACTERS_TEXT = "letters, digits, spaces and - . / ' & + × only";

/** Spaces as typed collapse to one: "vis   TH " is "vis TH". */
export const collapseSpaces = (term: string): string => term.replace(/\s+/gu, ' ').trim();

/**
 * The form two terms are compared in: case, accents and spacing do not count ("Inox", "inox", "İNOX"
 * compare equal; "tête" = "tete"; "Straße" = "strasse"; "’" = "'").
 */
export function foldTerm(term: string): string {
  return collapseSpaces(term)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replaceAll('ß', 'ss')
    .replaceAll('’', "'");
}

/** An equivalent rule is its set of terms: the same terms in another order are the same rule. */
export const equivalentKey = (terms: readonly string[]): string =>
  [...new Set(terms.map(foldTerm))].sort().join('\u0000');

/** Every term that repeats an earlier one of the same list (compared folded), with the earlier one's index. */
export function repeatedTerms(terms: readonly string[]): { index: number; sameAs: number }[] {
  const seen = new Map<string, number>();
  const repeats: { index: number; sameAs: number }[] = [];
  for (const [index, term] of terms.entries()) {
    const key = foldTerm(term);
    const earlier = seen.get(key);
    if (earlier === undefined) seen.set(key, index);
    else repeats.push({ index, sameAs: earlier });
  }
  return repeats;
}
