import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ApprovalDecision,
  type ApprovalPolicy,
  approvalChain,
  type OrderFacts,
  periodBounds,
  periodKey,
  spendPeriodBounds,
} from '../../src/domain/approvals';

const facts = (over: Partial<OrderFacts> = {}): OrderFacts => ({
  totalMinor: 10_000,
  costCenterId: null,
  categoryPaths: [],
  requesterId: 'usr_req',
  requesterOrderLimitMinor: null,
  isFirstOrderOfRequester: false,
  budget: null,
  ...over,
});

const policy = (over: Partial<ApprovalPolicy> & Pick<ApprovalPolicy, 'id' | 'kind'>): ApprovalPolicy => ({
  name: over.id,
  thresholdMinor: null,
  secondThresholdMinor: null,
  costCenterId: null,
  categories: null,
  steps: [{ role: 'approver', required: 1 }],
  ...over,
});

const amount = policy({ id: 'apr_amt', kind: 'amount', thresholdMinor: 500_000 });
const twoLevels = policy({
  id: 'apr_two',
  kind: 'two_levels',
  thresholdMinor: 100_000,
  secondThresholdMinor: 1_000_000,
  steps: [
    { role: 'approver', required: 1 },
    { role: 'finance', required: 1 },
  ],
});
const costCenter = policy({ id: 'apr_cc', kind: 'cost_center', costCenterId: 'cc_it' });
const cats = policy({
  id: 'apr_cat',
  kind: 'categories',
  categories: ['safety', 'fasteners/screws'],
  steps: [{ userIds: ['usr_hse'], required: 1 }],
});
const firstOrder = policy({ id: 'apr_first', kind: 'first_order', steps: [{ role: 'admin', required: 1 }] });

/** The keys of the steps, or the outcome when there are none. */
const keys = (d: ApprovalDecision): string[] | string =>
  d.outcome === 'needs_approval' ? d.steps.map((s) => s.key) : d.outcome;

