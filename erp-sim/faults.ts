import { isRecord } from './http';
import type { Faults } from './types';

/** The switchable faults: what they are, how an admin call changes them, how each ERP call consumes them. */

export const noFaults = (): Faults => ({
  down: false,
  downUntil: null,
  slowMs: 0,
  error500: 0,
  rateLimit429: 0,
  retryAfterSeconds: 30,
  lostResponse: 0,
  duplicate: false,
  outOfOrder: false,
  malformed: 0,
});

/** What `PUT /admin/faults` and `sim.faults.set` take: any subset, plus `downForMs` (simulated). */
export type FaultsPatch = Partial<Omit<Faults, 'downUntil'>> & { downForMs?: number };

const COUNTS = [
  'slowMs',
  'error500',
  'rateLimit429',
  'retryAfterSeconds',
  'lostResponse',
  'malformed',
] as const;
const SWITCHES = ['down', 'duplicate', 'outOfOrder'] as const;

/** Checks an admin body; the message names the first field at fault. */
export function parseFaultsPatch(
  body: unknown,
): { ok: true; patch: FaultsPatch } | { ok: false; error: string } {
  if (!isRecord(body)) return { ok: false, error: 'the body must be a JSON object' };
  const patch: FaultsPatch = {};
  for (const [field, value] of Object.entries(body)) {
    if ((COUNTS as readonly string[]).includes(field) || field === 'downForMs') {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
        return { ok: false, error: `${field}: a whole number ≥ 0` };
      }
      (patch as Record<string, number>)[field] = value;
    } else if ((SWITCHES as readonly string[]).includes(field)) {
      if (typeof value !== 'boolean') return { ok: false, error: `${field}: true or false` };
      (patch as Record<string, boolean>)[field] = value;
    } else {
      return {
        ok: false,
        error: `${field}: unknown fault (known: ${[...SWITCHES, ...COUNTS, 'downForMs'].join(', ')})`,
      };
    }
  }
  return { ok: true, patch };
}

export function applyFaultsPatch(faults: Faults, patch: FaultsPatch, now: number): Faults {
  const { downForMs, ...rest } = patch;
  const next: Faults = { ...faults, ...rest };
  if (downForMs !== undefined) {
    next.down = downForMs > 0;
    next.downUntil = downForMs > 0 ? now + downForMs : null;
  } else if (rest.down !== undefined) {
    next.downUntil = null;
  }
  return next;
}

/** `down` with a deadline ends once the simulated clock reaches it. */
export function expireFaults(faults: Faults, now: number): Faults {
  if (faults.down && faults.downUntil !== null && now >= faults.downUntil) {
    return { ...faults, down: false, downUntil: null };
  }
  return faults;
}

/** What an inbound ERP call meets, in this order: down, 429, 500, a lost answer, or nothing. */
export type InboundFault =
  | { kind: 'down' }
  | { kind: 'rateLimited'; retryAfterSeconds: number }
  | { kind: 'error500' }
  | { kind: 'lostResponse' }
  | { kind: 'none' };

/** Consumes one count of the fault that applies; the caller stores the returned faults. */
export function takeInboundFault(faults: Faults): { faults: Faults; fault: InboundFault } {
  if (faults.down) return { faults, fault: { kind: 'down' } };
  if (faults.rateLimit429 > 0) {
    return {
      faults: { ...faults, rateLimit429: faults.rateLimit429 - 1 },
      fault: { kind: 'rateLimited', retryAfterSeconds: faults.retryAfterSeconds },
    };
  }
  if (faults.error500 > 0) {
    return { faults: { ...faults, error500: faults.error500 - 1 }, fault: { kind: 'error500' } };
  }
  if (faults.lostResponse > 0) {
    return { faults: { ...faults, lostResponse: faults.lostResponse - 1 }, fault: { kind: 'lostResponse' } };
  }
  return { faults, fault: { kind: 'none' } };
}

/** Cuts a body in the middle of its last record (line): what a truncated transfer looks like. */
export function breakBody(body: string): string {
  const trimmed = body.trimEnd();
  const lastStart = trimmed.lastIndexOf('\n') + 1;
  const lastLength = trimmed.length - lastStart;
  return trimmed.slice(0, lastStart + Math.max(1, Math.floor(lastLength / 2)));
}
