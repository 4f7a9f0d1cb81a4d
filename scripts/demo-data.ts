import { formatApiKey, sha256Hex } from '../src/domain/api-keys';
import { hashPassword } from '../src/domain/passwords';
import { BUILT_IN_ROLES, builtInRoleId } from '../src/domain/permissions';
import { BRANDS_BY_TOP, catalogShape, UNSPSC_BY_TOP } from './demo-catalog';

export interface DemoOptions {
  products?: number;
  seed?: number;
}

export interface DemoCredentials {
  logins: { email: string; password: string; role: string; company: string }[];
  apiKeys: { erp: string; partner: string };
}

const PASSWORD = 'demo1234';
const FIXED_TIME = Date.UTC(2026, 10, 1);
const ROWS_PER_INSERT = 200;

/** mulberry32: tiny, fast, and the same sequence on every machine for a given seed. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    bytes: (n: number) => Uint8Array.from({ length: n }, () => Math.floor(next() * 256)),
  };
}

type Value = string | number | boolean | null;
const literal = (v: Value): string => {
  if (v === null) return 'NULL';
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'number') return String(v);
  return `'${v.replaceAll("'", "''")}'`;
};

function inserts(table: string, rows: Record<string, Value>[]): string[] {
  const first = rows[0];
  if (!first) return [];
  const columns = Object.keys(first);
  const out: string[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const values = rows
      .slice(i, i + ROWS_PER_INSERT)
      .map((r) => `(${columns.map((c) => literal(r[c] ?? null)).join(',')})`)
      .join(',\n');
    out.push(`INSERT INTO ${table} (${columns.join(',')}) VALUES\n${values};`);
  }
  return out;
}

const COMPANIES = [
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
  {
    id: 'co_initech',
    name: 'Initech Services',
    parent_id: null,
    default_currency: 'GBP',
    country: 'GB',
    sales_rep_user_id: null,
  },
];

const SITES = [
  ['site_acme_hq', 'co_acme', 'Siège Paris', '12 rue de la Paix', '75002', 'Paris', 'FR', true, true],
  [
    'site_acme_usine',
    'co_acme',
    'Usine Villeurbanne',
    '48 avenue Roger Salengro',
    '69100',
    'Villeurbanne',
    'FR',
    false,
    false,
  ],
  ['site_acme_lyon', 'co_acme_lyon', 'Atelier Nord', '7 rue du Dauphiné', '69003', 'Lyon', 'FR', true, true],
  ['site_globex_werk', 'co_globex', 'Werk Köln', 'Industriestraße 21', '50735', 'Köln', 'DE', true, false],
  [
    'site_globex_hq',
    'co_globex',
    'Hauptverwaltung',
    'Königsallee 60',
    '40212',
    'Düsseldorf',
    'DE',
    false,
    true,
  ],
  ['site_initech', 'co_initech', 'Initech House', '1 Canal Street', 'M1 3HE', 'Manchester', 'GB', true, true],
] as const;

const COST_CENTERS = [
  ['cc_acme_maint', 'co_acme', 'CC-MAINT', 'Maintenance'],
  ['cc_acme_prod', 'co_acme', 'CC-PROD', 'Production'],
  ['cc_acme_it', 'co_acme', 'CC-IT', 'Informatique'],
  ['cc_lyon_atelier', 'co_acme_lyon', 'CC-ATELIER', 'Atelier'],
  ['cc_globex_inst', 'co_globex', 'CC-INST', 'Instandhaltung'],
  ['cc_globex_bau', 'co_globex', 'CC-BAU', 'Bau'],
  ['cc_initech_fac', 'co_initech', 'CC-FAC', 'Facilities'],
  ['cc_initech_ops', 'co_initech', 'CC-OPS', 'Operations'],
] as const;

const USERS = [
  ['usr_acme_buyer', 'co_acme', 'buyer@acme.example', 'Camille Martin', 'buyer', 500000],
  ['usr_acme_approver', 'co_acme', 'approver@acme.example', 'Julien Bernard', 'approver', null],
  ['usr_acme_finance', 'co_acme', 'finance@acme.example', 'Sophie Laurent', 'finance', null],
  ['usr_acme_admin', 'co_acme', 'admin@acme.example', 'Nicolas Petit', 'admin', null],
  ['usr_globex_buyer', 'co_globex', 'buyer@globex.example', 'Lena Schmidt', 'buyer', null],
  ['usr_globex_admin', 'co_globex', 'admin@globex.example', 'Jonas Weber', 'admin', null],
  ['usr_initech_buyer', 'co_initech', 'buyer@initech.example', 'Peter Gibbons', 'buyer', null],
  ['usr_rep', null, 'rep@supplier.example', 'Claire Dubois (sales rep)', 'sales_rep', null],
  ['usr_ops', null, 'ops@supplier.example', 'Marc Lefèvre (platform admin)', 'platform_admin', null],
] as const;

const COMPANY_NAMES: Record<string, string> = Object.fromEntries(COMPANIES.map((c) => [c.id, c.name]));

function productRows(count: number, rnd: ReturnType<typeof prng>) {
  const { families } = catalogShape();
  const products: Record<string, Value>[] = [];
  const stock: Record<string, Value>[] = [];
  const activeByFamily = new Map<string, string[]>();
  for (let i = 0; i < count; i++) {
    const fam = families[i % families.length];
    if (!fam) continue;
    const sku = `${fam.top.slice(0, 3).toUpperCase()}-${String(i + 1).padStart(6, '0')}`;
    const size = fam.sizes[Math.floor(i / families.length) % fam.sizes.length] ?? '';
    const material = fam.materials[0] ?? '';
    const brands = BRANDS_BY_TOP[fam.top] ?? ['Generic'];
    const brand = brands[(i + Math.floor(i / families.length)) % brands.length] ?? 'Generic';
    const variant = Math.floor(i / (families.length * fam.sizes.length));
    const multiple = rnd.pick([1, 1, 1, 1, 1, 1, 10, 25, 50, 100]);
    const obsolete = i > families.length && rnd.next() < 0.03;
    const siblings = activeByFamily.get(fam.family) ?? [];
    const replacement = obsolete ? siblings[siblings.length - 1] : undefined;
    const status = replacement ? 'obsolete' : 'active';
    if (status === 'active') activeByFamily.set(fam.family, [...siblings, sku]);
    products.push({
      sku,
      name: `${fam.noun} ${size} ${material}${variant > 0 ? ` v${variant + 1}` : ''} – ${brand}`,
      description: `${fam.noun} ${size}, ${material}. ${fam.family} range by ${brand}, for professional use.`,
      family: fam.family,
      category_path: fam.leaf,
      brand,
      attributes: JSON.stringify({
        size,
        material,
        line: fam.family.endsWith('Pro') ? 'Pro' : 'Standard',
        weightG: rnd.int(5, 5000),
      }),
      unit_of_measure: fam.uom,
      pack_size: fam.uom === 'BOX' || fam.uom === 'PK' ? rnd.pick([10, 25, 50, 100, 200]) : 1,
      min_order_qty: multiple,
      order_multiple: multiple,
      status,
      replacement_sku: replacement ?? null,
      unspsc: UNSPSC_BY_TOP[fam.top] ?? null,
      tax_class: fam.top === 'safety-and-ppe' && rnd.next() < 0.2 ? 'reduced' : 'standard',
      updated_at: FIXED_TIME,
    });
    for (const warehouse of ['LYON-1', 'KOLN-1']) {
      const onHand = rnd.next() < 0.15 ? 0 : rnd.int(1, 5000);
      const inbound = onHand === 0 || rnd.next() < 0.1;
      const date = new Date(FIXED_TIME + rnd.int(2, 60) * 86_400_000).toISOString().slice(0, 10);
      stock.push({
        sku,
        warehouse,
        on_hand: onHand,
        next_availability_date: inbound ? date : null,
        updated_at: FIXED_TIME,
      });
    }
  }
  return { products, stock };
}

/** Deterministic demo data as SQL: the same seed gives byte-identical statements on every machine. */
export async function generateDemoSql(
  options: DemoOptions = {},
): Promise<{ statements: string[]; credentials: DemoCredentials }> {
  const rnd = prng(options.seed ?? 20261122);
  const { categories } = catalogShape();
  const { products, stock } = productRows(options.products ?? 20_000, rnd);

  const roleRows = BUILT_IN_ROLES.map((r) => ({
    id: builtInRoleId(r.key),
    company_id: null,
    key: r.key,
    name: r.name,
    built_in: true,
    audience: r.audience,
  }));
  const grantRows = BUILT_IN_ROLES.flatMap((r) =>
    r.permissions.map((p) => ({ role_id: builtInRoleId(r.key), permission: p })),
  );
  const userRows: Record<string, Value>[] = [];
  for (const [id, companyId, email, name, , limit] of USERS) {
    userRows.push({
      id,
      company_id: companyId,
      email,
      name,
      password_hash: await hashPassword(PASSWORD, rnd.bytes(16)),
      order_limit_minor: limit,
    });
  }
  const erp = formatApiKey(rnd.bytes(44));
  const partner = formatApiKey(rnd.bytes(44));
  const keyRows = [
    {
      id: 'key_erp',
      company_id: null,
      name: 'ERP integration',
      prefix: erp.prefix,
      key_hash: await sha256Hex(erp.key),
      scopes: JSON.stringify(['erp:write', 'catalog:read', 'orders:read']),
      created_by: 'usr_ops',
    },
    {
      id: 'key_partner_acme',
      company_id: 'co_acme',
      name: 'Acme procurement (punch-out)',
      prefix: partner.prefix,
      key_hash: await sha256Hex(partner.key),
      scopes: JSON.stringify(['punchout', 'catalog:read', 'orders:write']),
      created_by: 'usr_ops',
    },
  ];

  const statements = [
    ...inserts('companies', COMPANIES),
    ...inserts(
      'categories',
      categories.map((c) => ({ path: c.path, parent_path: c.parentPath, name: c.name, depth: c.depth })),
    ),
    ...inserts('products', products),
    ...inserts('stock', stock),
    ...inserts(
      'sites',
      SITES.map(
        ([id, company_id, name, line1, postal_code, city, country, is_default_ship_to, is_billing]) => ({
          id,
          company_id,
          name,
          line1,
          postal_code,
          city,
          country,
          is_default_ship_to,
          is_billing,
        }),
      ),
    ),
    ...inserts(
      'cost_centers',
      COST_CENTERS.map(([id, company_id, code, name]) => ({ id, company_id, code, name })),
    ),
    ...inserts('roles', roleRows),
    ...inserts('role_permissions', grantRows),
    ...inserts('users', userRows),
    ...inserts(
      'user_roles',
      USERS.map(([id, , , , role]) => ({ user_id: id, role_id: builtInRoleId(role) })),
    ),
    ...inserts('api_keys', keyRows),
  ];
  return {
    statements,
    credentials: {
      logins: USERS.map(([, companyId, email, , role]) => ({
        email,
        password: PASSWORD,
        role,
        company: companyId ? (COMPANY_NAMES[companyId] ?? companyId) : 'Supplier staff',
      })),
      apiKeys: { erp: erp.key, partner: partner.key },
    },
  };
}
