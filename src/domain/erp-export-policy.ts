import type { ExportKind } from './erp-terms';

/**
 * How an export reads the ERP's answer, and when it tries again (docs/erp.md#platform--erp-order-export).
 * Pure: the time and the randomness are passed in.
 */
export type ErpVerdict =
  /** the ERP has it (2xx; 409 "already have it"; 404 on a cancellation: nothing to cancel) */
  | 'sent'
  /** worth another attempt: 408, 429, 5xx, a timeout or a network error */
  | 'retry'
  /** retrying cannot help: any other answer, kept with the export for a person to read */
  | 'failed';

export function verdictOf(kind: ExportKind, status: number): ErpVerdict {
  if (status >= 200 && status <= 299) return 'sent';
  if (status === 408 || status === 429 || status >= 500) return 'retry';
  // the same Idempotency-Key again: the ERP already has it. A cancellation refused as a conflict is the
  // ERP saying no (already shipped, say): a person has to settle that.
  if (status === 409) return kind === 'cancellation' ? 'failed' : 'sent';
  if (status === 404 && kind === 'cancellation') return 'sent';
  return 'failed';
}

/** First retry after ~10 s, doubling per attempt, at most 15 minutes (before jitter). */
export const RETRY_BASE_SECONDS = 10;
export const RETRY_CAP_SECONDS = 900;
/** Queues delay a message at most 12 hours: a longer Retry-After is cut to that. */
export const MAX_DELAY_SECONDS = 43_200;

/**
 * Exponential backoff with "equal jitter": half of the step fixed, half random, so exports that failed
 * together (the ERP was down) do not all come back in the same second.
 */
export function backoffSeconds(attempt: number, random: number): number {
  const step = Math.min(RETRY_CAP_SECONDS, RETRY_BASE_SECONDS * 2 ** Math.max(0, attempt - 1));
  return Math.ceil(step / 2 + (step / 2) * Math.min(Math.max(random, 0), 1));
}

/** `Retry-After` as delta seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterSeconds(header: string | null, now: number): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Math.min(Number(value), MAX_DELAY_SECONDS);
  // an HTTP date starts with the day's name; "-5" or "1.5" is neither form (Date.parse would take "-5" as a year)
  if (!/^[A-Za-z]/.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(0, Math.ceil((at - now) / 1000)), MAX_DELAY_SECONDS);
}

/** The ERP's own wait when it gave one, else the backoff. */
export const retryDelay = (attempt: number, retryAfter: string | null, now: number, random: number) =>
  retryAfterSeconds(retryAfter, now) ?? backoffSeconds(attempt, random);
