/** The shape of the demo catalog: categories, families and the words product names are built from. */
export interface FamilySpec {
  top: string;
  sub: string;
  leaf: string;
  family: string;
  noun: string;
  sizes: string[];
  materials: string[];
  uom: string;
}

const t = (name: string) => ({
  name,
  slug: name
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^a-z0-9]+/g, '-'),
});

/** top category → sub category → leaf categories, with the noun and variants products of that leaf take. */
const TREE: Record<
  string,
  Record<string, [leaf: string, noun: string, sizes: string[], materials: string[], uom: string][]>
> = {
  Fasteners: {
    Screws: [
      [
        'Wood screws',
        'Wood screw',
        ['3x16', '4x30', '4x40', '5x50', '6x80'],
        ['zinc plated', 'A2 stainless', 'yellow zinc'],
        'BOX',
      ],
      [
        'Machine screws',
        'Machine screw DIN 912',
        ['M4x10', 'M5x16', 'M6x20', 'M8x25', 'M10x40'],
        ['8.8 steel', 'A2 stainless', 'A4 stainless'],
        'BOX',
      ],
      [
        'Self-tapping screws',
        'Self-tapping screw',
        ['3.5x13', '4.2x19', '4.8x25'],
        ['zinc plated', 'A2 stainless'],
        'BOX',
      ],
    ],
    Bolts: [
      [
        'Hex bolts',
        'Hex bolt DIN 933',
        ['M6x30', 'M8x40', 'M10x50', 'M12x60', 'M16x80'],
        ['8.8 zinc', 'A2 stainless', '10.9 black'],
        'BOX',
      ],
      [
        'Carriage bolts',
        'Carriage bolt DIN 603',
        ['M6x40', 'M8x60', 'M10x80'],
        ['zinc plated', 'hot-dip galvanised'],
        'BOX',
      ],
    ],
    'Nuts & washers': [
      ['Hex nuts', 'Hex nut DIN 934', ['M5', 'M6', 'M8', 'M10', 'M12'], ['8 zinc', 'A2 stainless'], 'BOX'],
      [
        'Flat washers',
        'Flat washer DIN 125',
        ['5.3', '6.4', '8.4', '10.5', '13'],
        ['zinc plated', 'A2 stainless'],
        'BOX',
      ],
    ],
    Anchors: [
      ['Nylon plugs', 'Nylon wall plug', ['5x25', '6x30', '8x40', '10x50'], ['nylon PA6'], 'BOX'],
      [
        'Chemical anchors',
        'Chemical anchor rod',
        ['M8x110', 'M10x130', 'M12x160'],
        ['5.8 zinc', 'A4 stainless'],
        'PK',
      ],
    ],
  },
  'Hand tools': {
    Wrenches: [
      [
        'Combination spanners',
        'Combination spanner',
        ['8 mm', '10 mm', '13 mm', '17 mm', '19 mm'],
        ['chrome vanadium'],
        'EA',
      ],
      [
        'Torque wrenches',
        'Torque wrench',
        ['5-25 Nm', '20-100 Nm', '40-200 Nm'],
        ['1/4" drive', '3/8" drive', '1/2" drive'],
        'EA',
      ],
    ],
    Screwdrivers: [
      [
        'Slotted screwdrivers',
        'Slotted screwdriver',
        ['3.0x75', '4.0x100', '5.5x125', '6.5x150'],
        ['VDE insulated', 'standard'],
        'EA',
      ],
      [
        'Torx screwdrivers',
        'Torx screwdriver',
        ['T10', 'T15', 'T20', 'T25', 'T30'],
        ['standard', 'ball end'],
        'EA',
      ],
    ],
    Pliers: [
      [
        'Combination pliers',
        'Combination pliers',
        ['160 mm', '180 mm', '200 mm'],
        ['VDE insulated', 'dipped grips'],
        'EA',
      ],
      [
        'Cutting pliers',
        'Diagonal cutter',
        ['140 mm', '160 mm', '180 mm'],
        ['VDE insulated', 'standard'],
        'EA',
      ],
    ],
    'Measuring tools': [
      ['Tape measures', 'Tape measure', ['3 m', '5 m', '8 m', '10 m'], ['class II', 'magnetic hook'], 'EA'],
      [
        'Spirit levels',
        'Spirit level',
        ['40 cm', '60 cm', '100 cm', '200 cm'],
        ['aluminium', 'magnetic'],
        'EA',
      ],
    ],
  },
  'Power tools': {
    Drills: [
      [
        'Cordless drills',
        'Cordless drill driver',
        ['12 V', '18 V', '36 V'],
        ['2.0 Ah', '4.0 Ah', 'bare tool'],
        'EA',
      ],
      [
        'Hammer drills',
        'SDS-plus hammer drill',
        ['800 W', '1100 W', '1500 W'],
        ['with case', 'bare tool'],
        'EA',
      ],
    ],
    Grinders: [
      ['Angle grinders', 'Angle grinder', ['115 mm', '125 mm', '230 mm'], ['corded', '18 V cordless'], 'EA'],
    ],
    Saws: [
      ['Circular saws', 'Circular saw', ['165 mm', '190 mm', '235 mm'], ['corded', '18 V cordless'], 'EA'],
      ['Jigsaws', 'Jigsaw', ['600 W', '800 W'], ['pendulum action', '18 V cordless'], 'EA'],
    ],
    'Drill bits': [
      [
        'HSS drill bits',
        'HSS twist drill DIN 338',
        ['2 mm', '4 mm', '6 mm', '8 mm', '10 mm', '12 mm'],
        ['HSS-G', 'HSS-Co5', 'TiN coated'],
        'PK',
      ],
      [
        'SDS bits',
        'SDS-plus masonry bit',
        ['6x110', '8x160', '10x210', '12x260'],
        ['2-cutter', '4-cutter'],
        'EA',
      ],
    ],
  },
  Abrasives: {
    Discs: [
      ['Cutting discs', 'Cutting disc', ['115x1.0', '125x1.0', '230x1.9'], ['inox', 'steel', 'stone'], 'PK'],
      ['Flap discs', 'Flap disc', ['115 mm', '125 mm'], ['P40', 'P60', 'P80', 'P120'], 'PK'],
    ],
    Sandpaper: [
      ['Sanding sheets', 'Sanding sheet', ['93x230', '115x280'], ['P80', 'P120', 'P180', 'P240'], 'PK'],
      ['Sanding rolls', 'Sanding roll', ['115 mm x 25 m'], ['P60', 'P100', 'P150'], 'EA'],
    ],
  },
  'Safety & PPE': {
    Gloves: [
      [
        'Cut-resistant gloves',
        'Cut-resistant glove',
        ['size 7', 'size 8', 'size 9', 'size 10'],
        ['level B', 'level C', 'level D'],
        'PK',
      ],
      [
        'Nitrile gloves',
        'Disposable nitrile glove',
        ['S', 'M', 'L', 'XL'],
        ['powder-free blue', 'powder-free black'],
        'BOX',
      ],
    ],
    'Eye & face': [
      [
        'Safety glasses',
        'Safety glasses EN 166',
        ['standard', 'over-glasses'],
        ['clear', 'smoke', 'yellow'],
        'EA',
      ],
    ],
    'Head & hearing': [
      ['Safety helmets', 'Safety helmet EN 397', ['53-63 cm'], ['white', 'yellow', 'blue', 'red'], 'EA'],
      ['Ear plugs', 'Foam ear plug', ['SNR 33', 'SNR 37'], ['corded', 'uncorded'], 'BOX'],
    ],
    Footwear: [
      [
        'Safety shoes',
        'Safety shoe S3',
        ['39', '40', '41', '42', '43', '44', '45', '46'],
        ['low', 'mid'],
        'EA',
      ],
    ],
  },
  Electrical: {
    Cables: [
      [
        'Installation cable',
        'Installation cable H07V-U',
        ['1.5 mm²', '2.5 mm²', '4 mm²', '6 mm²'],
        ['blue', 'brown', 'green-yellow'],
        'M',
      ],
      ['Flexible cable', 'Flexible cable H05VV-F', ['3G1.5', '3G2.5', '5G1.5'], ['white', 'black'], 'M'],
    ],
    'Connectors & terminals': [
      ['Lever connectors', 'Lever connector', ['2-way', '3-way', '5-way'], ['0.2-4 mm²'], 'BOX'],
      ['Cable lugs', 'Tubular cable lug', ['6 mm²', '10 mm²', '16 mm²', '25 mm²'], ['M6', 'M8', 'M10'], 'PK'],
    ],
    Lighting: [['LED panels', 'LED panel', ['600x600', '1200x300'], ['3000 K', '4000 K', '6500 K'], 'EA']],
  },
  Plumbing: {
    Fittings: [
      [
        'Press fittings',
        'Copper press elbow 90°',
        ['15 mm', '18 mm', '22 mm', '28 mm'],
        ['copper', 'gunmetal'],
        'EA',
      ],
      ['Compression fittings', 'Compression coupling', ['15 mm', '22 mm'], ['brass', 'chrome'], 'EA'],
    ],
    Valves: [
      [
        'Ball valves',
        'Ball valve',
        ['1/2"', '3/4"', '1"', '1 1/4"'],
        ['brass lever', 'brass butterfly'],
        'EA',
      ],
    ],
    'Pipes & hoses': [
      [
        'Multilayer pipe',
        'Multilayer pipe PE-RT/AL',
        ['16x2', '20x2', '26x3'],
        ['coil 50 m', 'coil 100 m'],
        'EA',
      ],
    ],
  },
  'Adhesives & sealants': {
    Sealants: [
      [
        'Silicone sealants',
        'Silicone sealant',
        ['300 ml', '310 ml'],
        ['transparent', 'white', 'grey', 'black'],
        'EA',
      ],
      ['PU foams', 'Polyurethane foam', ['500 ml', '750 ml'], ['gun grade', 'hand held'], 'EA'],
    ],
    Adhesives: [
      [
        'Construction adhesives',
        'Construction adhesive',
        ['290 ml', '310 ml'],
        ['MS polymer', 'solvent-free'],
        'EA',
      ],
      ['Threadlockers', 'Threadlocker', ['10 ml', '50 ml'], ['medium strength', 'high strength'], 'EA'],
    ],
  },
  'Material handling': {
    Storage: [
      [
        'Storage bins',
        'Stackable storage bin',
        ['size 2', 'size 3', 'size 4', 'size 5'],
        ['blue', 'red', 'grey'],
        'EA',
      ],
    ],
    Lifting: [
      ['Lifting slings', 'Round lifting sling', ['1 t x 1 m', '2 t x 2 m', '3 t x 3 m'], ['polyester'], 'EA'],
      ['Ratchet straps', 'Ratchet strap', ['25 mm x 5 m', '50 mm x 8 m'], ['500 daN', '2000 daN'], 'EA'],
    ],
  },
  'Cleaning & hygiene': {
    Wipes: [
      [
        'Paper rolls',
        'Industrial paper roll',
        ['2-ply 1000 sheets', '3-ply 500 sheets'],
        ['blue', 'white'],
        'PK',
      ],
    ],
    Chemicals: [
      ['Degreasers', 'Industrial degreaser', ['1 L', '5 L', '20 L'], ['solvent-based', 'water-based'], 'L'],
      ['Hand cleaners', 'Hand cleaner', ['2 L', '4 L'], ['with pumice', 'citrus'], 'EA'],
    ],
  },
};

