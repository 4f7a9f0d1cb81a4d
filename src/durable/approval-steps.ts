import type { ApprovalStep } from '../domain/approvals';

/**
 * The rules of one approval step, pure: who may act on it (themself, or as the substitute of an approver
 * who delegated to them) and what a decision does to the request; and how a stored request is shown.
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
 * the actor for now, with their roles. A step counts people: everyone who decided on it, or was stood in
 * for, has had their say; the actor can add a decision only if neither they nor the person they would act
 * for has. The requester never acts on their own order, not even as a substitute.
 */
export function actAsOn(
  step: ApprovalStep,
  requesterId: string,
  decisions: readonly DecisionRecord[],
  actor: Approver,
  delegators: ReadonlyMap<string, ReadonlySet<string>>,
): ActAs[] {
  if (actor.userId === requesterId || peopleWhoDecided(step, decisions).has(actor.userId)) return [];
  const decided = peopleWhoDecided(step, decisions);
  const out: ActAs[] = [];
  if (matches(step, actor.userId, new Set(actor.roles))) out.push({ userId: actor.userId, actingFor: null });
  for (const [delegator, roles] of delegators) {
    if (delegator === requesterId || delegator === actor.userId || decided.has(delegator)) continue;
    if (matches(step, delegator, roles)) out.push({ userId: actor.userId, actingFor: delegator });
  }
  return out;
}

/** Everyone who has had their say on the step: who decided, and whom they stood in for. */
export function peopleWhoDecided(step: ApprovalStep, decisions: readonly DecisionRecord[]): Set<string> {
  const people = new Set<string>();
  for (const d of decisions.filter((x) => x.stepKey === step.key)) {
    people.add(d.by);
    if (d.actingFor) people.add(d.actingFor);
  }
  return people;
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

/** A request as stored in the `approvals` table (owned by approvals.ts). */
export interface ApprovalRow extends Record<string, SqlStorageValue> {
  order_id: string;
  requester_id: string;
  status: 'pending' | 'approved' | 'rejected' | 'cancelled';
  steps: string;
  step_index: number;
  decisions: string;
  total_minor: number;
  currency: string;
  created_at: number;
}

export interface ApprovalView {
  orderId: string;
  requesterId: string;
  status: 'pending' | 'approved' | 'rejected' | 'cancelled';
  totalMinor: number;
  currency: string;
  steps: ApprovalStep[];
  currentStep: number;
  decisions: DecisionRecord[];
  /** whom the caller may act as on the current step: themself and/or the approvers they substitute */
  actAs: ActAs[];
  createdAt: number;
}

/** A request as the API shows it, with the identities the caller may use on it. */
export function viewOf(row: ApprovalRow, actAs: ActAs[]): ApprovalView {
  return {
    orderId: row.order_id,
    requesterId: row.requester_id,
    status: row.status,
    totalMinor: row.total_minor,
    currency: row.currency,
    steps: JSON.parse(row.steps),
    currentStep: row.step_index,
    decisions: JSON.parse(row.decisions),
    actAs,
    createdAt: row.created_at,
  };
}
