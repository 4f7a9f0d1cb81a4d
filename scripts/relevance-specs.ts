import type { SearchDoc } from '../src/domain/search/types';

/**
 * The text queries of the relevance set, hand-written: what a buyer types, and which products answer it,
 * said by their data (family, grade, size…). relevance-set.ts turns `where` into SKUs over the catalog.
 */
export interface Spec {
  kind: string;
  query: string;
  note: string;
  where: (d: SearchDoc) => boolean;
}
type Where = Spec['where'];
type Value = string | number;

/** the family starts with one of these ("Hex bolts DIN 933" covers its four grades) */
const fam =
  (...prefixes: string[]): Where =>
  (d) =>
    prefixes.some((p) => d.family.startsWith(p));
/** an attribute has one of these values */
const is =
  (key: string, ...values: Value[]): Where =>
  (d) => {
    const v = d.attributes[key];
    return v !== undefined && typeof v !== 'boolean' && values.includes(v);
  };
const and =
  (...all: Where[]): Where =>
  (d) =>
    all.every((w) => w(d));

const HEX_BOLTS = fam('Hex bolts DIN 933', 'Hex bolts DIN 931');
const STAINLESS = is('material', 'A2 stainless', 'A4 stainless');
const s = (kind: string, query: string, note: string, where: Where): Spec => ({ kind, query, note, where });

