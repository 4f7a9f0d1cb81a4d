import { applyBasisPoints, formatBasisPoints, formatMinor } from './money';
import { matches, type TargetType } from './pricing/targets';

/**
 * Cart-level offers: spend thresholds and buy-X-get-Y, applied to a priced cart (never to the price index).
 * The rules, as a table, are in docs/offers.md; this file is their only implementation.
 */
export type OfferKind = 'spend_threshold' | 'buy_x_get_y';

export interface CartOffer {
  id: string;
  name: string;
  /** shown to the buyer */
  description: string;
  kind: OfferKind;
  currency: string;
  /** spend_threshold: the subtotal (after buy-X-get-Y) that must be reached, minor units */
  thresholdMinor: number | null;
  /** spend_threshold: off the subtotal after buy-X-get-Y, basis points */
  discountBp: number | null;
  /** buy_x_get_y: which products count */
  targetType: TargetType | null;
  target: string | null;
  buyQuantity: number | null;
  freeQuantity: number | null;
  /** buy_x_get_y: at most this many (buy + free) blocks; null = no limit */
  maxApplications: number | null;
  priority: number;
  combinable: boolean;
  validFrom: number | null;
  validTo: number | null;
}

/** A cart line that can be ordered and has a price; other lines do not take part in offers. */
export interface OfferLine {
  lineId: string;
  sku: string;
  family: string;
  categoryPath: string;
  brand: string;
  quantity: number;
  unitMinor: number;
}

export interface AppliedOffer {
  offerId: string;
  name: string;
  description: string;
  discountMinor: number;
  explanation: string;
  /** buy_x_get_y: the lines with free units; spend_threshold: every line */
  lineIds: string[];
}

export interface OfferHint {
  offerId: string;
  message: string;
}

export interface OfferResult {
  applied: AppliedOffer[];
  discountMinor: number;
  totalMinor: number;
  subtotalMinor: number;
  hints: OfferHint[];
}

const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Higher priority first, then lower id: the one order used wherever offers tie. */
const byPrecedence = (a: CartOffer, b: CartOffer): number =>
  b.priority - a.priority || compareIds(a.id, b.id);

const inForce = (o: CartOffer, currency: string, now: number): boolean =>
  o.currency === currency &&
  (o.validFrom === null || o.validFrom <= now) &&
  (o.validTo === null || now < o.validTo);

const positiveInt = (n: number | null): n is number => n !== null && Number.isSafeInteger(n) && n >= 1;

/** Offers whose kind-specific fields do not add up are ignored (the admin routes never store them). */
function wellFormed(o: CartOffer): boolean {
  if (o.kind === 'spend_threshold')
    return (
      o.thresholdMinor !== null &&
      Number.isSafeInteger(o.thresholdMinor) &&
      o.thresholdMinor >= 0 &&
      positiveInt(o.discountBp) &&
      o.discountBp <= 10_000
    );
  return o.targetType !== null && positiveInt(o.buyQuantity) && positiveInt(o.freeQuantity);
}

/** Dearest first; equal prices by line id (then the other fields), so line order never changes a result. */
function canonicalOrder(a: OfferLine, b: OfferLine): number {
  return (
    b.unitMinor - a.unitMinor ||
    compareIds(a.lineId, b.lineId) ||
    compareIds(a.sku, b.sku) ||
    compareIds(a.family, b.family) ||
    compareIds(a.categoryPath, b.categoryPath) ||
    compareIds(a.brand, b.brand) ||
    a.quantity - b.quantity
  );
}

function targetLabel(o: CartOffer): string {
  switch (o.targetType) {
    case 'sku':
      return `SKU ${o.target}`;
    case 'family':
      return `family ${o.target}`;
    case 'category':
      return `category ${o.target}`;
    case 'brand':
      return `brand ${o.target}`;
    default:
      return 'every product';
  }
}

const money = (minor: number, currency: string): string => `${formatMinor({ minor, currency })} ${currency}`;

