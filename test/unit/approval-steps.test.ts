import { describe, expect, it } from 'vitest';
import type { ApprovalStep } from '../../src/domain/approvals';
import { actAsOn, type DecisionRecord, progress } from '../../src/durable/approval-steps';

const step: ApprovalStep = {
  key: 'apr_1:0',
  reason: 'Order above 1.00',
  policyId: 'apr_1',
  role: null,
  userIds: ['ann', 'bob', 'cid'],
  required: 2,
};
const decision = (by: string, actingFor: string | null): DecisionRecord => ({
  stepKey: step.key,
  by,
  actingFor,
  verdict: 'approve',
  at: 0,
  comment: null,
});
const ann = { userId: 'ann', roles: [] };
const bobFor = new Map([['bob', new Set<string>()]]);

describe('who may act on a step', () => {
  it('offers the actor themself and the approvers they stand in for', () => {
    expect(actAsOn(step, 'req', [], ann, bobFor)).toEqual([
      { userId: 'ann', actingFor: null },
      { userId: 'ann', actingFor: 'bob' },
    ]);
  });

  it('counts each person once: whoever decided, or was stood in for, is done with the step', () => {
    // ann decided as herself: she cannot add bob's place
    expect(actAsOn(step, 'req', [decision('ann', null)], ann, bobFor)).toEqual([]);
    // ann decided for bob: she cannot add her own
    expect(actAsOn(step, 'req', [decision('ann', 'bob')], ann, new Map())).toEqual([]);
    // cid stood in for ann: ann has had her say
    expect(actAsOn(step, 'req', [decision('cid', 'ann')], ann, bobFor)).toEqual([]);
    // bob decided himself: ann may still decide, but not for him
    expect(actAsOn(step, 'req', [decision('bob', null)], ann, bobFor)).toEqual([
      { userId: 'ann', actingFor: null },
    ]);
    // a delegation to oneself never adds a place
    expect(actAsOn(step, 'req', [], ann, new Map([['ann', new Set<string>()]]))).toEqual([
      { userId: 'ann', actingFor: null },
    ]);
  });

  it('never lets the requester act, not even as a substitute', () => {
    expect(actAsOn(step, 'ann', [], ann, bobFor)).toEqual([]);
  });

  it('completes the step with `required` different people', () => {
    expect(progress([step], 0, [decision('ann', null)], 'approve')).toEqual({
      nextIndex: 0,
      effect: 'pending',
    });
    expect(progress([step], 0, [decision('ann', null), decision('cid', 'bob')], 'approve')).toEqual({
      nextIndex: 1,
      effect: 'placed',
    });
  });
});
