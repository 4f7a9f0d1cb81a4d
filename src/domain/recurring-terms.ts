import type { LineProblem } from './carts';
import { isBlocking } from './carts';

/**
 * The vocabulary of recurring orders shared by storage, the company's object and the API: statuses, the
 * source of an occurrence's lines, what happened to each line, the PO number pattern and the occurrence key.
 */
export const RECURRING_STATUSES = ['active', 'paused', 'ended'] as const;
export type RecurringStatus = (typeof RECURRING_STATUSES)[number];

/** `placing`: claimed, its order under way; the others are final. */
export const RECURRING_OCCURRENCE_STATUSES = [
  'placing',
  'placed',
  'pending_approval',
  'skipped',
  'failed',
] as const;
export type OccurrenceStatus = (typeof RECURRING_OCCURRENCE_STATUSES)[number];

export const SOURCE_KINDS = ['lines', 'cart', 'list'] as const;
export interface OrderLine {
  sku: string;
  quantity: number;
}
/** Where an occurrence's lines come from: the schedule's own lines, or a saved cart or list read each time. */
export type RecurringSource =
  | { kind: 'lines'; lines: OrderLine[] }
  | { kind: 'cart'; cartId: string }
  | { kind: 'list'; listId: string };

export interface OccurrenceLine {
  sku: string;
  quantity: number;
  outcome: 'ordered' | 'replaced' | 'left_out';
  /** the SKU ordered instead (replaced) */
  replacement: string | null;
  /** why it was replaced or left out, or a warning it was ordered with (short stock) */
  reason: string | null;
}

/** The occurrence key: schedule and scheduled instant. It is the checkout's Idempotency-Key. */
export const occurrenceKey = (scheduleId: string, at: number): string =>
  `recurring:${scheduleId}:${new Date(at).toISOString()}`;

// ── PO number pattern ─────────────────────────────────────────────────────────────────────────────────

const PO_TOKENS = ['yyyy', 'yy', 'mm', 'dd', 'n'] as const;
const TOKEN = /\{([^{}]*)\}/g;
export const PO_MAX = 64;

/** Why a PO pattern cannot be used, or null: only known tokens, and short enough once filled in. */
export function poPatternProblem(pattern: string): string | null {
  for (const [, token] of pattern.matchAll(TOKEN))
    if (!(PO_TOKENS as readonly string[]).includes(token ?? ''))
      return `unknown token {${token}}; use {yyyy}, {yy}, {mm}, {dd} or {n}`;
  if (/[{}]/.test(pattern.replace(TOKEN, ''))) return 'a brace without its pair';
  if (expandPoPattern(pattern, '2026-12-31', 999_999).length > PO_MAX)
    return `at most ${PO_MAX} characters once filled in`;
  return null;
}

/** The PO number of occurrence `n` on `localDate`: `REC-{yyyy}{mm}-{n}` → `REC-202611-4`. */
export function expandPoPattern(pattern: string, localDate: string, n: number): string {
  const parts: Record<string, string> = {
    yyyy: localDate.slice(0, 4),
    yy: localDate.slice(2, 4),
    mm: localDate.slice(5, 7),
    dd: localDate.slice(8, 10),
    n: String(n),
  };
  return pattern.replace(TOKEN, (_, token: string) => parts[token] ?? '');
}

// ── What an occurrence orders ─────────────────────────────────────────────────────────────────────────

/** What is known of an obsolete line's replacement, priced at the line's quantity. */
export interface ReplacementFacts {
  sku: string;
  /** orderable at that quantity: no blocking problem */
  orderable: boolean;
  /** same pack size and unit of measure as the obsolete product */
  samePack: boolean;
}

function describe(p: LineProblem): string {
  switch (p.code) {
    case 'below_minimum':
    case 'not_a_multiple':
      return `${p.code.replaceAll('_', ' ')} (nearest valid quantity ${p.nearestValidQuantity})`;
    case 'short_stock':
      return `short stock: ${p.availableQuantity} available${p.nextAvailabilityDate ? `, next delivery ${p.nextAvailabilityDate}` : ''}`;
    case 'not_available':
      return 'no longer in your assortment';
    default:
      return p.code.replaceAll('_', ' ');
  }
}

/**
 * Decides each line of an occurrence from its pricing now: ordered as is (short stock is a warning), an
 * obsolete product replaced when its replacement is orderable in the same pack and the owner allowed it,
 * anything else that would stop a checkout left out with the reason. A replacement already in the order
 * adds up with it. Returns the lines to order and the report of every line.
 */
export function planOccurrenceLines(
  lines: readonly OrderLine[],
  problemsOf: (index: number) => readonly LineProblem[],
  replacementOf: (index: number) => ReplacementFacts | null,
  autoReplace: boolean,
  maxQuantity: number,
): { order: OrderLine[]; report: OccurrenceLine[] } {
  const order = new Map<string, number>();
  const add = (sku: string, quantity: number) =>
    order.set(sku, Math.min(maxQuantity, (order.get(sku) ?? 0) + quantity));
  const report = lines.map((line, i): OccurrenceLine => {
    const problems = problemsOf(i);
    const blocking = problems.filter(isBlocking);
    const base = { sku: line.sku, quantity: line.quantity, replacement: null };
    if (blocking.length === 0) {
      add(line.sku, line.quantity);
      const warning = problems.find((p) => !isBlocking(p));
      return { ...base, outcome: 'ordered', reason: warning ? describe(warning) : null };
    }
    const obsolete = blocking.find((p) => p.code === 'obsolete');
    const replacement = obsolete ? replacementOf(i) : null;
    if (obsolete && replacement) {
      const refusal = !autoReplace
        ? 'automatic replacement is off'
        : !replacement.samePack
          ? 'it comes in another pack'
          : !replacement.orderable
            ? 'it cannot be ordered at this quantity'
            : null;
      if (!refusal) {
        add(replacement.sku, line.quantity);
        return { ...base, outcome: 'replaced', replacement: replacement.sku, reason: 'obsolete' };
      }
      return {
        ...base,
        outcome: 'left_out',
        reason: `obsolete; replacement ${replacement.sku} not used: ${refusal}`,
      };
    }
    return { ...base, outcome: 'left_out', reason: blocking.map(describe).join('; ') };
  });
  return { order: [...order].map(([sku, quantity]) => ({ sku, quantity })), report };
}