// biome-ignore format: one query per line reads as a table
export const TEXT_SPECS: Spec[] = [
  // English names
  s('name_en', 'angle grinder 125 mm', 'every 125 mm angle grinder', and(fam('Angle grinders'), is('size', '125 mm'))),
  s('name_en', 'cordless drill driver', 'the range', fam('Cordless drill drivers')),
  s('name_en', 'torque wrench', 'the range', fam('Torque wrenches')),
  s('name_en', 'spirit level 60 cm', 'both profiles', and(fam('Spirit levels'), is('size', '60 cm'))),
  s('name_en', 'safety helmet', 'the range', fam('Safety helmets')),
  s('name_en', 'silicone sealant', 'three families', fam('Silicone sealants')),
  s('name_en', 'ratchet strap', 'the range', fam('Ratchet straps')),
  s('name_en', 'pallet truck 2500 kg', 'manual and low-profile', and(fam('Pallet trucks'), is('size', '2500 kg'))),
  s('name_en', 'LED floodlight 50 W', 'with and without sensor', and(fam('LED floodlights'), is('size', '50 W'))),
  s('name_en', 'threaded rod M10', 'every grade and length', and(fam('Threaded rods'), is('size', 'M10'))),
  s('name_en', 'hole saw 68', 'a diameter', and(fam('Bi-metal hole saws'), is('diameterMm', 68))),
  s('name_en', 'duct tape', 'the range', fam('Duct tapes')),
  s('name_en', 'stretch film', 'the range', fam('Stretch film')),
  s('name_en', 'copper press fitting 22 mm elbow', 'both elbows, both metals', and(fam('Copper press fittings'), is('size', '22 mm'), is('type', 'elbow 90°', 'elbow 45°'))),
  s('name_en', 'vernier caliper', 'the range', fam('Calipers')),
  s('name_en', 'impact driver 18 V', 'every kit', and(fam('Impact drivers'), is('size', '18 V'))),
  s('name_en', 'jigsaw blade T101B', 'for wood, metal, laminate', and(fam('Jigsaw blades'), is('size', 'T101B'))),
  s('name_en', 'wire cup brush', 'the range', fam('Cup brushes')),
  s('name_en', 'bump cap', 'the range', fam('Bump caps')),
  s('name_en', 'soap dispenser', 'the range', fam('Soap dispensers')),
  // French names (accents, case)
  s('name_fr', 'vis à tête hexagonale M8x40', 'DIN 933 and 931', and(HEX_BOLTS, is('size', 'M8'), is('lengthMm', 40))),
  s('name_fr', 'écrou hexagonal M10', 'DIN 934', and(fam('Hex nuts DIN 934'), is('size', 'M10'))),
  s('name_fr', 'ECROU HEXAGONAL m10', 'no accent, upper case', and(fam('Hex nuts DIN 934'), is('size', 'M10'))),
  s('name_fr', 'clé dynamométrique', 'torque wrenches', fam('Torque wrenches')),
  s('name_fr', 'cle dynamometrique', 'without accents', fam('Torque wrenches')),
  s('name_fr', "meuleuse d'angle 125 mm", 'angle grinders', and(fam('Angle grinders'), is('size', '125 mm'))),
  s('name_fr', 'perceuse-visseuse sans fil 18 V', 'cordless drill drivers', and(fam('Cordless drill drivers'), is('size', '18 V'))),
  s('name_fr', 'disque à tronçonner 125x1.0 inox', 'cutting discs', and(fam('Cutting discs inox'), is('size', '125x1.0'))),
  s('name_fr', 'cheville nylon 8x40', 'wall plugs, both kinds', and(fam('Nylon wall plugs'), is('size', 8), is('lengthMm', 40))),
  s('name_fr', 'niveau à bulle 60 cm', 'spirit levels', and(fam('Spirit levels'), is('size', '60 cm'))),
  s('name_fr', 'mètre ruban 5 m', 'tape measures', and(fam('Tape measures'), is('size', '5 m'))),
  s('name_fr', 'collier de serrage 4.8x300', 'cable ties', and(fam('Cable ties'), is('size', '4.8x300'))),
  s('name_fr', 'vanne à bille 1/2"', 'ball valves', and(fam('Ball valves'), is('size', '1/2"'))),
  s('name_fr', 'mastic silicone blanc', 'white silicone sealants', and(fam('Silicone sealants'), is('colour', 'white'))),
  s('name_fr', 'casque de chantier jaune', 'yellow helmets', and(fam('Safety helmets'), is('size', 'yellow'))),
  s('name_fr', 'gaine thermorétractable 6.4 mm', 'heat shrink', and(fam('Heat shrink tubing'), is('size', '6.4 mm'))),
  // German names (umlauts, ß, compounds)
  s('name_de', 'Sechskantschraube M8x40', 'DIN 933 and 931', and(HEX_BOLTS, is('size', 'M8'), is('lengthMm', 40))),
  s('name_de', 'Sechskantmutter M10', 'DIN 934', and(fam('Hex nuts DIN 934'), is('size', 'M10'))),
  s('name_de', 'Winkelschleifer 125 mm', 'angle grinders', and(fam('Angle grinders'), is('size', '125 mm'))),
  s('name_de', 'Akku-Bohrschrauber 18 V', 'cordless drill drivers', and(fam('Cordless drill drivers'), is('size', '18 V'))),
  s('name_de', 'akku bohrschrauber 18 v', 'hyphen as a space, lower case', and(fam('Cordless drill drivers'), is('size', '18 V'))),
  s('name_de', 'Drehmomentschlüssel', 'torque wrenches', fam('Torque wrenches')),
  s('name_de', 'Wasserwaage 100 cm', 'spirit levels', and(fam('Spirit levels'), is('size', '100 cm'))),
  s('name_de', 'Kabelbinder 4.8x300', 'cable ties', and(fam('Cable ties'), is('size', '4.8x300'))),
  s('name_de', 'Kugelhahn 1/2"', 'ball valves', and(fam('Ball valves'), is('size', '1/2"'))),
  s('name_de', 'Schutzhelm gelb', 'yellow helmets', and(fam('Safety helmets'), is('size', 'yellow'))),
  s('name_de', 'Trennscheibe 125x1.0 Inox', 'cutting discs', and(fam('Cutting discs inox'), is('size', '125x1.0'))),
  s('name_de', 'Einweg-Atemschutzmaske FFP2', 'disposable respirators', fam('Disposable respirators FFP2')),
  s('name_de', 'Gewindestange M10 Edelstahl A2', 'threaded rods', and(fam('Threaded rods'), is('size', 'M10'), is('material', 'A2 stainless'))),
  s('name_de', 'Bandmaß 5 m', 'tape measures, ß', and(fam('Tape measures'), is('size', '5 m'))),
  s('name_de', 'bandmass 5 m', 'ß written ss', and(fam('Tape measures'), is('size', '5 m'))),
  s('name_de', 'Sicherheitsschuh S3 42', 'safety shoes', and(fam('Safety shoes'), is('size', 42))),
  // typos: one edit (a swap of neighbours counts as one) from 4 letters, two from 8
  s('typo', 'hex blot m8x40', 'bolt → blot (swap)', and(HEX_BOLTS, is('size', 'M8'), is('lengthMm', 40))),
  s('typo', 'sokcet cap screw m6x20', 'socket → sokcet (swap)', and(fam('Socket cap screws'), is('size', 'M6'), is('lengthMm', 20))),
  s('typo', 'angel grinder 125 mm', 'angle → angel (swap)', and(fam('Angle grinders'), is('size', '125 mm'))),
  s('typo', 'cordles drill driver', 'cordless → cordles (one letter less)', fam('Cordless drill drivers')),
  s('typo', 'torx scredriver t20', 'screwdriver → scredriver', and(fam('Torx screwdrivers'), is('size', 'T20'))),
  s('typo', 'torx scrwdrivr t20', 'screwdriver → scrwdrivr (two edits, 11 letters)', and(fam('Torx screwdrivers'), is('size', 'T20'))),
  s('typo', 'polyuretane foam', 'polyurethane → polyuretane (two edits)', fam('Polyurethane foams')),
  s('typo', 'industrial degresar', 'degreaser → degresar (two edits, 9 letters)', fam('Industrial degreasers')),
  s('typo', 'threadloker', 'threadlocker → threadloker', fam('Threadlockers')),
  s('typo', 'respirator fliter', 'filter → fliter (swap)', fam('Respirator filters')),
  s('typo', 'safety helmte', 'helmet → helmte (swap)', fam('Safety helmets')),
  s('typo', 'cabel tie 4.8x300', 'cable → cabel (swap)', and(fam('Cable ties'), is('size', '4.8x300'))),
  s('typo', 'tape meaure 5 m', 'measure → meaure', and(fam('Tape measures'), is('size', '5 m'))),
  s('typo', 'circualr saw', 'circular → circualr (swap)', fam('Circular saws')),
  s('typo', 'ratchet stap', 'strap → stap', fam('Ratchet straps')),
  s('typo', 'clé dynamometrque', 'French, one letter less', fam('Torque wrenches')),
  s('typo', 'Winkelschleiffer 125 mm', 'German, one letter more', and(fam('Angle grinders'), is('size', '125 mm'))),
  s('typo', 'Sechskantshraube M8x40', 'German, one letter less', and(HEX_BOLTS, is('size', 'M8'), is('lengthMm', 40))),
  // plural and singular in three languages
  s('plural', 'hex bolts m10x50', 'English plural', and(HEX_BOLTS, is('size', 'M10'), is('lengthMm', 50))),
  s('plural', 'wood screws 4.0x40', 'English plural', and(fam('Wood screws'), is('size', 4), is('lengthMm', 40))),
  s('plural', 'cable ties 4.8x300', 'English plural', and(fam('Cable ties'), is('size', '4.8x300'))),
  s('plural', 'ear muffs', 'English plural', fam('Ear muffs')),
  s('plural', 'work trousers navy', 'English plural', and(fam('Work trousers'), is('colour', 'navy'))),
  s('plural', 'nitrile gloves L', 'English plural', and(fam('Disposable nitrile gloves'), is('size', 'L'))),
  s('plural', 'boulons hexagonaux M12x60', 'French plural (names say "vis à tête hexagonale")', and(HEX_BOLTS, is('size', 'M12'), is('lengthMm', 60))),
  s('plural', 'boulon hexagonal M12x60', 'French singular of the range name', and(HEX_BOLTS, is('size', 'M12'), is('lengthMm', 60))),
  s('plural', 'écrous hexagonaux M10', 'French plural', and(fam('Hex nuts DIN 934'), is('size', 'M10'))),
  s('plural', 'chevilles nylon 8x40', 'French plural', and(fam('Nylon wall plugs'), is('size', 8), is('lengthMm', 40))),
  s('plural', 'gants nitrile jetables L', 'French plural', and(fam('Disposable nitrile gloves'), is('size', 'L'))),
  s('plural', 'rondelles plates 8.4 inox', 'French plural', and(fam('Flat washers'), is('size', 8.4), STAINLESS)),
  s('plural', 'Sechskantmuttern M10', 'German plural', and(fam('Hex nuts DIN 934'), is('size', 'M10'))),
  s('plural', 'Unterlegscheiben 8.4', 'German plural', and(fam('Flat washers'), is('size', 8.4))),
  s('plural', 'Schutzhelme gelb', 'German plural', and(fam('Safety helmets'), is('size', 'yellow'))),
  s('plural', 'Trennscheiben 125x1.0 Stahl', 'German plural', and(fam('Cutting discs steel'), is('size', '125x1.0'))),
  // synonyms and abbreviations (the set's own rules, see relevance-set.ts)
  s('synonym', 'inox hex nut m10', 'inox = stainless', and(fam('Hex nuts DIN 934'), is('size', 'M10'), STAINLESS)),
  s('synonym', 'stainless cutting disc 125x1.0', 'stainless = inox (a grade of cutting discs)', and(fam('Cutting discs inox'), is('size', '125x1.0'))),
  s('synonym', 'combination wrench 13 mm', 'wrench = spanner', and(fam('Combination spanners'), is('size', '13 mm'))),
  s('synonym', 'VIS TH M8x40', 'VIS TH → vis à tête hexagonale', and(HEX_BOLTS, is('size', 'M8'), is('lengthMm', 40))),
  s('synonym', 'vis th m10x30 inox a2', 'VIS TH and inox', and(fam('Hex bolts DIN 933 A2'), is('size', 'M10'), is('lengthMm', 30))),
  s('synonym', 'zip tie 4.8x300', 'zip tie → cable tie', and(fam('Cable ties'), is('size', '4.8x300'))),
  s('synonym', 'allen screw m6x20', 'allen → socket cap', and(fam('Socket cap screws'), is('size', 'M6'), is('lengthMm', 20))),
  s('synonym', 'lock nut m8', 'lock nut = nyloc', and(fam('Nyloc nuts'), is('size', 'M8'))),
  s('synonym', 'teflon tape', 'teflon → PTFE', fam('PTFE tape')),
  s('synonym', 'loctite medium strength', 'loctite → threadlocker', and(fam('Threadlockers'), is('type', 'medium strength'))),
  s('synonym', 'pallet jack 2500 kg', 'pallet jack = pallet truck', and(fam('Pallet trucks'), is('size', '2500 kg'))),
  s('synonym', 'dust mask ffp2', 'dust mask = disposable respirator', fam('Disposable respirators FFP2')),
  s('synonym', 'hard hat yellow', 'hard hat = safety helmet', and(fam('Safety helmets'), is('size', 'yellow'))),
  s('synonym', 'sawzall cordless', 'sawzall → reciprocating saw', and(fam('Reciprocating saws'), is('supply', '18 V cordless'))),
  // attributes in the query
  s('attributes', 'hex bolt m8x40 a2', 'size and grade', and(HEX_BOLTS, is('size', 'M8'), is('lengthMm', 40), is('material', 'A2 stainless'))),
  s('attributes', 'wood screw 4x40 yellow zinc', '4x40 is written 4.0x40', and(fam('Wood screws yellow zinc'), is('size', 4), is('lengthMm', 40))),
  s('attributes', 'm8 x 40 hex bolt', 'size written with spaces', and(HEX_BOLTS, is('size', 'M8'), is('lengthMm', 40))),
  s('attributes', 'socket cap screw m6x20 10.9', 'strength class', and(fam('Socket cap screws DIN 912 10.9'), is('size', 'M6'), is('lengthMm', 20))),
  s('attributes', 'cable tie 4.8x300 black', 'colour in the grade', and(fam('Cable ties UV black'), is('size', '4.8x300'))),
  s('attributes', 'ball valve 1/2" female-female', 'size and ends', and(fam('Ball valves'), is('size', '1/2"'), is('ends', 'female-female'))),
  s('attributes', 'disposable nitrile glove xl black', 'size and colour', and(fam('Disposable nitrile gloves'), is('size', 'XL'), is('type', 'powder-free black'))),
  s('attributes', 'safety shoe s3 42 wide', 'size and width', and(fam('Safety shoes'), is('size', 42), is('width', 'wide'))),
  s('attributes', 'flap disc 125 mm p80', 'size and grit', and(fam('Flap discs'), is('size', '125 mm'), is('grit', 'P80'))),
  s('attributes', 'led panel 600x600 4000 k', 'size and colour temperature', and(fam('LED panels'), is('size', '600x600'), is('cct', '4000 K'))),
  s('attributes', 'copper pipe 15 mm', 'a diameter', and(fam('Copper pipes'), is('diameterMm', 15))),
  s('attributes', 'installation cable 2.5 mm² blue', 'section and colour', and(fam('Installation cable'), is('size', '2.5 mm²'), is('colour', 'blue'))),
  s('attributes', 'silicone sealant 310 ml white', 'content and colour', and(fam('Silicone sealants'), is('size', '310 ml'), is('colour', 'white'))),
  s('attributes', 'ratchet strap 50 mm x 10 m 2500 daN', 'size and capacity', and(fam('Ratchet straps'), is('size', '50 mm x 10 m'), is('capacity', '2500 daN'))),
  s('attributes', 'cordless drill driver 18 V brushless', 'voltage and motor', and(fam('Cordless drill drivers'), is('size', '18 V'), is('motor', 'brushless'))),
  s('attributes', 'hss twist drill 8.5 tin coated', 'diameter and coating', and(fam('HSS twist drills DIN 338 TiN'), is('diameterMm', 8.5))),
  s('attributes', 'o-ring 20x2.5 nbr', 'size and material', and(fam('O-rings NBR'), is('size', '20x2.5'))),
  s('attributes', 'torx screwdriver t25', 'tip size', and(fam('Torx screwdrivers'), is('size', 'T25'))),
  s('attributes', 'hex nut m12 a4', 'size and grade', and(fam('Hex nuts DIN 934 A4'), is('size', 'M12'))),
  s('attributes', 'threaded rod m12x1000 8.8', 'size, length and class', and(fam('Threaded rods DIN 976 8.8'), is('size', 'M12'), is('lengthMm', 1000))),
  // word order
  s('word_order', 'm8x40 a2 hex bolt', 'size and grade first', and(HEX_BOLTS, is('size', 'M8'), is('lengthMm', 40), is('material', 'A2 stainless'))),
  s('word_order', 'stainless A4 nyloc nut M12', 'grade first', and(fam('Nyloc nuts DIN 985 A4'), is('size', 'M12'))),
  s('word_order', '125 mm angle grinder cordless', 'size first', and(fam('Angle grinders'), is('size', '125 mm'), is('supply', '18 V cordless'))),
  s('word_order', 'white silicone sealant sanitary', 'colour first', and(fam('Silicone sealants sanitary'), is('colour', 'white'))),
  s('word_order', 'A2 M10 écrou hexagonal', 'French, grade and size first', and(fam('Hex nuts DIN 934 A2'), is('size', 'M10'))),
  s('word_order', 'M10 verzinkt Sechskantmutter', 'German, size and finish first', and(fam('Hex nuts DIN 934 8 zinc'), is('size', 'M10'))),
  s('word_order', 'yellow helmet safety', 'words shuffled', and(fam('Safety helmets'), is('size', 'yellow'))),
  s('word_order', 'P120 sanding sheet 115x280', 'grit first', and(fam('Sanding sheets'), is('size', '115x280'), is('grit', 'P120'))),
  s('word_order', 'bolt hex m8x40', 'noun words swapped', and(HEX_BOLTS, is('size', 'M8'), is('lengthMm', 40))),
];
