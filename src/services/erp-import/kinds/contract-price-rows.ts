import { MAX_QUANTITY } from '../../../domain/pricing/engine';
import type { ImportRecord } from '../kind-spec';
import { cellsOf, type DecimalText } from './cells';

/**
 * One contract price of one customer on one SKU: a net price, or a discount in percent taken off the list
 * price (`appliesTo: list`) or off the price the customer's contract gives (`contract`, a tier on a net
 * price: docs/pricing.md). Its identity is (customer, SKU, kind, minQuantity); `deleted` removes it.
 */
export interface ContractPriceImportRow {
  customerNumber: string;
  sku: string;
  kind: 'net' | 'discount';
  /** net prices: in the customer's currency, converted when applied */
  amount: DecimalText | null;
  discountBp: number | null;
  appliesTo: 'list' | 'contract';
  minQuantity: number;
  validFrom: number | null;
  validTo: number | null;
  deleted: boolean;
  version: number;
}

export const CONTRACT_PRICE_REQUIRED = ['customerNumber', 'sku', 'kind', 'version'] as const;
export const CONTRACT_PRICE_OPTIONAL = [
  'amount',
  'discountPercent',
  'appliesTo',
  'minQuantity',
  'validFrom',
  'validTo',
  'deleted',
] as const;

/** "12.5" (percent) → 1250 basis points; null beyond two decimals. */
const basisPoints = (percent: DecimalText): number | null => {
  const [units = '0', fraction = ''] = percent.split('.');
  return fraction.length > 2 ? null : Number(units) * 100 + Number(fraction.padEnd(2, '0'));
};

export function parseContractPrice(record: ImportRecord) {
  const c = cellsOf(record);
  const customerNumber = c.requiredText('customerNumber', { max: 64 });
  const sku = c.requiredText('sku', { max: 64 });
  const kind = c.choice('kind', ['net', 'discount'] as const);
  const deleted = c.boolean('deleted', false);
  const amount = c.decimal('amount', kind === 'net' && !deleted);
  const percent = c.decimal('discountPercent', kind === 'discount' && !deleted);
  if (kind === 'net' && percent !== null) c.fail('discountPercent', 'must be empty for a net price');
  if (kind === 'discount' && amount !== null) c.fail('amount', 'must be empty for a discount');
  const discountBp = percent === null ? null : basisPoints(percent);
  if (percent !== null && (discountBp === null || discountBp <= 0 || discountBp > 10_000))
    c.fail('discountPercent', 'a percentage above 0 and at most 100, with at most two decimals');
  const appliesTo = c.choice('appliesTo', ['list', 'contract'] as const, 'list');
  if (kind === 'net' && appliesTo === 'contract')
    c.fail('appliesTo', 'a net price is a price, not taken off anything: list or empty');
  const minQuantity = c.integer('minQuantity', { min: 1, max: MAX_QUANTITY, fallback: 1 });
  const validFrom = c.windowBound('validFrom', false);
  const validTo = c.windowBound('validTo', true);
  if (validFrom !== null && validTo !== null && validTo <= validFrom)
    c.fail('validTo', 'must be after validFrom');
  const version = c.version();
  return c.result<ContractPriceImportRow>(() => ({
    customerNumber,
    sku,
    kind,
    amount: deleted ? null : amount,
    discountBp: deleted ? null : discountBp,
    appliesTo,
    minQuantity,
    validFrom,
    validTo,
    deleted,
    version,
  }));
}

/** The rule's key in `price_rules.erp_key`: unambiguous whatever characters a SKU or number holds. */
export const contractPriceKey = (row: ContractPriceImportRow) =>
  JSON.stringify([row.customerNumber, row.sku, row.kind, row.minQuantity]);
