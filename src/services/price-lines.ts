import { salesRepContact } from '../db/queries/companies';
import { explainRules, orderingRulesOf, type RuleExplanation, skusNear } from '../db/queries/price-lines';
import { formatBasisPoints, formatMinor } from '../domain/money';
import { lineAt } from '../domain/pricing/evaluate';
import { closestSkus, lineTotal, quantityProblem } from '../domain/pricing/quantities';
import type { CustomerView } from './catalog-view';
import type { PricingDeps } from './pricing/deps';
import { customerEntries } from './pricing/entries';

export const MAX_PRICE_LINES = 1_000;
// "did you mean" costs a query per unknown SKU: only the first ones get suggestions
const MAX_SUGGESTED_LINES = 20;

export interface PriceLineRequest {
  sku: string;
  quantity: number;
}

interface Explanation {
  ruleId: string;
  contractId: string;
  contractName: string;
  kind: 'net_price' | 'discount';
  targetType: string;
  target: string | null;
  minQuantity: number;
  text: string;
}

function describe(rule: RuleExplanation, currency: string): string {
  const on = rule.targetType === 'all' ? 'everything' : `${rule.targetType} ${rule.target}`;
  const what =
    rule.kind === 'net_price'
      ? `net price ${formatMinor({ minor: rule.amountMinor ?? 0, currency })} ${currency} on ${on}`
      : `${formatBasisPoints(rule.discountBp ?? 0)} % off ${rule.appliesTo === 'contract' ? 'the contract price of ' : ''}${on}`;
  const tier = rule.minQuantity > 1 ? ` from ${rule.minQuantity} units` : '';
  return `${what}${tier} (contract "${rule.contractName}")`;
}

/** Prices up to 1,000 lines for one customer; every line gets an answer, never the whole call a failure. */
export async function priceLines(
  deps: PricingDeps,
  view: CustomerView,
  lines: readonly PriceLineRequest[],
  now: number,
) {
  const skus = [...new Set(lines.map((l) => l.sku))];
  const [found, ordering] = await Promise.all([
    customerEntries(deps, view.fingerprint, skus, now, { source: view.source }),
    orderingRulesOf(deps.db, skus),
  ]);
  const { currency } = found;
  const answers = lines.map((request) => ({
    request,
    line: lineAt(found.entries.get(request.sku) ?? null, request.quantity),
  }));
  const ruleIds = answers.flatMap(({ line }) => (line.visible && line.price ? line.price.ruleIds : []));
  // an exact reference outside the assortment is the one place a buyer learns it exists: with whom to ask
  const anyHidden = answers.some(({ request, line }) => !line.visible && ordering.has(request.sku));
  const [rules, salesRep] = await Promise.all([
    explainRules(deps.db, ruleIds),
    anyHidden ? salesRepContact(deps.db, view.companyId) : null,
  ]);
  const unknown = skus.filter((sku) => !ordering.has(sku)).slice(0, MAX_SUGGESTED_LINES);
  const suggestions = new Map<string, string[]>();
  await Promise.all(
    unknown.map(async (sku) => {
      const near = closestSkus(sku, await skusNear(deps.db, sku), 10);
      const seen = await customerEntries(deps, view.fingerprint, near, now, { source: view.source });
      suggestions.set(sku, near.filter((s) => seen.entries.get(s)).slice(0, 3));
    }),
  );
  const items = answers.map(({ request, line }) => {
    const { sku, quantity } = request;
    const product = ordering.get(sku);
    if (!product)
      return { sku, quantity, status: 'unknown' as const, closeMatches: suggestions.get(sku) ?? [] };
    if (!line.visible)
      return { sku, quantity, status: 'not_available' as const, reason: 'not_in_assortment', salesRep };
    const problem = quantityProblem(quantity, product);
    const price = line.price
      ? {
          currency,
          unitMinor: line.price.unitMinor,
          listMinor: line.price.listMinor,
          lineTotalMinor: lineTotal(line.price.unitMinor, quantity),
          ruleId: line.price.ruleId,
          tierMinQuantity: line.price.tierMinQuantity,
          explanation: line.price.ruleIds.flatMap((id): Explanation[] => {
            const rule = rules.get(id);
            return rule
              ? [
                  {
                    ruleId: id,
                    contractId: rule.contractId,
                    contractName: rule.contractName,
                    kind: rule.kind,
                    targetType: rule.targetType,
                    target: rule.target,
                    minQuantity: rule.minQuantity,
                    text: describe(rule, currency),
                  },
                ]
              : [];
          }),
        }
      : null;
    const reason = line.reason ?? problem?.code ?? null;
    return {
      sku,
      quantity,
      status: line.orderable && !problem ? ('priced' as const) : ('not_orderable' as const),
      reason,
      ...(problem ? { nearestValidQuantity: problem.nearestValidQuantity } : {}),
      leadTimeDays: line.leadTimeDays,
      replacement: line.replacementSku,
      price,
    };
  });
  return { currency, source: found.source, generation: found.generation, lines: items };
}
