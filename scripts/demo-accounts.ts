/**
 * The demo customers and staff. Ids are fixed and readable because tests, docs and the README name them.
 */
export interface DemoCompany {
  id: string;
  name: string;
  parent_id: string | null;
  default_currency: string;
  country: string;
  sales_rep_user_id: string | null;
}

export const COMPANIES: DemoCompany[] = [
  {
    id: 'co_acme',
    name: 'Acme Industrie',
    parent_id: null,
    default_currency: 'EUR',
    country: 'FR',
    sales_rep_user_id: 'usr_rep',
  },
  {
    id: 'co_acme_lyon',
    name: 'Acme Lyon Atelier Nord',
    parent_id: 'co_acme',
    default_currency: 'EUR',
    country: 'FR',
    sales_rep_user_id: 'usr_rep',
  },
  {
    id: 'co_globex',
    name: 'Globex Manufacturing',
    parent_id: null,
    default_currency: 'EUR',
    country: 'DE',
    sales_rep_user_id: 'usr_rep',
  },
  // no sales rep: shows that a rep sees only the accounts assigned to them
  {
    id: 'co_initech',
    name: 'Initech Services',
    parent_id: null,
    default_currency: 'GBP',
    country: 'GB',
    sales_rep_user_id: null,
  },
];

type SiteTuple = [
  id: string,
  companyId: string,
  name: string,
  line1: string,
  line2: string | null,
  postalCode: string,
  city: string,
  region: string | null,
  country: string,
  isDefaultShipTo: boolean,
  isBilling: boolean,
];

// biome-ignore format: one site per line reads as a table
export const SITES: SiteTuple[] = [
  ['site_acme_hq', 'co_acme', 'Siège Paris', "12 rue de l'Industrie", null, '75011', 'Paris', 'Île-de-France', 'FR', false, true],
  ['site_acme_usine', 'co_acme', 'Usine Villeurbanne', '48 avenue Roger Salengro', 'Bâtiment C, quai 4', '69100', 'Villeurbanne', 'Auvergne-Rhône-Alpes', 'FR', true, false],
  ['site_acme_stock', 'co_acme', 'Entrepôt Saint-Priest', '3 rue du Progrès', null, '69800', 'Saint-Priest', 'Auvergne-Rhône-Alpes', 'FR', false, false],
  ['site_acme_lyon', 'co_acme_lyon', 'Atelier Nord', '7 rue du Dauphiné', null, '69003', 'Lyon', 'Auvergne-Rhône-Alpes', 'FR', true, true],
  ['site_globex_werk', 'co_globex', 'Werk Köln-Niehl', 'Industriestraße 21', 'Tor 3', '50735', 'Köln', 'Nordrhein-Westfalen', 'DE', true, false],
  ['site_globex_hq', 'co_globex', 'Hauptverwaltung', 'Königsallee 60', null, '40212', 'Düsseldorf', 'Nordrhein-Westfalen', 'DE', false, true],
  ['site_initech', 'co_initech', 'Initech House', '1 Canal Street', 'Unit 4', 'M1 3HE', 'Manchester', 'Greater Manchester', 'GB', true, true],
];

export const COST_CENTERS: [id: string, companyId: string, code: string, name: string][] = [
  ['cc_acme_maint', 'co_acme', 'CC-MAINT', 'Maintenance'],
  ['cc_acme_prod', 'co_acme', 'CC-PROD', 'Production'],
  ['cc_acme_hse', 'co_acme', 'CC-HSE', 'Hygiène, sécurité, environnement'],
  ['cc_acme_it', 'co_acme', 'CC-IT', 'Informatique'],
  ['cc_lyon_atelier', 'co_acme_lyon', 'CC-ATELIER', 'Atelier'],
  ['cc_lyon_maint', 'co_acme_lyon', 'CC-MAINT', 'Maintenance atelier'],
  ['cc_globex_inst', 'co_globex', 'CC-INST', 'Instandhaltung'],
  ['cc_globex_bau', 'co_globex', 'CC-BAU', 'Bau und Montage'],
  ['cc_globex_log', 'co_globex', 'CC-LOG', 'Logistik'],
  ['cc_initech_fac', 'co_initech', 'CC-FAC', 'Facilities'],
  ['cc_initech_ops', 'co_initech', 'CC-OPS', 'Field operations'],
];

export interface DemoUser {
  id: string;
  companyId: string | null;
  email: string;
  name: string;
  role: string;
  orderLimitMinor: number | null;
}

// biome-ignore format: one user per line reads as a table
export const USERS: DemoUser[] = [
  { id: 'usr_acme_buyer', companyId: 'co_acme', email: 'buyer@acme.example', name: 'Camille Martin', role: 'buyer', orderLimitMinor: 500_000 },
  { id: 'usr_acme_approver', companyId: 'co_acme', email: 'approver@acme.example', name: 'Julien Bernard', role: 'approver', orderLimitMinor: null },
  { id: 'usr_acme_finance', companyId: 'co_acme', email: 'finance@acme.example', name: 'Sophie Laurent', role: 'finance', orderLimitMinor: null },
  { id: 'usr_acme_admin', companyId: 'co_acme', email: 'admin@acme.example', name: 'Nicolas Petit', role: 'admin', orderLimitMinor: null },
  { id: 'usr_globex_buyer', companyId: 'co_globex', email: 'buyer@globex.example', name: 'Lena Schmidt', role: 'buyer', orderLimitMinor: null },
  { id: 'usr_globex_admin', companyId: 'co_globex', email: 'admin@globex.example', name: 'Jonas Weber', role: 'admin', orderLimitMinor: null },
  { id: 'usr_initech_buyer', companyId: 'co_initech', email: 'buyer@initech.example', name: 'Peter Gibbons', role: 'buyer', orderLimitMinor: null },
  { id: 'usr_rep', companyId: null, email: 'rep@supplier.example', name: 'Claire Dubois', role: 'sales_rep', orderLimitMinor: null },
  { id: 'usr_ops', companyId: null, email: 'ops@supplier.example', name: 'Marc Lefèvre', role: 'platform_admin', orderLimitMinor: null },
];
