import type { ApprovalStep } from '../domain/approvals';

/**
 * The rules of one approval step, pure: who may act on it (themself, or as the substitute of an approver
 * who delegated to them) and what a decision does to the request.
 */
export interface Approver {
  userId: string;
  roles: readonly string[];
}

export interface DecisionRecord {
  stepKey: string;
  by: string;
  actingFor: string | null;
  verdict: 'approve' | 'reject';
  at: number;
  comment: string | null;
}

/** One way the caller may decide: as themself (`actingFor` null) or standing in for `actingFor`. */
export interface ActAs {
  userId: string;
  actingFor: string | null;
}

const matches = (step: ApprovalStep, userId: string, roles: ReadonlySet<string>) =>
  step.userIds.includes(userId) || (step.role !== null && roles.has(step.role));

/**
 * The identities the actor may use on `step`. `delegators` are the approvers who handed their approvals to
 * the actor for now, with their roles. The requester never acts on their own order, not even as a substitute.
 */
export function actAsOn(
  step: ApprovalStep,
  requesterId: string,
  decisions: readonly DecisionRecord[],
  actor: Approver,
  delegators: ReadonlyMap<string, ReadonlySet<string>>,
): ActAs[] {
  if (actor.userId === requesterId) return [];
  const decided = new Set(decisions.filter((d) => d.stepKey === step.key).map((d) => d.actingFor ?? d.by));
  const out: ActAs[] = [];
  if (matches(step, actor.userId, new Set(actor.roles)) && !decided.has(actor.userId)) {
    out.push({ userId: actor.userId, actingFor: null });
  }
  for (const [delegator, roles] of delegators) {
    if (delegator === requesterId || decided.has(delegator)) continue;
    if (matches(step, delegator, roles)) out.push({ userId: actor.userId, actingFor: delegator });
  }
  return out;
}

/** Where the request goes after `decisions` (the new one included): next step, placed, or rejected. */
export function progress(
  steps: readonly ApprovalStep[],
  stepIndex: number,
  decisions: readonly DecisionRecord[],
  verdict: 'approve' | 'reject',
): { nextIndex: number; effect: 'pending' | 'placed' | 'rejected' } {
  const step = steps[stepIndex];
  if (verdict === 'reject' || !step) return { nextIndex: stepIndex, effect: 'rejected' };
  const approvals = new Set(
    decisions
      .filter((d) => d.stepKey === step.key && d.verdict === 'approve')
      .map((d) => d.actingFor ?? d.by),
  ).size;
  const nextIndex = approvals >= step.required ? stepIndex + 1 : stepIndex;
  return { nextIndex, effect: nextIndex >= steps.length ? 'placed' : 'pending' };
}
