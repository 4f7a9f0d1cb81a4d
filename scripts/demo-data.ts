import { formatApiKey, sha256Hex } from '../src/domain/api-keys';
import { hashPassword } from '../src/domain/passwords';
import { BUILT_IN_ROLES, builtInRoleId } from '../src/domain/permissions';
import { COMPANIES, COST_CENTERS, SITES, USERS } from './demo-accounts';
import { catalogShape, planProducts, type Random } from './demo-catalog';
import { companyPartNumberRows } from './demo-part-numbers';
import { pricingRows } from './demo-pricing';
import { productRows, type Row } from './demo-products';
import { type DemoPunchout, demoPunchout, punchoutPartnerRows } from './demo-punchout';
import { synonymRows } from './demo-synonyms';
import { productNameRows } from './demo-translations';

export interface DemoOptions {
  products?: number;
  seed?: number;
}

export interface DemoCredentials {
  logins: { email: string; password: string; role: string; company: string }[];
  apiKeys: { erp: string; partner: string };
  /** Acme's demo punch-out partners and their secrets (printed by npm start) */
  punchout: DemoPunchout;
}

export const DEMO_PASSWORD = 'demo1234';
export const DEFAULT_PRODUCTS = 20_000;
export const DEFAULT_SEED = 20261122;
const ROWS_PER_INSERT = 200;

/** mulberry32: tiny, fast, and the same sequence on every machine for a given seed. */
export function mulberry32(seed: number): Random & { bytes: (n: number) => Uint8Array } {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => items[int(0, items.length - 1)] as T,
    bytes: (n: number) => Uint8Array.from({ length: n }, () => int(0, 255)),
  };
}

/**
 * Salts and API keys come from their own stream, so the credentials do not change with the product
 * count: `npm start` can re-print the keys of a database seeded with `--products N`.
 */
function identityBytes(seed: number) {
  const rnd = mulberry32(seed ^ 0x5bd1e995);
  const salts = USERS.map(() => rnd.bytes(16));
  const keys = { salts, erp: formatApiKey(rnd.bytes(44)), partner: formatApiKey(rnd.bytes(44)) };
  // after the keys, so that adding the punch-out secrets left the keys of a seed as they were
  return { ...keys, punchout: demoPunchout(rnd.bytes) };
}

const companyName = (id: string | null) =>
  id ? (COMPANIES.find((c) => c.id === id)?.name ?? id) : 'Supplier staff';

/** The demo logins and API key plaintexts, without generating the catalog. */
export function demoCredentials(options: { seed?: number } = {}): DemoCredentials {
  const { erp, partner, punchout } = identityBytes(options.seed ?? DEFAULT_SEED);
  return {
    logins: USERS.map((u) => ({
      email: u.email,
      password: DEMO_PASSWORD,
      role: u.role,
      company: companyName(u.companyId),
    })),
    apiKeys: { erp: erp.key, partner: partner.key },
    punchout,
  };
}

type Value = Row[string];

const literal = (v: Value): string => {
  if (v === null) return 'NULL';
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'number') return String(v);
  return `'${v.replaceAll("'", "''")}'`;
};

const BUILT_IN_TABLES = new Set(['roles', 'role_permissions']);

function inserts(table: string, rows: Row[]): string[] {
  const columns = Object.keys(rows[0] ?? {});
  const out: string[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const values = rows
      .slice(i, i + ROWS_PER_INSERT)
      .map((r) => `(${columns.map((c) => literal(r[c] ?? null)).join(',')})`)
      .join(',\n');
    // built-in roles may already exist: migrations add the ones a release introduces
    const verb = BUILT_IN_TABLES.has(table) ? 'INSERT OR IGNORE' : 'INSERT';
    out.push(`${verb} INTO ${table} (${columns.join(',')}) VALUES\n${values};`);
  }
  return out;
}

/**
 * The demo punch-out partners alone, for a local database seeded before they existed (`npm start` adds them;
 * OR IGNORE: a partner already there, or its credentials taken, is left as it is).
 */
