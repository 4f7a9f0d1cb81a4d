import { catalogShape } from './demo-catalog';
import { GRADES, NOUNS, WORDS } from './demo-dictionary';
import { FIXED_TIME, type Row } from './demo-products';

/**
 * Product names in French and German (`product_names` rows) for the demo catalog's products, so buyers
 * can search in their language. Built from the word lists of demo-dictionary.ts, the way a supplier's
 * catalog writes them: the noun first, then the size, then the grade ("Vis à tête hexagonale DIN 933
 * M8x40 inox A2, boîte de 100"; "Sechskantschraube DIN 933 M8x40 Edelstahl A2, Packung mit 100").
 * No random stream: the rows depend on the product rows alone.
 */
type Locale = 'fr' | 'de';
const LOCALES: readonly Locale[] = ['fr', 'de'];

interface Noun {
  fr: string;
  frPlural: string;
  de: string;
  dePlural: string;
}

const frPlural = (word: string) => (/[sxz]$/.test(word) ? word : `${word}s`);
const dePlural = (word: string) =>
  /e$/.test(word) ? `${word}n` : /(el|er|en)$/.test(word) ? word : `${word}e`;

const NOUN = new Map<string, Noun>(
  NOUNS.map((line) => {
    const [en = '', fr = '', frP = '', de = '', deP = ''] = line.split('|');
    return [en, { fr, frPlural: frP || frPlural(fr), de, dePlural: deP || dePlural(de) }];
  }),
);
const triples = (lines: string[]) =>
  new Map(
    lines.map((line) => {
      const [en = '', fr = '', de = ''] = line.split('|');
      return [en, { fr, de }];
    }),
  );
const GRADE = triples(GRADES);
const WORD = triples(WORDS);
// longest first, so "clear anti-fog" wins over "clear"
const WORD_PATTERN = new RegExp(
  `(?<![\\w-])(${[...WORD.keys()]
    .sort((a, b) => b.length - a.length)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|')})(?![\\w-])`,
  'g',
);

const translateWords = (text: string, locale: Locale): string =>
  text.replace(WORD_PATTERN, (word) => WORD.get(word)?.[locale] ?? word);

function translateGrade(noun: string, grade: string, locale: Locale): string {
  const entry = GRADE.get(`${noun}>${grade}`) ?? GRADE.get(grade);
  // codes (FFP2, HSS-Co5, IP65, A1, NBR 70…) read the same in every language
  return entry ? entry[locale] : translateWords(grade, locale);
}

const PACKS: Record<Locale, Record<string, (n: string) => string>> = {
  fr: { box: (n) => `boîte de ${n}`, pack: (n) => `lot de ${n}`, reel: (n) => `touret de ${n} m` },
  de: { box: (n) => `Packung mit ${n}`, pack: (n) => `Pack mit ${n}`, reel: (n) => `Ring ${n} m` },
};

function translatePack(pack: string, locale: Locale): string {
  const match = /^(box|pack) of (\d+)$/.exec(pack) ?? /^(\d+) m (reel)$/.exec(pack);
  if (!match) return pack;
  const [, a = '', b = ''] = match;
  return a === 'box' || a === 'pack' ? (PACKS[locale][a]?.(b) ?? pack) : (PACKS[locale].reel?.(a) ?? pack);
}

// "Vis à bois" → "vis à bois" inside a sentence, but "LED" and "PVC" keep their capitals
const lowerFirst = (text: string): string =>
  /^\p{Lu}\p{Ll}/u.test(text) ? `${text.charAt(0).toLocaleLowerCase('fr')}${text.slice(1)}` : text;

const TAGLINE: Record<Locale, string> = {
  fr: 'Pour un usage professionnel et industriel.',
  de: 'Für Handwerk und Industrie.',
};

export function productNameRows(products: Row[]): Row[] {
  const families = new Map(catalogShape().families.map((f) => [f.family, f]));
  const rows: Row[] = [];
  for (const p of products) {
    const family = families.get(String(p.family));
    const noun = family ? NOUN.get(family.noun) : undefined;
    if (!family || !noun) continue;
    const attributes = JSON.parse(String(p.attributes)) as Record<string, unknown>;
    const grade = String(attributes[family.grades.key] ?? '');
    const brand = String(p.brand);
    // name = "<noun> <size and variant> <grade>[, <pack>][ – <brand> (series n)]"
    const [head = '', second] = String(p.name).split(' – ');
    const comma = head.indexOf(', ');
    const core = comma < 0 ? head : head.slice(0, comma);
    const pack = comma < 0 ? '' : head.slice(comma + 2);
    const sizeText = core.slice(family.noun.length + 1, core.length - grade.length - 1);
    const namesGrade = String(p.family).endsWith(` ${grade}`);
    for (const locale of LOCALES) {
      const gradeText = translateGrade(family.noun, grade, locale);
      const packText = pack ? `, ${translatePack(pack, locale)}` : '';
      const source = second ? ` – ${second.replace('series', locale === 'fr' ? 'série' : 'Serie')}` : '';
      const item = `${noun[locale]} ${translateWords(sizeText, locale)}`;
      const range = `${locale === 'fr' ? noun.frPlural : noun.dePlural}${namesGrade ? ` ${gradeText}` : ''}`;
      const lead = locale === 'fr' ? `${range} de ${brand} : ` : `${range} von ${brand}: `;
      rows.push({
        sku: p.sku ?? '',
        locale,
        name: `${item} ${gradeText}${packText}${source}`,
        description: `${lead}${locale === 'fr' ? lowerFirst(item) : item} ${gradeText}${packText}. ${TAGLINE[locale]}`,
        updated_at: FIXED_TIME,
      });
    }
  }
  return rows;
}