interface Evaluation {
  applied: AppliedOffer[];
  offers: CartOffer[];
  discountMinor: number;
  /** subtotal after the buy-X-get-Y discounts: what spend thresholds are measured against */
  baseMinor: number;
}

/**
 * One buy-X-get-Y offer over the units still `available` (per line, in canonical order). Matching units,
 * dearest first, form blocks of buy + free; the last `free` units of each of the first `applications`
 * blocks are free. Every unit of an applied block is used up, so a later offer cannot count it again.
 */
function buyXGetY(offer: CartOffer, lines: readonly OfferLine[], available: number[]) {
  const buy = offer.buyQuantity ?? 0;
  const free = offer.freeQuantity ?? 0;
  const group = buy + free;
  const target = { targetType: offer.targetType ?? 'all', target: offer.target };
  const matching = lines.flatMap((line, i) => ((available[i] ?? 0) > 0 && matches(target, line) ? [i] : []));
  const units = matching.reduce((n, i) => n + (available[i] ?? 0), 0);
  const blocks = Math.floor(units / group);
  const applications = offer.maxApplications === null ? blocks : Math.min(blocks, offer.maxApplications);
  if (applications <= 0) return null;
  // free units among the first x matching units
  const freeBefore = (x: number): number => {
    const full = Math.floor(x / group);
    return (
      Math.min(full, applications) * free + (full < applications ? Math.max(0, x - full * group - buy) : 0)
    );
  };
  const usedUp = applications * group;
  const used = [...available];
  const lineIds: string[] = [];
  let start = 0;
  let freeUnits = 0;
  let discountMinor = 0;
  for (const i of matching) {
    const line = lines[i] as OfferLine;
    const end = start + (available[i] ?? 0);
    const freeHere = freeBefore(end) - freeBefore(start);
    if (freeHere > 0) lineIds.push(line.lineId);
    freeUnits += freeHere;
    discountMinor += freeHere * line.unitMinor;
    used[i] = (available[i] ?? 0) - Math.max(0, Math.min(end, usedUp) - Math.min(start, usedUp));
    start = end;
  }
  if (discountMinor <= 0) return null;
  const applied: AppliedOffer = {
    offerId: offer.id,
    name: offer.name,
    description: offer.description,
    discountMinor,
    explanation: `Buy ${buy} get ${free} free on ${targetLabel(offer)}: ${freeUnits} free unit${freeUnits === 1 ? '' : 's'}`,
    lineIds: [...new Set(lineIds)].sort(compareIds),
  };
  return { applied, available: used };
}

const thresholdDiscount = (o: CartOffer, baseMinor: number): number =>
  baseMinor >= (o.thresholdMinor ?? 0) ? applyBasisPoints(baseMinor, o.discountBp ?? 0) : 0;

/** A set of offers applied together: buy-X-get-Y in precedence order, then the best reached threshold. */
function evaluate(
  offers: readonly CartOffer[],
  lines: readonly OfferLine[],
  subtotalMinor: number,
  currency: string,
): Evaluation {
  const applied: AppliedOffer[] = [];
  const used: CartOffer[] = [];
  let available = lines.map((l) => l.quantity);
  let freeMinor = 0;
  for (const offer of offers.filter((o) => o.kind === 'buy_x_get_y')) {
    const result = buyXGetY(offer, lines, available);
    if (!result) continue;
    available = result.available;
    freeMinor += result.applied.discountMinor;
    applied.push(result.applied);
    used.push(offer);
  }
  const baseMinor = subtotalMinor - freeMinor;
  let best: { offer: CartOffer; discountMinor: number } | null = null;
  for (const offer of offers.filter((o) => o.kind === 'spend_threshold')) {
    const discountMinor = thresholdDiscount(offer, baseMinor);
    if (discountMinor > 0 && (best === null || discountMinor > best.discountMinor))
      best = { offer, discountMinor };
  }
  if (best) {
    const { offer, discountMinor } = best;
    applied.push({
      offerId: offer.id,
      name: offer.name,
      description: offer.description,
      discountMinor,
      explanation: `${formatBasisPoints(offer.discountBp ?? 0)} % off orders of ${money(offer.thresholdMinor ?? 0, currency)} or more`,
      lineIds: [...new Set(lines.map((l) => l.lineId))].sort(compareIds),
    });
    used.push(offer);
  }
  return { applied, offers: used, discountMinor: freeMinor + (best?.discountMinor ?? 0), baseMinor };
}

