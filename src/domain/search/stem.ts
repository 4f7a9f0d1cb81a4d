import { stemmer as english } from '@orama/stemmers/english';
import { stemmer as french } from '@orama/stemmers/french';
import { stemmer as german } from '@orama/stemmers/german';

/**
 * Plural and singular (and a little more) through the Snowball stemmers of English, French and German
 * (@orama/stemmers: pure JavaScript, no I/O, runs in workerd). A document's words are stemmed in their own
 * language; a query's words in all three, since the buyer's language is not known from the query.
 */
const STEMMERS: Record<string, (word: string) => string> = { en: english, fr: french, de: german };

/** Languages a query is stemmed in. */
export const QUERY_LANGUAGES = ['en', 'fr', 'de'] as const;

/** The stem of a folded word in a language ("de-CH" → German); a word of another language stays as is. */
export function stemIn(locale: string, word: string): string {
  // digits are references and sizes, not words: "40" and "m8" have no plural
  if (word.length < 3 || /\d/.test(word)) return word;
  const stem = STEMMERS[locale.slice(0, 2).toLowerCase()];
  try {
    return stem ? stem(word) : word;
  } catch {
    return word;
  }
}

/** The distinct stems of a query word in every query language. */
export function queryStemsOf(word: string): string[] {
  const out = new Set<string>();
  for (const language of QUERY_LANGUAGES) out.add(stemIn(language, word));
  return [...out];
}
