import { createDatabase } from '../db/client';
import { runBatch } from '../db/queries/bulk';
import { getOrder, roleKeysOf } from '../db/queries/orders';
import type { ApprovalStep } from '../domain/approvals';
import type { FieldIssue } from '../domain/errors';
import { MAX_QUANTITY } from '../domain/pricing/engine';
import type { Env } from '../env';
import { newId } from '../lib/ids';
import { log } from '../lib/log';
import { cancelStatements, decisionStatements } from '../services/order-decisions';
import { enqueueOutbox } from '../services/outbox-relay';
import type { CartStore } from './cart-store';
import type { Checkouts } from './checkout';

/**
 * Approval requests and delegations of one company. A request walks its steps in order; a step is done
 * when `required` different approvers (or their substitutes) approved it; one rejection ends it. The
 * requester never approves their own order, not even as someone's substitute.
 */
export const APPROVAL_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS delegations (
    id TEXT PRIMARY KEY, delegator_id TEXT NOT NULL, substitute_id TEXT NOT NULL,
    starts_at INTEGER NOT NULL, ends_at INTEGER NOT NULL, created_at INTEGER NOT NULL, revoked_at INTEGER)`,
  'CREATE INDEX IF NOT EXISTS delegations_substitute ON delegations (substitute_id, ends_at)',
];

export interface Approver {
  userId: string;
  roles: readonly string[];
}

interface DecisionRecord {
  stepKey: string;
  by: string;
  actingFor: string | null;
  verdict: 'approve' | 'reject';
  at: number;
  comment: string | null;
}

interface ApprovalRow extends Record<string, SqlStorageValue> {
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
  actAs: { userId: string; actingFor: string | null }[];
  createdAt: number;
}

export interface Delegation {
  id: string;
  delegatorId: string;
  substituteId: string;
  startsAt: number;
  endsAt: number;
  createdAt: number;
}

type Failure = {
  ok: false;
  code: 'not_found' | 'conflict' | 'forbidden' | 'unprocessable';
  message: string;
  issues?: FieldIssue[];
};
export type ApprovalResult<T> = { ok: true; value: T } | Failure;
const fail = (code: Failure['code'], message: string, issues?: FieldIssue[]): Failure => ({
  ok: false,
  code,
  message,
  ...(issues ? { issues } : {}),
});

const matches = (step: ApprovalStep, userId: string, roles: ReadonlySet<string>) =>
  step.userIds.includes(userId) || (step.role !== null && roles.has(step.role));

export class Approvals {
  /** orders whose decision is being written right now */
  private readonly deciding = new Set<string>();

  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly env: Env,
    private readonly carts: CartStore,
    private readonly checkouts: Checkouts,
  ) {}

  private get sql() {
    return this.storage.sql;
  }

  private row(orderId: string): ApprovalRow | undefined {
    return this.sql.exec<ApprovalRow>('SELECT * FROM approvals WHERE order_id = ?', orderId).toArray()[0];
  }

  /** Approvers who handed their approvals to `userId` for a period covering `at`. */
  private delegatorsOf(userId: string, at: number): string[] {
    return this.sql
      .exec<{ delegator_id: string }>(
        'SELECT DISTINCT delegator_id FROM delegations WHERE substitute_id = ? AND starts_at <= ? AND ends_at > ? AND revoked_at IS NULL',
        userId,
        at,
        at,
      )
      .toArray()
      .map((r) => r.delegator_id);
  }

  /** Every identity the actor may use on a request's current step, given the delegators' roles. */
  private identities(
    row: ApprovalRow,
    actor: Approver,
    delegatorRoles: Map<string, Set<string>>,
    at: number,
  ) {
    const steps: ApprovalStep[] = JSON.parse(row.steps);
    const step = steps[row.step_index];
    if (row.status !== 'pending' || !step || row.requester_id === actor.userId) return [];
    const decided = new Set(
      (JSON.parse(row.decisions) as DecisionRecord[])
        .filter((d) => d.stepKey === step.key)
        .map((d) => d.actingFor ?? d.by),
    );
    const out: { userId: string; actingFor: string | null }[] = [];
    if (matches(step, actor.userId, new Set(actor.roles)) && !decided.has(actor.userId)) {
      out.push({ userId: actor.userId, actingFor: null });
    }
    for (const delegator of this.delegatorsOf(actor.userId, at)) {
      const roles = delegatorRoles.get(delegator);
      if (delegator === row.requester_id || decided.has(delegator) || !roles) continue;
      if (matches(step, delegator, roles)) out.push({ userId: actor.userId, actingFor: delegator });
    }
    return out;
  }

  private view(row: ApprovalRow, actAs: ApprovalView['actAs']): ApprovalView {
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

  private async delegatorRoles(companyId: string, actorId: string, at: number) {
    const delegators = this.delegatorsOf(actorId, at);
    return delegators.length === 0
      ? new Map<string, Set<string>>()
      : roleKeysOf(createDatabase(this.env), companyId, delegators);
  }

  /** Pending requests the actor can act on now, directly or as a substitute. */
  async actionable(companyId: string, actor: Approver, at: number): Promise<ApprovalView[]> {
    const roles = await this.delegatorRoles(companyId, actor.userId, at);
    return this.sql
      .exec<ApprovalRow>("SELECT * FROM approvals WHERE status = 'pending' ORDER BY created_at, order_id")
      .toArray()
      .map((row) => ({ row, actAs: this.identities(row, actor, roles, at) }))
      .filter((x) => x.actAs.length > 0)
      .map((x) => this.view(x.row, x.actAs));
  }

  async decide(
    companyId: string,
    actor: Approver,
    orderId: string,
    verdict: 'approve' | 'reject',
    comment: string | null,
    requestId: string,
    at: number,
  ): Promise<ApprovalResult<ApprovalView>> {
    const roles = await this.delegatorRoles(companyId, actor.userId, at);
    // ---- synchronous from here to the lock: nothing can interleave ----
    const row = this.row(orderId);
    if (!row) return fail('not_found', 'Approval request not found');
    if (row.status !== 'pending') return fail('conflict', `The order was already ${row.status}`);
    if (this.deciding.has(orderId))
      return fail('conflict', 'Another decision on this order is being recorded');
    if (row.requester_id === actor.userId)
      return fail('forbidden', 'You cannot approve or reject your own order');
    const identity = this.identities(row, actor, roles, at)[0];
    if (!identity)
      return fail('forbidden', 'You are not an approver of the current step, nor standing in for one');
    const steps: ApprovalStep[] = JSON.parse(row.steps);
    const step = steps[row.step_index];
    if (!step) return fail('conflict', 'The request has no open step');
    const decisions: DecisionRecord[] = [
      ...JSON.parse(row.decisions),
      { stepKey: step.key, by: actor.userId, actingFor: identity.actingFor, verdict, at, comment },
    ];
    const approvals = new Set(
      decisions
        .filter((d) => d.stepKey === step.key && d.verdict === 'approve')
        .map((d) => d.actingFor ?? d.by),
    ).size;
    const stepDone = verdict === 'approve' && approvals >= step.required;
    const nextIndex = stepDone ? row.step_index + 1 : row.step_index;
    const effect = verdict === 'reject' ? 'rejected' : nextIndex >= steps.length ? 'placed' : 'pending';
    this.deciding.add(orderId);
    try {
      const db = createDatabase(this.env);
      const order = effect === 'rejected' ? await getOrder(db, companyId, orderId) : undefined;
      const statements = decisionStatements(db, {
        companyId,
        orderId,
        actorId: actor.userId,
        actingForId: identity.actingFor,
        stepKey: step.key,
        verdict,
        effect,
        comment,
        summary: { totalMinor: row.total_minor, currency: row.currency, requesterId: row.requester_id },
        requestId,
        at,
      });
      await runBatch(db, statements);
      const status = effect === 'placed' ? 'approved' : effect === 'rejected' ? 'rejected' : 'pending';
      this.storage.transactionSync(() => {
        this.sql.exec(
          'UPDATE approvals SET decisions = ?, step_index = ?, status = ?, updated_at = ? WHERE order_id = ?',
          JSON.stringify(decisions),
          Math.min(nextIndex, steps.length),
          status,
          at,
          orderId,
        );
        if (effect === 'rejected') {
          this.checkouts.budgets.release(orderId);
          this.returnToCart(row.requester_id, orderId, order?.lines ?? []);
        }
      });
      if (effect !== 'pending') {
        await enqueueOutbox(this.env, companyId, orderId).catch((err: unknown) =>
          log('warn', 'notifications left to the outbox relay', { orderId, message: String(err) }),
        );
      }
      return { ok: true, value: this.view(this.row(orderId) ?? row, []) };
    } finally {
      this.deciding.delete(orderId);
    }
  }

  /** Withdraws a pending order: by its requester, or by a company admin. The budget it held is released. */
  async cancel(
    companyId: string,
    actor: { userId: string; isAdmin: boolean },
    orderId: string,
    reason: string | null,
    requestId: string,
    at: number,
  ): Promise<ApprovalResult<null>> {
    const row = this.row(orderId);
    if (!row) return fail('not_found', 'No order awaiting approval with this id');
    if (row.requester_id !== actor.userId && !actor.isAdmin)
      return fail('forbidden', 'Only the requester or a company admin cancels an order');
    if (row.status !== 'pending') return fail('conflict', `The order was already ${row.status}`);
    if (this.deciding.has(orderId)) return fail('conflict', 'A decision on this order is being recorded');
    this.deciding.add(orderId);
    try {
      const db = createDatabase(this.env);
      await db.batch(
        cancelStatements(db, { companyId, orderId, actorId: actor.userId, reason, requestId, at }),
      );
      this.storage.transactionSync(() => {
        this.sql.exec(
          "UPDATE approvals SET status = 'cancelled', updated_at = ? WHERE order_id = ?",
          at,
          orderId,
        );
        this.checkouts.budgets.release(orderId);
      });
      return { ok: true, value: null };
    } finally {
      this.deciding.delete(orderId);
    }
  }

  /** A rejected order's lines come back to the requester as an editable saved cart. */
  private returnToCart(
    requesterId: string,
    orderId: string,
    lines: readonly { sku: string; quantity: number }[],
  ): void {
    const created = this.carts.create(requesterId, { name: `Returned order ${orderId}`, shared: false });
    if (!created.ok || lines.length === 0) return;
    this.carts.addLines(requesterId, created.value.id, undefined, lines, MAX_QUANTITY);
  }

  delegate(
    input: { delegatorId: string; substituteId: string; startsAt: number; endsAt: number },
    at: number,
  ): ApprovalResult<Delegation> {
    const { delegatorId, substituteId, startsAt, endsAt } = input;
    if (substituteId === delegatorId) {
      return fail('unprocessable', 'Choose someone else as substitute', [
        { path: 'substituteUserId', message: 'that is you' },
      ]);
    }
    // a loop: the substitute already (transitively) hands approvals back to the delegator in an overlapping period
    const edges = this.sql
      .exec<{ delegator_id: string; substitute_id: string }>(
        'SELECT delegator_id, substitute_id FROM delegations WHERE revoked_at IS NULL AND starts_at < ? AND ends_at > ?',
        endsAt,
        startsAt,
      )
      .toArray();
    const seen = new Set<string>();
    const queue = [substituteId];
    while (queue.length > 0) {
      const from = queue.shift() ?? '';
      if (from === delegatorId) {
        return fail('unprocessable', 'This delegation would close a loop of substitutes', [
          {
            path: 'substituteUserId',
            message: 'already hands their approvals (directly or not) to you in that period',
          },
        ]);
      }
      if (seen.has(from)) continue;
      seen.add(from);
      for (const e of edges) if (e.delegator_id === from) queue.push(e.substitute_id);
    }
    const id = newId('dlg');
    this.sql.exec(
      'INSERT INTO delegations (id, delegator_id, substitute_id, starts_at, ends_at, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      id,
      delegatorId,
      substituteId,
      startsAt,
      endsAt,
      at,
    );
    return { ok: true, value: { id, delegatorId, substituteId, startsAt, endsAt, createdAt: at } };
  }

  delegations(userId: string): Delegation[] {
    return this.sql
      .exec<{
        id: string;
        delegator_id: string;
        substitute_id: string;
        starts_at: number;
        ends_at: number;
        created_at: number;
      }>(
        'SELECT * FROM delegations WHERE revoked_at IS NULL AND (delegator_id = ? OR substitute_id = ?) ORDER BY starts_at, id',
        userId,
        userId,
      )
      .toArray()
      .map((r) => ({
        id: r.id,
        delegatorId: r.delegator_id,
        substituteId: r.substitute_id,
        startsAt: r.starts_at,
        endsAt: r.ends_at,
        createdAt: r.created_at,
      }));
  }

  revoke(userId: string, id: string, at: number): ApprovalResult<null> {
    const found = this.sql
      .exec('SELECT 1 FROM delegations WHERE id = ? AND delegator_id = ? AND revoked_at IS NULL', id, userId)
      .toArray();
    if (found.length === 0) return fail('not_found', 'Delegation not found');
    this.sql.exec('UPDATE delegations SET revoked_at = ? WHERE id = ?', at, id);
    return { ok: true, value: null };
  }
}