export interface CategorySpec {
  path: string;
  parentPath: string | null;
  name: string;
  depth: number;
}

/** The three-level category tree, and the leaf-level families (≈200 once finish variants are split out). */
export function catalogShape(): { categories: CategorySpec[]; families: FamilySpec[] } {
  const categories: CategorySpec[] = [];
  const families: FamilySpec[] = [];
  for (const [topName, subs] of Object.entries(TREE)) {
    const top = t(topName);
    categories.push({ path: top.slug, parentPath: null, name: topName, depth: 1 });
    for (const [subName, leaves] of Object.entries(subs)) {
      const sub = t(subName);
      const subPath = `${top.slug}/${sub.slug}`;
      categories.push({ path: subPath, parentPath: top.slug, name: subName, depth: 2 });
      for (const [leafName, noun, sizes, materials, uom] of leaves) {
        const leafPath = `${subPath}/${t(leafName).slug}`;
        categories.push({ path: leafPath, parentPath: subPath, name: leafName, depth: 3 });
        // each material of a leaf is its own product family, as a supplier's ERP would group them
        for (const material of materials) {
          for (const line of ['Pro', 'Standard']) {
            families.push({
              top: top.slug,
              sub: subPath,
              leaf: leafPath,
              family: `${noun} ${material} ${line}`,
              noun,
              sizes,
              materials: [material],
              uom,
            });
          }
        }
      }
    }
  }
  return { categories, families };
}