describe('approvalChain: one case per shape and rule', () => {
  it.each<[string, ApprovalPolicy[], Partial<OrderFacts>, string[] | string]>([
    ['no policy', [], { totalMinor: 99_999_999 }, 'approve_automatically'],
    ['amount: at the threshold', [amount], { totalMinor: 500_000 }, 'approve_automatically'],
    ['amount: one minor unit above', [amount], { totalMinor: 500_001 }, ['apr_amt:0']],
    [
      'amount: only the first step',
      [
        {
          ...amount,
          steps: [
            { role: 'approver', required: 1 },
            { role: 'finance', required: 1 },
          ],
        },
      ],
      { totalMinor: 600_000 },
      ['apr_amt:0'],
    ],
    ['two_levels: below the first', [twoLevels], { totalMinor: 100_000 }, 'approve_automatically'],
    ['two_levels: between', [twoLevels], { totalMinor: 1_000_000 }, ['apr_two:0']],
    ['two_levels: above the second', [twoLevels], { totalMinor: 1_000_001 }, ['apr_two:0', 'apr_two:1']],
    ['cost_center: same', [costCenter], { costCenterId: 'cc_it' }, ['apr_cc:0']],
    ['cost_center: another', [costCenter], { costCenterId: 'cc_prod' }, 'approve_automatically'],
    ['cost_center: none on the order', [costCenter], { costCenterId: null }, 'approve_automatically'],
    ['categories: exact', [cats], { categoryPaths: ['tools', 'safety'] }, ['apr_cat:0']],
    ['categories: under', [cats], { categoryPaths: ['fasteners/screws/wood-screws'] }, ['apr_cat:0']],
    [
      'categories: a sibling prefix',
      [cats],
      { categoryPaths: ['fasteners/screwsx'] },
      'approve_automatically',
    ],
    ['categories: the parent', [cats], { categoryPaths: ['fasteners'] }, 'approve_automatically'],
    ['first_order: first', [firstOrder], { isFirstOrderOfRequester: true }, ['apr_first:0']],
    ['first_order: not first', [firstOrder], { isFirstOrderOfRequester: false }, 'approve_automatically'],
    [
      'order limit: at it',
      [],
      { totalMinor: 5_000, requesterOrderLimitMinor: 5_000 },
      'approve_automatically',
    ],
    ['order limit: above', [], { totalMinor: 5_001, requesterOrderLimitMinor: 5_000 }, ['order-limit']],
    [
      'order limit: an approver step already asked',
      [amount],
      { totalMinor: 600_000, requesterOrderLimitMinor: 5_000 },
      ['apr_amt:0'],
    ],
    [
      'order limit: a finance step is not an approver',
      [{ ...amount, steps: [{ role: 'finance', required: 1 }] }],
      { totalMinor: 600_000, requesterOrderLimitMinor: 5_000 },
      ['apr_amt:0', 'order-limit'],
    ],
    [
      'period limit: what was ordered plus this order at the cap',
      [],
      { totalMinor: 1_000, requesterPeriodLimit: { limitMinor: 5_000, spentMinor: 4_000, period: 'week' } },
      'approve_automatically',
    ],
    [
      'period limit: above it',
      [],
      { totalMinor: 1_001, requesterPeriodLimit: { limitMinor: 5_000, spentMinor: 4_000, period: 'week' } },
      ['period-limit'],
    ],
    [
      'period limit and order limit: one approver step for both',
      [],
      {
        totalMinor: 6_000,
        requesterOrderLimitMinor: 5_000,
        requesterPeriodLimit: { limitMinor: 5_000, spentMinor: 0, period: 'day' },
      },
      ['order-limit'],
    ],
    [
      'period limit: an approver step already asked',
      [amount],
      { totalMinor: 600_000, requesterPeriodLimit: { limitMinor: 1, spentMinor: 0, period: 'month' } },
      ['apr_amt:0'],
    ],
    [
      'budget: refuse when exceeded, whatever else applies',
      [amount],
      { totalMinor: 600_000, budget: { budgetId: 'bud_1', remainingMinor: 599_999, onExceed: 'refuse' } },
      'refused',
    ],
    [
      'budget: exactly what is left is fine',
      [],
      { totalMinor: 600_000, budget: { budgetId: 'bud_1', remainingMinor: 600_000, onExceed: 'refuse' } },
      'approve_automatically',
    ],
    [
      'budget: finance approval when exceeded',
      [],
      {
        totalMinor: 600_000,
        budget: { budgetId: 'bud_1', remainingMinor: -5, onExceed: 'finance_approval' },
      },
      ['budget:bud_1'],
    ],
    [
      'order: policies as given, then order limit, then budget',
      [firstOrder, { ...costCenter, steps: [{ userIds: ['usr_x'], required: 1 }] }],
      {
        isFirstOrderOfRequester: true,
        costCenterId: 'cc_it',
        totalMinor: 10_000,
        requesterOrderLimitMinor: 1,
        budget: { budgetId: 'bud_2', remainingMinor: 0, onExceed: 'finance_approval' },
      },
      ['apr_first:0', 'apr_cc:0', 'order-limit', 'budget:bud_2'],
    ],
  ])('%s', (_name, policies, over, expected) => {
    expect(keys(approvalChain(policies, facts(over)))).toEqual(expected);
  });

  it('says why, with grouped amounts', () => {
    const d = approvalChain(
      [amount, twoLevels],
      facts({ totalMinor: 123_456_789, requesterOrderLimitMinor: 0 }),
    );
    expect(d).toEqual({
      outcome: 'needs_approval',
      steps: [
        {
          key: 'apr_amt:0',
          reason: 'Order above 5,000.00; Order above 1,000.00',
          policyId: 'apr_amt',
          role: 'approver',
          userIds: [],
          required: 1,
        },
        {
          key: 'apr_two:1',
          reason: 'Order above 10,000.00',
          policyId: 'apr_two',
          role: 'finance',
          userIds: [],
          required: 1,
        },
      ],
    });
    expect(approvalChain([], facts({ totalMinor: 2, requesterOrderLimitMinor: 1 }))).toMatchObject({
      steps: [
        { key: 'order-limit', role: 'approver', required: 1, reason: 'Above your order limit of 0.01' },
      ],
    });
    expect(
      approvalChain(
        [],
        facts({
          totalMinor: 200_000_000,
          budget: { budgetId: 'bud_1', remainingMinor: 123_456_789, onExceed: 'refuse' },
        }),
      ),
    ).toEqual({ outcome: 'refused', reason: 'Order exceeds the remaining budget of 1,234,567.89' });
  });

  it('merges steps asking the same people: first key, joined reasons, the most approvals', () => {
    const a = policy({ id: 'apr_a', kind: 'first_order', steps: [{ userIds: ['u1', 'u2'], required: 1 }] });
    const b = policy({ id: 'apr_b', kind: 'first_order', steps: [{ userIds: ['u2', 'u1'], required: 2 }] });
    const c = policy({ id: 'apr_c', kind: 'first_order', steps: [{ userIds: ['u1'], required: 1 }] });
    const d = approvalChain([a, b, c], facts({ isFirstOrderOfRequester: true }));
    expect(d).toEqual({
      outcome: 'needs_approval',
      steps: [
        expect.objectContaining({ key: 'apr_a:0', userIds: ['u1', 'u2'], required: 2 }),
        expect.objectContaining({ key: 'apr_c:0', userIds: ['u1'], required: 1 }),
      ],
    });
    if (d.outcome === 'needs_approval')
      expect(d.steps[0]?.reason).toBe(
        'First order of the requester (apr_a); First order of the requester (apr_b)',
      );
  });

  it('a budget step merges with a finance step of a policy', () => {
    const finance = policy({
      id: 'apr_f',
      kind: 'cost_center',
      costCenterId: 'cc_it',
      steps: [{ role: 'finance', required: 1 }],
    });
    const d = approvalChain(
      [finance],
      facts({
        costCenterId: 'cc_it',
        budget: { budgetId: 'bud_1', remainingMinor: 0, onExceed: 'finance_approval' },
      }),
    );
    expect(keys(d)).toEqual(['apr_f:0']);
  });

  it('keeps required between 1 and the number of named users', () => {
    const p = policy({
      id: 'apr_r',
      kind: 'first_order',
      steps: [
        { userIds: ['u1', 'u2'], required: 5 },
        { role: 'approver', required: 0 },
        { role: 'finance', userIds: ['u3'], required: 2 },
      ],
    });
    const d = approvalChain([p], facts({ isFirstOrderOfRequester: true }));
    expect(d.outcome === 'needs_approval' && d.steps.map((s) => s.required)).toEqual([2, 1, 2]);
  });
});

