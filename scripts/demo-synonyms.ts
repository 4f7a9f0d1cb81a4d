import { FIXED_TIME, type Row } from './demo-products';

type Rule = [kind: 'equivalent', terms: string[]] | [kind: 'one_way', input: string, terms: string[]];

/**
 * The supplier's catalog-wide rules, in the demo catalog's words (scripts/demo-tree-*.ts) and its buyers'
 * (French, German, British trade words). True to the trade: A2 and A4 are different stainless grades
 * (AISI 304 and 316), so neither is a synonym of "stainless" (which finds both) nor of the other.
 */
// biome-ignore format: one rule per line reads as a table
const CATALOG: Rule[] = [
  ['equivalent', ['stainless', 'inox', 'Edelstahl', 'rostfrei', 'acier inoxydable']],
  ['equivalent', ['A2', 'V2A', 'AISI 304', '1.4301', '18/8']],
  ['equivalent', ['A4', 'V4A', 'AISI 316', '1.4401', 'marine grade']],
  ['equivalent', ['galvanised', 'galvanized', 'verzinkt', 'galvanisé']],
  ['one_way', 'VIS TH', ['vis à tête hexagonale', 'hex bolt']],
  ['one_way', 'CHC', ['vis à tête cylindrique hexagonale creuse', 'socket cap screw']],
  ['one_way', 'FHC', ['vis à tête fraisée hexagonale creuse', 'countersunk screw']],
  ['one_way', 'Sechskantschraube', ['hex bolt']],
  ['one_way', 'Sechskantmutter', ['hex nut']],
  ['one_way', 'Gewindestange', ['threaded rod']],
  ['one_way', 'Unterlegscheibe', ['flat washer']],
  ['one_way', 'Innensechskantschraube', ['socket cap screw']],
  ['equivalent', ['socket cap screw', 'allen screw', 'allen bolt', 'SHCS']],
  ['equivalent', ['allen key', 'hex key', 'allen wrench']],
  ['equivalent', ['spanner', 'wrench']],
  ['equivalent', ['nyloc nut', 'nylstop', 'self-locking nut']],
  ['one_way', 'grower', ['spring washer']],
  ['equivalent', ['wall plug', 'rawlplug', 'cheville']],
  ['equivalent', ['cable tie', 'zip tie', 'tie wrap', 'collier rilsan']],
  ['one_way', 'Wago', ['lever connector']],
  ['equivalent', ['ferrule', 'bootlace ferrule', 'wire end ferrule', 'Aderendhülse']],
  ['equivalent', ['PTFE tape', "plumber's tape", 'teflon tape', 'thread seal tape']],
  ['one_way', 'joint torique', ['O-ring']],
  ['equivalent', ['water pump pliers', 'groove-joint pliers', 'channellock']],
  ['equivalent', ['diagonal cutter', 'side cutter', 'pince coupante']],
  ['equivalent', ['angle grinder', 'disc grinder', 'meuleuse']],
  ['one_way', 'Flex', ['angle grinder']],
  ['equivalent', ['reciprocating saw', 'sabre saw', 'sawzall']],
  ['equivalent', ['twist drill', 'drill bit', 'jobber drill', 'foret']],
  ['equivalent', ['cordless', 'battery powered', 'Akku', 'sans fil']],
  ['equivalent', ['cyanoacrylate adhesive', 'superglue', 'super glue']],
  ['one_way', 'Loctite', ['threadlocker', 'retaining compound']],
  ['equivalent', ['polyurethane foam', 'PU foam', 'expanding foam', 'mousse expansive']],
  ['equivalent', ['pallet truck', 'pallet jack', 'transpalette', 'Hubwagen']],
  ['equivalent', ['hand truck', 'sack truck', 'diable']],
  ['equivalent', ['ratchet strap', 'tie-down strap', 'sangle à cliquet', 'Spanngurt']],
  ['one_way', 'pallet wrap', ['stretch film']],
  ['one_way', 'blue roll', ['industrial paper roll']],
  ['equivalent', ['safety helmet', 'hard hat', 'casque de chantier', 'Schutzhelm']],
  ['equivalent', ['hi-vis', 'high visibility', 'haute visibilité', 'Warnschutz']],
];

/** Acme's own words: its shop-floor abbreviations and the groupings its buyers search by. */
// biome-ignore format: one rule per line reads as a table
const ACME: Rule[] = [
  ['one_way', 'EPI', ['safety glasses', 'safety helmet', 'ear plug', 'cut-resistant glove', 'hi-vis vest']],
  ['one_way', 'boulonnerie', ['hex bolt', 'hex nut', 'flat washer', 'threaded rod']],
  ['one_way', 'consommables meulage', ['cutting disc', 'grinding disc', 'flap disc']],
  ['one_way', 'scotch', ['duct tape', 'masking tape', 'packing tape']],
  ['one_way', 'visserie inox', ['A2 stainless', 'A4 stainless']],
];

const rowsOf = (rules: Rule[], owner: { companyId: string | null; idPrefix: string; createdBy: string }) =>
  rules.map((rule, i): Row => {
    const [kind, input, terms] = rule[0] === 'one_way' ? rule : [rule[0], null, rule[1]];
    const at = FIXED_TIME + i;
    return {
      id: `${owner.idPrefix}_${String(i + 1).padStart(2, '0')}`,
      company_id: owner.companyId,
      kind,
      input,
      terms: JSON.stringify(terms),
      created_by: owner.createdBy,
      created_at: at,
      updated_at: at,
    };
  });

/** The supplier's catalog-wide search synonyms and a demo company's own (`search_synonyms` rows). */
export function synonymRows(): Row[] {
  return [
    ...rowsOf(CATALOG, { companyId: null, idPrefix: 'syn_catalog', createdBy: 'usr_ops' }),
    ...rowsOf(ACME, { companyId: 'co_acme', idPrefix: 'syn_acme', createdBy: 'usr_acme_admin' }),
  ];
}
