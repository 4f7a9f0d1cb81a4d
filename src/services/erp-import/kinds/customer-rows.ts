import type { ImportRecord } from '../kind-spec';
import { cellsOf } from './cells';

/**
 * One customers row: the company (repeated on every row of the customer) and, when `addressId` is given,
 * one of its addresses. A customer with three addresses is three rows; a customer without addresses is
 * one row without `addressId`. This is what an ERP exports as one CSV (a join of customers and addresses).
 */
export interface CustomerAddress {
  addressId: string;
  type: 'ship_to' | 'billing';
  name: string;
  line1: string;
  line2: string | null;
  postalCode: string;
  city: string;
  region: string | null;
  country: string;
  isDefault: boolean;
  status: 'active' | 'archived';
}

export interface CustomerImportRow {
  customerNumber: string;
  name: string;
  parentCustomerNumber: string | null;
  currency: string;
  country: string;
  salesRepEmail: string | null;
  status: 'active' | 'suspended';
  /** undefined: the file has no priceList column, and the company keeps the list it has */
  priceList?: string | null;
  address: CustomerAddress | null;
  version: number;
}

export const CUSTOMER_REQUIRED = ['customerNumber', 'name', 'currency', 'country', 'version'] as const;
export const CUSTOMER_OPTIONAL = [
  'parentCustomerNumber',
  'salesRepEmail',
  'status',
  'priceList',
  'addressId',
  'addressType',
  'addressName',
  'line1',
  'line2',
  'postalCode',
  'city',
  'region',
  'addressCountry',
  'isDefault',
  'addressStatus',
] as const;

const CURRENCY = /^[A-Z]{3}$/;
const COUNTRY = /^[A-Z]{2}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function parseCustomer(record: ImportRecord) {
  const c = cellsOf(record);
  const customerNumber = c.requiredText('customerNumber', { max: 64 });
  const name = c.requiredText('name', { max: 200 });
  const parentCustomerNumber = c.optionalText('parentCustomerNumber', { max: 64 });
  if (parentCustomerNumber !== null && parentCustomerNumber === customerNumber)
    c.fail('parentCustomerNumber', 'a customer cannot be its own parent');
  const currency = c.requiredText('currency', { max: 3 }).toUpperCase();
  if (!c.failed && !CURRENCY.test(currency)) c.fail('currency', 'ISO 4217 currency code, e.g. EUR');
  const country = c.requiredText('country', { max: 2 }).toUpperCase();
  if (!c.failed && !COUNTRY.test(country)) c.fail('country', 'ISO 3166-1 alpha-2 country code, e.g. FR');
  const salesRepEmail = c.optionalText('salesRepEmail', { max: 254 })?.toLowerCase() ?? null;
  if (salesRepEmail !== null && !EMAIL.test(salesRepEmail)) c.fail('salesRepEmail', 'not a valid email');
  const status = c.choice('status', ['active', 'suspended'] as const, 'active');
  const priceList = c.has('priceList') ? c.optionalText('priceList', { max: 80 }) : undefined;
  const address = c.optionalText('addressId', { max: 64 }) === null ? null : addressOf(c, country);
  const version = c.version();
  return c.result<CustomerImportRow>(() => ({
    customerNumber,
    name,
    parentCustomerNumber,
    currency,
    country,
    salesRepEmail,
    status,
    ...(priceList === undefined ? {} : { priceList }),
    address,
    version,
  }));
}

function addressOf(c: ReturnType<typeof cellsOf>, companyCountry: string): CustomerAddress {
  const addressId = c.requiredText('addressId', { max: 64 });
  const type = c.choice('addressType', ['ship_to', 'billing'] as const, 'ship_to');
  const line1 = c.requiredText('line1', { max: 200 });
  const line2 = c.optionalText('line2', { max: 200 });
  const postalCode = c.requiredText('postalCode', { max: 20 });
  const city = c.requiredText('city', { max: 100 });
  const name = c.optionalText('addressName', { max: 200 }) ?? `${city}, ${line1}`.slice(0, 200);
  const region = c.optionalText('region', { max: 100 });
  const country = (c.optionalText('addressCountry', { max: 2 }) ?? companyCountry).toUpperCase();
  if (!COUNTRY.test(country)) c.fail('addressCountry', 'ISO 3166-1 alpha-2 country code, e.g. FR');
  const status = c.choice('addressStatus', ['active', 'archived'] as const, 'active');
  const isDefault = c.boolean('isDefault', false);
  if (isDefault && type !== 'ship_to') c.fail('isDefault', 'only a ship_to address can be the default');
  if (isDefault && status === 'archived') c.fail('isDefault', 'an archived address cannot be the default');
  return { addressId, type, name, line1, line2, postalCode, city, region, country, isDefault, status };
}

export const customerKey = (row: CustomerImportRow) =>
  `${row.customerNumber}\u0000${row.address?.addressId ?? ''}`;

/** The company part of a row, to compare two rows (or a row and what is stored) of one customer. */
export const companyPart = ({ address: _a, version: _v, ...company }: CustomerImportRow) => company;
