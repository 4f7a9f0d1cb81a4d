import { MAX_QUANTITY } from '../pricing/engine';

/** A quantity as typed in a paste or a file, read the way people write numbers. */
export type TypedQuantity =
  | { kind: 'none' }
  | { kind: 'value'; value: number }
  | { kind: 'invalid'; reason: 'invalid_quantity' | 'quantity_too_large'; message: string };

const THOUSANDS_SPACED = /^\d{1,3}(?:[ \u00a0\u202f'’_]\d{3})+$/;
const THOUSANDS_COMMA = /^\d{1,3}(?:,\d{3})+$/;
const THOUSANDS_DOT = /^\d{1,3}(?:\.\d{3})+$/;
const DECIMAL = /^\d*[.,]\d+$/;
const INTEGER = /^\d+$/;
const SCIENTIFIC = /^\d+(?:[.,]\d+)?[eE][+-]?\d+$/;

/**
 * "12", "1 000", "1,000" and "1.000" (thousands: a group of exactly three digits), "1,5" and "1.5"
 * (decimals), "1E+03" (spreadsheets write large numbers so). Zero, negative, text or beyond the largest
 * quantity are refused with the reason; a fraction is a value (rounded up to whole units later).
 */
export function readQuantity(typed: string | null): TypedQuantity {
  const text = typed?.trim().replace(/^\+/, '') ?? '';
  if (text === '') return { kind: 'none' };
  const invalid = (message: string): TypedQuantity => ({
    kind: 'invalid',
    reason: 'invalid_quantity',
    message,
  });
  if (text.startsWith('-')) return invalid(`"${typed}" is negative; a quantity is at least 1`);
  let value: number;
  if (INTEGER.test(text)) value = Number(text);
  else if (THOUSANDS_SPACED.test(text)) value = Number(text.replace(/\D/g, ''));
  else if (THOUSANDS_COMMA.test(text) || THOUSANDS_DOT.test(text)) value = Number(text.replace(/[.,]/g, ''));
  else if (DECIMAL.test(text) || SCIENTIFIC.test(text)) value = Number(text.replace(',', '.'));
  else return invalid(`"${typed}" is not a quantity`);
  if (!Number.isFinite(value) || value <= 0) return invalid(`"${typed}" is not a quantity of at least 1`);
  if (value > MAX_QUANTITY)
    return {
      kind: 'invalid',
      reason: 'quantity_too_large',
      message: `"${typed}" is more than the ${MAX_QUANTITY.toLocaleString('en')} units a line may hold`,
    };
  return { kind: 'value', value };
}