/** Brands a supplier would really carry in each top category. */
export const BRANDS_BY_TOP: Record<string, string[]> = {
  fasteners: ['Würth', 'Fischer', 'Bossard', 'Reyher'],
  'hand-tools': ['Facom', 'Stanley', 'Wera', 'Knipex', 'Stahlwille'],
  'power-tools': ['Bosch Professional', 'Makita', 'Hilti', 'Metabo', 'Festool'],
  abrasives: ['Norton', 'Klingspor', '3M', 'Pferd'],
  'safety-and-ppe': ['Uvex', 'Honeywell', '3M', 'Ansell'],
  electrical: ['Legrand', 'Schneider Electric', 'Wago', 'Nexans'],
  plumbing: ['Geberit', 'Viega', 'Comap', 'Uponor'],
  'adhesives-and-sealants': ['Sika', 'Loctite', 'Bostik', 'Soudal'],
  'material-handling': ['Raja', 'Allit', 'Dolezych', 'Spanset'],
  'cleaning-and-hygiene': ['Tork', 'Kärcher', 'Deb', 'Kimberly-Clark'],
};

export const UNSPSC_BY_TOP: Record<string, string> = {
  fasteners: '31161500',
  'hand-tools': '27111700',
  'power-tools': '27112700',
  abrasives: '31191500',
  'safety-and-ppe': '46181500',
  electrical: '26121600',
  plumbing: '40141700',
  'adhesives-and-sealants': '31201600',
  'material-handling': '24101600',
  'cleaning-and-hygiene': '47131800',
};