export async function demoPunchoutSql(options: { seed?: number } = {}): Promise<string[]> {
  const { punchout } = identityBytes(options.seed ?? DEFAULT_SEED);
  return inserts('punchout_partners', await punchoutPartnerRows(punchout)).map((sql) =>
    sql.replace(/^INSERT INTO/, 'INSERT OR IGNORE INTO'),
  );
}

/** Deterministic demo data as SQL: the same options give byte-identical statements on every machine. */
export async function generateDemoSql(
  options: DemoOptions = {},
): Promise<{ statements: string[]; credentials: DemoCredentials; rows: Record<string, number> }> {
  const seed = options.seed ?? DEFAULT_SEED;
  const rnd = mulberry32(seed);
  const { categories } = catalogShape();
  const { products, stock } = productRows(planProducts(options.products ?? DEFAULT_PRODUCTS, rnd), rnd);
  const identity = identityBytes(seed);

  const users: Row[] = [];
  for (const [i, u] of USERS.entries()) {
    const salt = identity.salts[i] ?? new Uint8Array(16);
    users.push({
      id: u.id,
      company_id: u.companyId,
      email: u.email,
      name: u.name,
      password_hash: await hashPassword(DEMO_PASSWORD, salt),
      order_limit_minor: u.orderLimitMinor,
    });
  }
  const apiKeys: Row[] = [
    {
      id: 'key_erp',
      company_id: null,
      name: 'ERP integration',
      prefix: identity.erp.prefix,
      key_hash: await sha256Hex(identity.erp.key),
      scopes: JSON.stringify(['catalog:read', 'orders:read']),
      created_by: 'usr_ops',
    },
    {
      id: 'key_partner_acme',
      company_id: 'co_acme',
      name: 'Acme procurement system',
      prefix: identity.partner.prefix,
      key_hash: await sha256Hex(identity.partner.key),
      scopes: JSON.stringify(['catalog:read', 'orders:write']),
      created_by: 'usr_ops',
    },
  ];

  // parents before children: D1 enforces foreign keys
  const tables: [string, Row[]][] = [
    ['companies', COMPANIES.map((c) => ({ ...c }))],
    [
      'categories',
      categories.map((c) => ({ path: c.path, parent_path: c.parentPath, name: c.name, depth: c.depth })),
    ],
    ['products', products],
    ['stock', stock],
    ['product_names', productNameRows(products)],
    ['company_part_numbers', companyPartNumberRows(products)],
    [
      'sites',
      SITES.map(
        ([
          id,
          company_id,
          name,
          line1,
          line2,
          postal_code,
          city,
          region,
          country,
          is_default_ship_to,
          is_billing,
        ]) => ({
          id,
          company_id,
          name,
          line1,
          line2,
          postal_code,
          city,
          region,
          country,
          is_default_ship_to,
          is_billing,
        }),
      ),
    ],
    ['cost_centers', COST_CENTERS.map(([id, company_id, code, name]) => ({ id, company_id, code, name }))],
    [
      'roles',
      BUILT_IN_ROLES.map((r) => ({
        id: builtInRoleId(r.key),
        company_id: null,
        key: r.key,
        name: r.name,
        built_in: true,
        audience: r.audience,
      })),
    ],
    [
      'role_permissions',
      BUILT_IN_ROLES.flatMap((r) =>
        r.permissions.map((p) => ({ role_id: builtInRoleId(r.key), permission: p })),
      ),
    ],
    ['users', users],
    ['user_roles', USERS.map((u) => ({ user_id: u.id, role_id: builtInRoleId(u.role) }))],
    ['api_keys', apiKeys],
    ['punchout_partners', await punchoutPartnerRows(identity.punchout)],
    ['search_synonyms', synonymRows()],
    // after products and companies; a stream of its own, so the rows above stay the same for a seed
    ...pricingRows(products, mulberry32(seed ^ 0x2545f491)),
  ];
  return {
    statements: tables.flatMap(([table, rows]) => inserts(table, rows)),
    credentials: demoCredentials({ seed }),
    rows: Object.fromEntries(tables.map(([table, rows]) => [table, rows.length])),
  };
}