describe('budget periods (UTC)', () => {
  const at = (y: number, m: number, d: number, h = 0, min = 0, s = 0, ms = 0) =>
    Date.UTC(y, m - 1, d, h, min, s, ms);

  it.each<[string, number, string, string, string]>([
    ['last millisecond of a year', at(2026, 12, 31, 23, 59, 59, 999), '2026-12', '2026-Q4', '2026'],
    ['first millisecond of a year', at(2027, 1, 1), '2027-01', '2027-Q1', '2027'],
    ['end of Q1', at(2026, 3, 31, 23, 59, 59, 999), '2026-03', '2026-Q1', '2026'],
    ['start of Q2', at(2026, 4, 1), '2026-04', '2026-Q2', '2026'],
    ['end of Q2', at(2026, 6, 30, 23, 59, 59, 999), '2026-06', '2026-Q2', '2026'],
    ['start of Q3', at(2026, 7, 1), '2026-07', '2026-Q3', '2026'],
    ['end of Q3', at(2026, 9, 30, 23, 59, 59, 999), '2026-09', '2026-Q3', '2026'],
    ['start of Q4', at(2026, 10, 1), '2026-10', '2026-Q4', '2026'],
    ['leap day', at(2028, 2, 29, 12), '2028-02', '2028-Q1', '2028'],
    ['the epoch', 0, '1970-01', '1970-Q1', '1970'],
  ])('%s', (_name, t, month, quarter, year) => {
    expect([periodKey('month', t), periodKey('quarter', t), periodKey('year', t)]).toEqual([
      month,
      quarter,
      year,
    ]);
  });

  it.each<[string, 'month' | 'quarter' | 'year', number, number, number]>([
    ['December', 'month', at(2026, 12, 31, 23, 59, 59, 999), at(2026, 12, 1), at(2027, 1, 1)],
    ['Q4', 'quarter', at(2026, 12, 31, 23, 59, 59, 999), at(2026, 10, 1), at(2027, 1, 1)],
    ['a year', 'year', at(2027, 1, 1), at(2027, 1, 1), at(2028, 1, 1)],
    ['February of a leap year', 'month', at(2028, 2, 29, 23), at(2028, 2, 1), at(2028, 3, 1)],
    ['February of a common year', 'month', at(2026, 2, 10), at(2026, 2, 1), at(2026, 3, 1)],
    ['February 2100 (not leap)', 'month', at(2100, 2, 28), at(2100, 2, 1), at(2100, 3, 1)],
    ['Q1 of a leap year', 'quarter', at(2028, 3, 31), at(2028, 1, 1), at(2028, 4, 1)],
  ])('bounds: %s', (_name, period, t, start, end) => {
    expect(periodBounds(period, t)).toEqual({ start, end });
  });

  it('February is 29 days in a leap year and 28 otherwise', () => {
    const days = (t: number) => {
      const { start, end } = periodBounds('month', t);
      return (end - start) / 86_400_000;
    };
    expect(days(at(2024, 2, 15))).toBe(29);
    expect(days(at(2026, 2, 15))).toBe(28);
  });

  it('rejects a time that is not a number', () => {
    expect(() => periodKey('month', Number.NaN)).toThrow(RangeError);
    expect(() => periodBounds('year', Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

const ROLES = ['approver', 'finance', 'admin', 'site_lead'] as const;
const USERS = ['usr_a', 'usr_b', 'usr_c'] as const;
const stepArb = fc.record(
  {
    role: fc.constantFrom(...ROLES),
    userIds: fc.uniqueArray(fc.constantFrom(...USERS), { minLength: 1, maxLength: 3 }),
    required: fc.integer({ min: 0, max: 4 }),
  },
  { requiredKeys: ['required'] },
);
const amountArb = fc.integer({ min: 0, max: 2_000_000 });
const policiesArb = fc
  .array(
    fc.record({
      kind: fc.constantFrom('amount', 'two_levels', 'cost_center', 'categories', 'first_order' as const),
      thresholdMinor: fc.option(amountArb),
      secondThresholdMinor: fc.option(amountArb),
      costCenterId: fc.option(fc.constantFrom('cc_1', 'cc_2')),
      categories: fc.option(fc.array(fc.constantFrom('a', 'a/b', 'c'), { maxLength: 2 })),
      steps: fc.array(stepArb, { minLength: 1, maxLength: 3 }),
    }),
    { maxLength: 5 },
  )
  .map((ps) => ps.map((p, i): ApprovalPolicy => ({ ...p, id: `apr_${i}`, name: `P${i}` })));
const factsArb = fc.record({
  totalMinor: amountArb,
  costCenterId: fc.option(fc.constantFrom('cc_1', 'cc_2')),
  categoryPaths: fc.array(fc.constantFrom('a', 'a/b', 'a/b/x', 'c', 'd'), { maxLength: 3 }),
  requesterId: fc.constant('usr_req'),
  requesterOrderLimitMinor: fc.option(amountArb),
  isFirstOrderOfRequester: fc.boolean(),
  budget: fc.option(
    fc.record({
      budgetId: fc.constant('bud_1'),
      remainingMinor: fc.integer({ min: -1_000, max: 2_000_000 }),
      onExceed: fc.constantFrom('finance_approval', 'refuse' as const),
    }),
  ),
});

/** How much an outcome asks for: refusal asks more than any chain. */
const weight = (d: ApprovalDecision): number =>
  d.outcome === 'refused' ? Number.POSITIVE_INFINITY : d.outcome === 'needs_approval' ? d.steps.length : 0;

describe('spending cap periods (UTC)', () => {
  const t = Date.parse('2026-11-26T15:30:00Z'); // a Thursday
  it.each([
    ['day', '2026-11-26T00:00:00Z', '2026-11-27T00:00:00Z'],
    ['week', '2026-11-23T00:00:00Z', '2026-11-30T00:00:00Z'],
    ['month', '2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z'],
  ] as const)('%s', (period, start, end) => {
    expect(spendPeriodBounds(period, t)).toEqual({ start: Date.parse(start), end: Date.parse(end) });
  });

  it('a Monday starts its week, a Sunday ends it', () => {
    const monday = Date.parse('2026-11-30T00:00:00Z');
    expect(spendPeriodBounds('week', monday).start).toBe(monday);
    expect(spendPeriodBounds('week', monday - 1).end).toBe(monday);
  });
});

describe('approvalChain properties', () => {
  it('a higher total never needs fewer steps, other facts equal', () => {
    fc.assert(
      fc.property(policiesArb, factsArb, amountArb, (policies, f, extra) => {
        const low = approvalChain(policies, f);
        const high = approvalChain(policies, { ...f, totalMinor: f.totalMinor + extra });
        expect(weight(high)).toBeGreaterThanOrEqual(weight(low));
      }),
    );
  });

  it('steps have unique keys, distinct approvers and a collectable number of approvals', () => {
    fc.assert(
      fc.property(policiesArb, factsArb, (policies, f) => {
        const d = approvalChain(policies, f);
        if (d.outcome !== 'needs_approval') return;
        expect(d.steps.length).toBeGreaterThan(0);
        expect(new Set(d.steps.map((s) => s.key)).size).toBe(d.steps.length);
        const who = d.steps.map((s) => JSON.stringify([s.role, [...s.userIds].sort()]));
        expect(new Set(who).size).toBe(who.length);
        for (const s of d.steps) {
          expect(s.required).toBeGreaterThanOrEqual(1);
          if (s.role === null && s.userIds.length > 0)
            expect(s.required).toBeLessThanOrEqual(s.userIds.length);
        }
      }),
    );
  });

  it('a refusal is exactly a refuse budget that is exceeded', () => {
    fc.assert(
      fc.property(policiesArb, factsArb, (policies, f) => {
        const refused = approvalChain(policies, f).outcome === 'refused';
        expect(refused).toBe(f.budget?.onExceed === 'refuse' && f.totalMinor > f.budget.remainingMinor);
      }),
    );
  });
});

describe('period properties', () => {
  const timeArb = fc.integer({ min: 0, max: Date.UTC(2200, 0, 1) });
  const periodArb = fc.constantFrom('month', 'quarter', 'year' as const);

  it('the bounds contain the instant, share its key, and the next period starts at the end', () => {
    fc.assert(
      fc.property(periodArb, timeArb, (period, t) => {
        const { start, end } = periodBounds(period, t);
        expect(start).toBeLessThanOrEqual(t);
        expect(t).toBeLessThan(end);
        const key = periodKey(period, t);
        expect(periodKey(period, start)).toBe(key);
        expect(periodKey(period, end - 1)).toBe(key);
        expect(periodKey(period, end)).not.toBe(key);
        expect(periodBounds(period, end).start).toBe(end);
      }),
    );
  });
});
