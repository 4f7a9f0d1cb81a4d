import { specificity, type Targetable, type Targeted, TargetIndex } from './targets';

/**
 * Assortment: which products a customer sees and may order. Precedence (docs/pricing.md):
 * - include/exclude: the most specific matching rule decides; on a tie, exclude wins. With no matching
 *   rule a product is visible, unless the customer has include rules at all (then it is an allow-list).
 * - not_orderable: a matching rule keeps a visible product visible but not orderable.
 * - lead_time: the largest matching extra lead time applies.
 * - an obsolete product is visible but not orderable and points at its replacement.
 */
export interface AssortmentRule extends Targeted {
  id: string;
  effect: 'include' | 'exclude' | 'not_orderable' | 'lead_time';
  leadTimeDays: number | null;
}

export interface AssortedProduct extends Targetable {
  status: 'active' | 'obsolete';
  replacementSku: string | null;
}

export type UnorderableReason = 'obsolete' | 'not_orderable' | 'no_price';

/** What a customer learns about a product it can see, besides its price. */
export interface Orderability {
  orderable: boolean;
  reason: UnorderableReason | null;
  /** the rule behind the reason, when a rule is */
  reasonRuleId: string | null;
  leadTimeDays: number;
  replacementSku: string | null;
}

export type Visibility = { visible: false; ruleId: string | null } | ({ visible: true } & Orderability);

export class Assortment {
  private readonly index: TargetIndex<AssortmentRule>;
  private readonly allowList: boolean;

  constructor(rules: readonly AssortmentRule[]) {
    this.index = new TargetIndex(rules);
    this.allowList = rules.some((r) => r.effect === 'include');
  }

  visibility(product: AssortedProduct): Visibility {
    const rules = this.index.rulesFor(product);
    let decider: AssortmentRule | null = null;
    for (const r of rules) {
      if (r.effect !== 'include' && r.effect !== 'exclude') continue;
      if (decider === null || decides(r, decider)) decider = r;
    }
    const visible = decider ? decider.effect === 'include' : !this.allowList;
    if (!visible) return { visible: false, ruleId: decider?.id ?? null };
    const blocking = rules
      .filter((r) => r.effect === 'not_orderable')
      .sort((a, b) => specificity(b) - specificity(a) || (a.id < b.id ? -1 : 1))[0];
    const leadTimeDays = Math.max(
      0,
      ...rules.filter((r) => r.effect === 'lead_time').map((r) => r.leadTimeDays ?? 0),
    );
    const obsolete = product.status === 'obsolete';
    return {
      visible: true,
      orderable: !obsolete && !blocking,
      reason: obsolete ? 'obsolete' : blocking ? 'not_orderable' : null,
      reasonRuleId: obsolete ? null : (blocking?.id ?? null),
      leadTimeDays,
      replacementSku: product.replacementSku,
    };
  }
}

function decides(a: AssortmentRule, b: AssortmentRule): boolean {
  const sa = specificity(a);
  const sb = specificity(b);
  if (sa !== sb) return sa > sb;
  if (a.effect !== b.effect) return a.effect === 'exclude';
  return a.id < b.id;
}
