/**
 * Our units of measure (products.unit_of_measure, as the ERP sends them) → UN/CEFACT Recommendation 20
 * codes, which cXML UnitOfMeasure and OCI NEW_ITEM-UNIT expect (SAP maps them to its internal units by the
 * ISO code). A unit we do not know and that is already three characters or fewer is passed as it is.
 */
const UN_CEFACT: Readonly<Record<string, string>> = {
  EA: 'EA',
  EACH: 'EA',
  PC: 'C62',
  PCE: 'C62',
  PCS: 'C62',
  BOX: 'BX',
  BX: 'BX',
  PK: 'PK',
  PACK: 'PK',
  M: 'MTR',
  MTR: 'MTR',
  L: 'LTR',
  LTR: 'LTR',
  KG: 'KGM',
  KGM: 'KGM',
  G: 'GRM',
  GRM: 'GRM',
  ROL: 'RO',
  ROLL: 'RO',
  CS: 'CS',
  CASE: 'CS',
  PR: 'PR',
  SET: 'SET',
  PAIR: 'PR',
};

export function unCefactUnit(unit: string): string {
  const key = unit.trim().toUpperCase();
  return UN_CEFACT[key] ?? (key.length > 0 && key.length <= 3 ? key : 'EA');
}