/** Larger discount first; then the option holding the higher priority, then the lower offer id. */
function better(a: Evaluation, b: Evaluation): boolean {
  if (a.discountMinor !== b.discountMinor) return a.discountMinor > b.discountMinor;
  const lead = (e: Evaluation) => [...e.offers].sort(byPrecedence)[0];
  const [x, y] = [lead(a), lead(b)];
  if (!x || !y) return x !== undefined;
  if (x.priority !== y.priority) return x.priority > y.priority;
  return compareIds(x.id, y.id) < 0;
}

/** "Spend 120.00 EUR more to get 5 % off": the nearest threshold not reached that beats every reached one. */
function nearestHint(
  thresholds: readonly CartOffer[],
  baseOf: (o: CartOffer) => number,
  currency: string,
): OfferHint[] {
  const reached = thresholds.filter((o) => baseOf(o) >= (o.thresholdMinor ?? 0));
  const bestBp = Math.max(0, ...reached.map((o) => o.discountBp ?? 0));
  const gap = (o: CartOffer) => (o.thresholdMinor ?? 0) - baseOf(o);
  const [nearest] = thresholds
    .filter((o) => gap(o) > 0 && (o.discountBp ?? 0) > bestBp)
    .sort((a, b) => gap(a) - gap(b) || (b.discountBp ?? 0) - (a.discountBp ?? 0) || byPrecedence(a, b));
  if (!nearest) return [];
  return [
    {
      offerId: nearest.id,
      message: `Spend ${money(gap(nearest), currency)} more to get ${formatBasisPoints(nearest.discountBp ?? 0)} % off`,
    },
  ];
}

/**
 * The offers a priced cart gets. Combinable offers apply together; each non-combinable offer is tried alone;
 * the largest total discount wins. Lines must have a positive integer quantity and a non-negative integer
 * unit price.
 *
 * @example applyOffers([fivePercentOver500], [{ lineId: 'l1', …, quantity: 10, unitMinor: 6000 }], 'EUR', now)
 *   // → discountMinor 3000, totalMinor 57000, explanation "5 % off orders of 500.00 EUR or more"
 */
export function applyOffers(
  offers: readonly CartOffer[],
  lines: readonly OfferLine[],
  currency: string,
  now: number,
): OfferResult {
  for (const l of lines) {
    if (
      !Number.isSafeInteger(l.quantity) ||
      l.quantity < 1 ||
      !Number.isSafeInteger(l.unitMinor) ||
      l.unitMinor < 0
    )
      throw new RangeError(`line ${l.lineId}: quantity ≥ 1 and unit price ≥ 0, both integers`);
  }
  const sorted = [...lines].sort(canonicalOrder);
  const subtotalMinor = sorted.reduce((sum, l) => sum + l.quantity * l.unitMinor, 0);
  if (!Number.isSafeInteger(subtotalMinor)) throw new RangeError('the subtotal exceeds 2^53 minor units');
  const eligible = offers.filter((o) => inForce(o, currency, now) && wellFormed(o)).sort(byPrecedence);

  const together = evaluate(
    eligible.filter((o) => o.combinable),
    sorted,
    subtotalMinor,
    currency,
  );
  let winner = together;
  for (const offer of eligible.filter((o) => !o.combinable)) {
    const alone = evaluate([offer], sorted, subtotalMinor, currency);
    if (better(alone, winner)) winner = alone;
  }
  const hints = nearestHint(
    eligible.filter((o) => o.kind === 'spend_threshold'),
    (o) => (o.combinable ? together.baseMinor : subtotalMinor),
    currency,
  );
  return {
    applied: winner.applied,
    discountMinor: winner.discountMinor,
    totalMinor: subtotalMinor - winner.discountMinor,
    subtotalMinor,
    hints,
  };
}
