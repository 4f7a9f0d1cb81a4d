/**
 * Money is an integer number of minor units with its ISO 4217 currency; percentages are basis points
 * (1 % = 100 bp). Rounding rule: half-up (away from zero for the positive amounts prices are) to the minor
 * unit, applied once to the unit price — never to a float.
 */
export interface Money {
  minor: number;
  currency: string;
}

/** Currencies whose minor unit is not 1/100 (ISO 4217 exponent); everything else has two decimals. */
const EXPONENTS: Record<string, number> = {
  JPY: 0,
  KRW: 0,
  CLP: 0,
  ISK: 0,
  BHD: 3,
  KWD: 3,
  OMR: 3,
  TND: 3,
  JOD: 3,
};

export const currencyExponent = (currency: string): number => EXPONENTS[currency] ?? 2;

/** `amount × bp / 10,000`, rounded half-up, in integer arithmetic (exact up to 2^53 / 10,000 minor units). */
export function applyBasisPoints(minor: number, bp: number): number {
  if (!Number.isSafeInteger(minor) || !Number.isSafeInteger(bp))
    throw new RangeError('minor units and basis points are integers');
  const product = minor * bp;
  const quotient = Math.trunc(product / 10_000);
  const remainder = product - quotient * 10_000;
  if (remainder * 2 >= 10_000) return quotient + 1;
  if (remainder * 2 <= -10_000) return quotient - 1;
  return quotient;
}

/** The unit price after a discount of `bp` basis points (0…10,000): `minor × (1 − bp/10,000)`, half-up. */
export function discounted(minor: number, bp: number): number {
  if (bp < 0 || bp > 10_000) throw new RangeError('a discount is between 0 and 10,000 basis points');
  return applyBasisPoints(minor, 10_000 - bp);
}

/** "12.34" for 1234 EUR minor units; for display and logs, never for arithmetic. */
export function formatMinor(money: Money): string {
  const exponent = currencyExponent(money.currency);
  if (exponent === 0) return String(money.minor);
  const sign = money.minor < 0 ? '-' : '';
  const abs = Math.abs(money.minor);
  const unit = 10 ** exponent;
  return `${sign}${Math.floor(abs / unit)}.${String(abs % unit).padStart(exponent, '0')}`;
}

/**
 * Several discounts compounded on one unit price, `minor × Π(1 − bpᵢ/10,000)`, computed exactly with BigInt
 * and rounded half-up once at the end, so stacking two discounts never rounds twice.
 */
export function discountedByAll(minor: number, bps: readonly number[]): number {
  if (bps.length === 0) return minor;
  if (bps.length === 1) return discounted(minor, bps[0] ?? 0);
  let numerator = BigInt(minor);
  let denominator = 1n;
  for (const bp of bps) {
    if (bp < 0 || bp > 10_000) throw new RangeError('a discount is between 0 and 10,000 basis points');
    numerator *= BigInt(10_000 - bp);
    denominator *= 10_000n;
  }
  return Number((numerator * 2n + denominator) / (denominator * 2n));
}

/** "12.5" for 1250 basis points: a percentage for people, never for arithmetic. */
export const formatBasisPoints = (bp: number): string => String(bp / 100);
