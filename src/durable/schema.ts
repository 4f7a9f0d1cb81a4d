import { APPROVAL_SCHEMA } from './approvals';
import { BUDGET_SCHEMA } from './budget-ledger';
import { CART_LINE_NOTES, CART_PREPARED_BY, CART_SCHEMA } from './cart-model';
import { CHECKOUT_CART_VERSION, CHECKOUT_FINGERPRINT, CHECKOUT_SCHEMA } from './checkout-record';
import { DELEGATION_SCHEMA } from './delegations';
import { USER_SPEND_SCHEMA } from './user-spend';

/**
 * The object's storage schema, as versions applied in order; each module declares its own tables. A
 * version is applied once, in one transaction with the version bump; new tables or columns are a new
 * version at the end, never an edit of an old one (existing objects have already run it).
 */
const META = ['CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)'];

export const MIGRATIONS: readonly (readonly string[])[] = [
  META,
  CART_SCHEMA,
  [...CHECKOUT_SCHEMA, ...BUDGET_SCHEMA],
  // objects at version 3 already have the approvals table (it came with checkout): IF NOT EXISTS
  [...APPROVAL_SCHEMA, ...DELEGATION_SCHEMA],
  CHECKOUT_CART_VERSION,
  CHECKOUT_FINGERPRINT,
  USER_SPEND_SCHEMA,
  CART_LINE_NOTES,
  CART_PREPARED_BY,
];
export const SCHEMA_VERSION = MIGRATIONS.length;

const metaValue = (sql: SqlStorage, key: string): string | undefined =>
  sql.exec<{ value: string }>('SELECT value FROM meta WHERE key = ?', key).toArray()[0]?.value;

/** Brings the storage to SCHEMA_VERSION; returns the version it is at. */
export function migrate(storage: DurableObjectStorage): number {
  const sql = storage.sql;
  sql.exec(META[0] ?? '');
  const current = Number(metaValue(sql, 'schema_version') ?? 0);
  if (current >= SCHEMA_VERSION) return current;
  storage.transactionSync(() => {
    for (const step of MIGRATIONS.slice(current)) for (const statement of step) sql.exec(statement);
    sql.exec(
      "INSERT INTO meta (key, value) VALUES ('schema_version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      String(SCHEMA_VERSION),
    );
  });
  return SCHEMA_VERSION;
}

/**
 * The company this object serves: its name (every caller reaches it by company id, `getByName`), recorded
 * in storage on first start. A name that differs from the recorded company, or an object without name or
 * record, is a routing bug: the object refuses to start rather than act for the wrong company.
 */
export function companyOf(storage: DurableObjectStorage, name: string | undefined): string {
  const sql = storage.sql;
  if (name) {
    sql.exec("INSERT INTO meta (key, value) VALUES ('company_id', ?) ON CONFLICT(key) DO NOTHING", name);
  }
  const recorded = metaValue(sql, 'company_id');
  if (!recorded) throw new Error('OrganizationDO has no company: reach it with getByName(companyId)');
  if (name && recorded !== name) {
    throw new Error(`OrganizationDO bound to ${recorded} was started as ${name}`);
  }
  return recorded;
}
