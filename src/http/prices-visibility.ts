import type { Principal } from '../domain/principal';

/**
 * The one place that decides how much money an answer shows. Catalog prices follow `prices.view`; so does
 * every other answer carrying money (carts, checkout preview and result, orders, approvals). Without the
 * permission a user may still fill carts, check out at the contract price and approve — they just see no
 * amounts:
 *
 * - every field whose name ends in `Minor` (money is integer minor units everywhere) is removed, at any depth;
 * - so is pricing provenance: `ruleId`, `ruleIds`, `tierMinQuantity` and cart/order `offers` (their
 *   discounts, explanations and hints are about money);
 * - amounts written into text (`reason`, `refusal`, `message`, and error details) become `[hidden]`.
 *
 * The shape of an answer does not otherwise change, so clients keep one code path.
 */

const PROVENANCE = new Set(['ruleId', 'ruleIds', 'tierMinQuantity', 'offers']);
const TEXT_FIELDS = new Set(['reason', 'refusal', 'message']);
/** Amounts as the domain writes them into sentences: "5,000.00", "0.01", "-12.50". */
const AMOUNT_IN_TEXT = /-?\d[\d,]*\.\d+/g;
export const HIDDEN_AMOUNT = '[hidden]';

type MoneyKey = `${string}Minor` | 'ruleId' | 'ruleIds' | 'tierMinQuantity' | 'offers';

/** The type of an answer once its money is removed. */
export type WithoutMoney<T> = T extends readonly (infer U)[]
  ? WithoutMoney<U>[]
  : T extends object
    ? { [K in keyof T as K extends MoneyKey ? never : K]: WithoutMoney<T[K]> }
    : T;

export const seesPrices = (principal: Principal | undefined): boolean =>
  principal?.permissions.has('prices.view') ?? false;

export const hideAmounts = (text: string): string => text.replace(AMOUNT_IN_TEXT, HIDDEN_AMOUNT);

function withoutMoney(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutMoney);
  if (value === null || typeof value !== 'object') return value;
  const kept: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (key.endsWith('Minor') || PROVENANCE.has(key)) continue;
    kept[key] = typeof field === 'string' && TEXT_FIELDS.has(key) ? hideAmounts(field) : withoutMoney(field);
  }
  return kept;
}

/** An answer as this principal may see it: unchanged with `prices.view`, without money otherwise. */
export function asSeenBy<T>(principal: Principal, answer: T): T | WithoutMoney<T> {
  return seesPrices(principal) ? answer : (withoutMoney(answer) as WithoutMoney<T>);
}

/** An error's text as this principal may read it (a budget refusal must not tell what is left). */
export function errorTextFor(principal: Principal | undefined, text: string): string {
  return principal === undefined || seesPrices(principal) ? text : hideAmounts(text);
}
