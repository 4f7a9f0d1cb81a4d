import { createDatabase } from '../db/client';
import { runBatch } from '../db/queries/bulk';
import { getOrder, roleKeysOf } from '../db/queries/orders';
import type { ApprovalStep } from '../domain/approvals';
import { MAX_QUANTITY } from '../domain/pricing/engine';
import type { Env } from '../env';
import { log } from '../lib/log';
import { cancelStatements, decisionStatements } from '../services/order-decisions';
import { enqueueOutbox } from '../services/outbox-relay';
import {
  type ActAs,
  type ApprovalRow,
  type ApprovalView,
  type Approver,
  actAsOn,
  type DecisionRecord,
  peopleWhoDecided,
  progress,
  viewOf,
} from './approval-steps';
import type { CartStore } from './cart-store';
import type { Delegations } from './delegations';
import { fail, type ObjectResult, ok } from './result';
import type { OrderHolds } from './user-spend';

/**
 * Approval requests of one company; this module owns the `approvals` table (checkout opens a request
 * through `open`). A request walks its steps in order; a step is done when `required` different approvers
 * (or their substitutes) approved it; one rejection ends it. The requester never approves their own
 * order, not even as someone's substitute.
 */
export const APPROVAL_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS approvals (
    order_id TEXT PRIMARY KEY, requester_id TEXT NOT NULL, status TEXT NOT NULL, steps TEXT NOT NULL,
    step_index INTEGER NOT NULL, decisions TEXT NOT NULL, total_minor INTEGER NOT NULL, currency TEXT NOT NULL,
    created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)`,
  'CREATE INDEX IF NOT EXISTS approvals_status ON approvals (status, created_at)',
];

export class Approvals {
  /** orders whose decision is being written right now */
  private readonly deciding = new Set<string>();

  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly env: Env,
    private readonly companyId: string,
    private readonly carts: CartStore,
    private readonly delegations: Delegations,
    private readonly holds: OrderHolds,
  ) {}

  private get sql() {
    return this.storage.sql;
  }

  private row(orderId: string): ApprovalRow | undefined {
    return this.sql.exec<ApprovalRow>('SELECT * FROM approvals WHERE order_id = ?', orderId).toArray()[0];
  }

  /**
   * Every identity the actor may use on a request's current step. `roles` were read before an await; the
   * delegations are read again now, so one revoked meanwhile no longer counts.
   */
  private identities(
    row: ApprovalRow,
    actor: Approver,
    roles: Map<string, Set<string>>,
    at: number,
  ): ActAs[] {
    const step = (JSON.parse(row.steps) as ApprovalStep[])[row.step_index];
    if (row.status !== 'pending' || !step) return [];
    const delegators = new Map<string, Set<string>>();
    for (const id of this.delegations.delegatorsOf(actor.userId, at)) {
      const held = roles.get(id);
      if (held) delegators.set(id, held);
    }
    return actAsOn(step, row.requester_id, JSON.parse(row.decisions), actor, delegators);
  }

  /** The approvers who delegated to the actor for now, with their roles (only active users keep theirs). */
  private async delegatorRoles(actorId: string, at: number): Promise<Map<string, Set<string>>> {
    const delegators = this.delegations.delegatorsOf(actorId, at);
    return delegators.length === 0
      ? new Map()
      : roleKeysOf(createDatabase(this.env), this.companyId, delegators);
  }

  /** Checkout's part: an order that waits for approval gets its request, once (a replay changes nothing). */
  open(request: {
    orderId: string;
    requesterId: string;
    steps: ApprovalStep[];
    totalMinor: number;
    currency: string;
    at: number;
  }): void {
    this.sql.exec(
      `INSERT INTO approvals (order_id, requester_id, status, steps, step_index, decisions, total_minor, currency, created_at, updated_at)
       VALUES (?, ?, 'pending', ?, 0, '[]', ?, ?, ?, ?) ON CONFLICT (order_id) DO NOTHING`,
      request.orderId,
      request.requesterId,
      JSON.stringify(request.steps),
      request.totalMinor,
      request.currency,
      request.at,
      request.at,
    );
  }

  /** Pending requests the actor can act on now, directly or as a substitute. */
  async actionable(actor: Approver, at: number): Promise<ApprovalView[]> {
    const roles = await this.delegatorRoles(actor.userId, at);
    return this.sql
      .exec<ApprovalRow>("SELECT * FROM approvals WHERE status = 'pending' ORDER BY created_at, order_id")
      .toArray()
      .map((row) => ({ row, actAs: this.identities(row, actor, roles, at) }))
      .filter((x) => x.actAs.length > 0)
      .map((x) => viewOf(x.row, x.actAs));
  }

  async decide(
    actor: Approver,
    orderId: string,
    verdict: 'approve' | 'reject',
    comment: string | null,
    requestId: string,
    at: number,
  ): Promise<ObjectResult<ApprovalView>> {
    const roles = await this.delegatorRoles(actor.userId, at);
    // ---- synchronous from here to the lock: nothing can interleave ----
    const row = this.row(orderId);
    if (!row) return fail('not_found', 'Approval request not found');
    if (row.status !== 'pending') return fail('conflict', `The order was already ${row.status}`);
    if (this.deciding.has(orderId))
      return fail('conflict', 'Another decision on this order is being recorded');
    if (row.requester_id === actor.userId)
      return fail('forbidden', 'You cannot approve or reject your own order');
    const steps: ApprovalStep[] = JSON.parse(row.steps);
    const step = steps[row.step_index];
    if (!step) return fail('conflict', 'The request has no open step');
    const identity = this.identities(row, actor, roles, at)[0];
    if (!identity && peopleWhoDecided(step, JSON.parse(row.decisions)).has(actor.userId)) {
      return fail(
        'conflict',
        'You already decided on this step (yourself or as a substitute); it needs another person',
      );
    }
    if (!identity)
      return fail('forbidden', 'You are not an approver of the current step, nor standing in for one');
    const decisions: DecisionRecord[] = [
      ...JSON.parse(row.decisions),
      { stepKey: step.key, by: actor.userId, actingFor: identity.actingFor, verdict, at, comment },
    ];
    const { nextIndex, effect } = progress(steps, row.step_index, decisions, verdict);
    this.deciding.add(orderId);
    try {
      const db = createDatabase(this.env);
      const order = effect === 'rejected' ? await getOrder(db, this.companyId, orderId) : undefined;
      const statements = decisionStatements(db, {
        companyId: this.companyId,
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
          this.holds.release(orderId);
          this.returnToCart(row.requester_id, orderId, order?.lines ?? []);
        }
      });
      if (effect !== 'pending') {
        await enqueueOutbox(this.env, this.companyId, orderId).catch((err: unknown) =>
          log('warn', 'notifications left to the outbox relay', { orderId, message: String(err) }),
        );
      }
      return ok(viewOf(this.row(orderId) ?? row, []));
    } finally {
      this.deciding.delete(orderId);
    }
  }

  /** Whether the order waits for approval here (withdrawing it is this module's; a placed one is not). */
  awaits(orderId: string): boolean {
    return this.row(orderId)?.status === 'pending';
  }

  /** Withdraws a pending order: by its requester, or by a company admin. The budget it held is released. */
  async cancel(
    actor: { userId: string; isAdmin: boolean },
    orderId: string,
    reason: string | null,
    requestId: string,
    at: number,
  ): Promise<ObjectResult<null>> {
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
        cancelStatements(db, {
          companyId: this.companyId,
          orderId,
          actorId: actor.userId,
          reason,
          requestId,
          at,
        }),
      );
      this.storage.transactionSync(() => {
        this.sql.exec(
          "UPDATE approvals SET status = 'cancelled', updated_at = ? WHERE order_id = ?",
          at,
          orderId,
        );
        this.holds.release(orderId);
      });
      return ok(null);
    } finally {
      this.deciding.delete(orderId);
    }
  }

  /** A rejected order's lines come back to the requester as an editable saved cart. */
  private returnToCart(
    requesterId: string,
    orderId: string,
    lines: readonly { sku: string; quantity: number; note: string | null }[],
  ): void {
    const created = this.carts.create(requesterId, { name: `Returned order ${orderId}`, shared: false });
    if (!created.ok || lines.length === 0) return;
    const withNotes = lines.map((l) => ({ sku: l.sku, quantity: l.quantity, note: l.note }));
    this.carts.addLines(requesterId, created.value.id, undefined, withNotes, MAX_QUANTITY);
  }
}
