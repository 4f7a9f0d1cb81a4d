import type { CompanyView, SearchDoc, SearchRequest } from '../../src/domain/search/types';

/** A small hand-written catalog in three languages for the engine's unit tests. */
type DocInput = Partial<SearchDoc> & Pick<SearchDoc, 'sku' | 'name'>;

const doc = (d: DocInput): SearchDoc => ({
  description: '',
  translations: [],
  brand: 'Ferrox',
  family: 'Misc',
  categoryPath: 'misc',
  categoryNames: ['Misc'],
  attributes: {},
  manufacturerPartNumber: null,
  status: 'active',
  inStock: true,
  ...d,
});

export const DOCS: SearchDoc[] = [
  doc({
    sku: 'FAS-000101',
    name: 'Hex bolt DIN 933 M8x40 8.8 zinc',
    description: 'Hexagon head bolt, fully threaded, zinc plated.',
    translations: [
      {
        locale: 'fr',
        name: 'Boulon hexagonal M8x40 zingué',
        description: 'Vis à tête hexagonale, filetage total.',
      },
      { locale: 'de', name: 'Sechskantschraube M8x40 verzinkt', description: 'Schraube mit Sechskantkopf.' },
    ],
    family: 'Hex bolts 8.8 zinc',
    categoryPath: 'fasteners/bolts/hex-bolts',
    categoryNames: ['Fasteners', 'Bolts', 'Hex bolts'],
    attributes: { material: 'zinc', size: 'M8', lengthMm: 40 },
    manufacturerPartNumber: 'FX-933-0840',
  }),
  doc({
    sku: 'FAS-000102',
    name: 'Hex bolt DIN 933 M10x50 A2 stainless',
    description: 'Hexagon head bolt in stainless steel.',
    translations: [{ locale: 'fr', name: 'Boulon hexagonal M10x50 inox A2', description: '' }],
    brand: 'Nordfix',
    family: 'Hex bolts A2',
    categoryPath: 'fasteners/bolts/hex-bolts',
    categoryNames: ['Fasteners', 'Bolts', 'Hex bolts'],
    attributes: { material: 'A2 stainless', size: 'M10', lengthMm: 50 },
    inStock: false,
  }),
  doc({
    sku: 'FAS-000103',
    name: 'Carriage bolt M8x60 zinc',
    description: 'Round head carriage bolt.',
    family: 'Carriage bolts',
    categoryPath: 'fasteners/bolts/carriage-bolts',
    categoryNames: ['Fasteners', 'Bolts', 'Carriage bolts'],
    attributes: { material: 'zinc', size: 'M8', lengthMm: 60 },
  }),
  doc({
    sku: 'FAS-000201',
    name: 'Wood screw 4.0x40 yellow zinc, box of 200',
    description: 'Countersunk wood screws for cabinets and furniture.',
    translations: [
      { locale: 'fr', name: 'Vis à bois 4,0x40 zinguée jaune, boîte de 200', description: '' },
      { locale: 'de', name: 'Holzschrauben 4,0x40 gelb verzinkt', description: '' },
    ],
    brand: 'Vissen',
    family: 'Wood screws',
    categoryPath: 'fasteners/screws/wood-screws',
    categoryNames: ['Fasteners', 'Screws', 'Wood screws'],
    attributes: { material: 'yellow zinc', size: 4, lengthMm: 40 },
  }),
  doc({
    sku: 'FAS-000301',
    name: 'Flat washer M8 stainless',
    description: 'Flat washers for M8 bolts.',
    translations: [
      { locale: 'fr', name: 'Rondelles plates M8 inox', description: '' },
      { locale: 'de', name: 'Unterlegscheibe M8 Edelstahl', description: '' },
    ],
    brand: 'Nordfix',
    family: 'Washers',
    categoryPath: 'fasteners/washers',
    categoryNames: ['Fasteners', 'Washers'],
    attributes: { material: 'A2 stainless', size: 'M8' },
  }),
  doc({
    sku: 'SAF-000001',
    name: 'Nitrile gloves size 9, box of 100',
    description: 'Disposable nitrile gloves, powder free.',
    translations: [
      { locale: 'fr', name: "Gants nitrile taille 9, boîte d'une centaine", description: '' },
      { locale: 'de', name: 'Nitrilhandschuhe Größe 9', description: 'Einweghandschuhe aus Nitril.' },
    ],
    brand: 'Saferis',
    family: 'Disposable gloves',
    categoryPath: 'safety/gloves',
    categoryNames: ['Safety', 'Gloves'],
    attributes: { material: 'nitrile', size: 9, powderFree: true },
  }),
  doc({
    sku: 'SAF-000002',
    name: 'Cut resistant glove level C, size 10',
    description: 'Cut resistant work glove with nitrile coating.',
    brand: 'Saferis',
    family: 'Cut resistant gloves',
    categoryPath: 'safety/gloves',
    categoryNames: ['Safety', 'Gloves'],
    attributes: { material: 'HPPE', size: 10, powderFree: false },
    status: 'obsolete',
  }),
  doc({
    sku: 'ABR-015287',
    name: 'Cutting disc 125 mm for steel',
    description: 'Thin cutting disc for angle grinders.',
    translations: [{ locale: 'de', name: 'Trennscheibe 125 mm für Stahl', description: '' }],
    brand: 'Abrasa',
    family: 'Cutting discs',
    categoryPath: 'abrasives/discs',
    categoryNames: ['Abrasives', 'Discs'],
    attributes: { diameterMm: 125 },
    manufacturerPartNumber: '66252833617',
  }),
  doc({
    sku: 'ABR-015288',
    name: 'Flap disc 125 mm grit 80',
    description: 'Flap disc for grinding steel.',
    brand: 'Abrasa',
    family: 'Flap discs',
    categoryPath: 'abrasives/discs',
    categoryNames: ['Abrasives', 'Discs'],
    attributes: { diameterMm: 125, grit: 80 },
  }),
  doc({
    sku: 'HID-000001',
    name: 'Hex bolt secret prototype M8x40',
    description: 'Never shown to the test company.',
    brand: 'Hiddenco',
    family: 'Secret',
    categoryPath: 'secret',
    categoryNames: ['Secret'],
    attributes: { secretness: 'high', size: 'M8' },
  }),
];

export const request = (q: string, extra: Partial<SearchRequest> = {}): SearchRequest => ({
  q,
  filters: {},
  sort: 'relevance',
  offset: 0,
  limit: 24,
  explain: false,
  ...extra,
});

/** A company that does not see the HID- document, with its own part numbers, synonyms and habits. */
export function companyView(
  docIdOf: (sku: string) => number | undefined,
  docCount: number,
  extra: Partial<CompanyView> = {},
): CompanyView {
  const access = new Uint8Array(docCount).fill(2);
  const hidden = docIdOf('HID-000001');
  if (hidden !== undefined) access[hidden] = 0;
  const gloves = docIdOf('SAF-000002');
  if (gloves !== undefined) access[gloves] = 1;
  return {
    access,
    partNumbers: [{ partNumber: 'ACME/BOLT-88', docId: docIdOf('FAS-000103') ?? -1 }],
    synonyms: [],
    orderCounts: new Map(),
    contractDocs: new Set(),
    ...extra,
  };
}
