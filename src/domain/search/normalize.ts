/**
 * Text as the index compares it: lower case, accents folded (NFD without combining marks), the letters NFD
 * leaves alone spelled out (ß → ss, æ → ae, œ → oe, ø → o, ł → l), French elisions dropped ("d'une" → "une").
 * The same folding runs over documents at build time and over queries, so "Tête" and "tete" meet.
 */

/** How many words of a query are looked at, and how long each may be: a 10,000-character query costs no more. */
export const MAX_QUERY_WORDS = 16;
export const MAX_WORD_CHARS = 64;
/** The characters of a query read at all (the words above fit in it, with separators). */
const MAX_QUERY_CHARS = MAX_QUERY_WORDS * (MAX_WORD_CHARS + 8);

const SPELLED: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};
// anything but printable ASCII (a backtick is an apostrophe too)
const NON_ASCII_RE = /[^ -_a-~]/;
const SPELLED_RE = /[ßæœøłđðþı]/g;
// combining marks after NFD, and apostrophes of every kind (folded to one so elisions are found)
const MARKS_RE = /[\u0300-\u036f]/g;
const APOSTROPHES_RE = /[\u2018\u2019\u02bc\u00b4`]/g;
// "l'", "d'", "qu'", "j'" ... before a word: the word alone is what a buyer searches
const ELISION_RE = /(^|[^a-z0-9])(?:[cdjlmnst]|qu)'(?=[a-z])/g;
// a token: letters and digits, with inner dots or commas between digits ("3.0x12", "10.9", "1,5")
const TOKEN_RE = /[a-z0-9]+(?:[.,][0-9][a-z0-9]*)*/g;
// a dimension "8x40" or "m8x40": its parts are words too ("bolt m8" finds "M8x40")
const DIMENSION_SPLIT_RE = /(?<=\d)x(?=\d)/;

/** Lower case, accents and special letters folded; anything that is not a letter or digit stays as is. */
export function foldText(text: string): string {
  // most catalog text is plain ASCII: lower case is all it needs
  if (!NON_ASCII_RE.test(text)) return text.toLowerCase();
  return text
    .normalize('NFD')
    .replace(MARKS_RE, '')
    .toLowerCase()
    .replace(SPELLED_RE, (c) => SPELLED[c] ?? c)
    .replace(APOSTROPHES_RE, "'");
}

/** The words of a text, folded, in order (decimal commas become dots: "1,5" = "1.5"). */
export function wordsOf(text: string): string[] {
  let folded = foldText(text);
  if (folded.includes("'")) folded = folded.replace(ELISION_RE, '$1');
  const out = folded.match(TOKEN_RE) ?? [];
  for (let i = 0; i < out.length; i++) {
    const word = out[i] ?? '';
    if (word.includes(',')) out[i] = word.replace(/,/g, '.');
  }
  return out;
}

/** The pieces a compound word is also indexed under: "m8x40" → "m8", "40"; "3.0x12" → "3.0", "12". */
export function piecesOf(word: string): string[] {
  if (!/\d/.test(word)) return [];
  const pieces = word.split(DIMENSION_SPLIT_RE).filter((p) => p.length > 0);
  return pieces.length > 1 ? pieces : [];
}

/** Every term a text is indexed under: its words and the pieces of its compound words. */
export function termsOf(text: string): string[] {
  const out: string[] = [];
  for (const word of wordsOf(text)) {
    if (word.length > MAX_WORD_CHARS) continue;
    out.push(word);
    for (const piece of piecesOf(word)) out.push(piece);
  }
  return out;
}

/**
 * The words of a query, bounded: the first MAX_QUERY_CHARS characters (lone surrogates and emoji fall out
 * as separators), at most MAX_QUERY_WORDS words of at most MAX_WORD_CHARS characters each.
 */
export function queryWordsOf(q: string): string[] {
  const text = typeof q === 'string' ? q.slice(0, MAX_QUERY_CHARS) : '';
  // toWellFormed is not everywhere yet: a lone surrogate becomes a space before NFD sees it
  const wellFormed = text.replace(
    /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    ' ',
  );
  return wordsOf(wellFormed)
    .filter((w) => w.length <= MAX_WORD_CHARS)
    .slice(0, MAX_QUERY_WORDS);
}

/** A word made of letters only: the ones typo tolerance applies to (a typo in "M8" or "40" is another product). */
export const isAlphabetic = (word: string): boolean => /^[a-z]+$/.test(word);
