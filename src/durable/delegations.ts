import { newId } from '../lib/ids';
import { fail, type ObjectResult, ok } from './result';

/**
 * Delegations of one company: an approver hands their approvals to a substitute for `[startsAt, endsAt)`.
 * This module owns the `delegations` table. Loops of substitutes in overlapping periods are refused, so
 * "who may act for whom" never runs in circles.
 */
export const DELEGATION_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS delegations (
    id TEXT PRIMARY KEY, delegator_id TEXT NOT NULL, substitute_id TEXT NOT NULL,
    starts_at INTEGER NOT NULL, ends_at INTEGER NOT NULL, created_at INTEGER NOT NULL, revoked_at INTEGER)`,
  'CREATE INDEX IF NOT EXISTS delegations_substitute ON delegations (substitute_id, ends_at)',
];

export interface Delegation {
  id: string;
  delegatorId: string;
  substituteId: string;
  startsAt: number;
  endsAt: number;
  createdAt: number;
}

interface DelegationRow extends Record<string, SqlStorageValue> {
  id: string;
  delegator_id: string;
  substitute_id: string;
  starts_at: number;
  ends_at: number;
  created_at: number;
}

export class Delegations {
  constructor(private readonly storage: DurableObjectStorage) {}

  private get sql() {
    return this.storage.sql;
  }

  /** Approvers who handed their approvals to `userId` for a period covering `at`. */
  delegatorsOf(userId: string, at: number): string[] {
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

  create(
    input: { delegatorId: string; substituteId: string; startsAt: number; endsAt: number },
    at: number,
  ): ObjectResult<Delegation> {
    const { delegatorId, substituteId, startsAt, endsAt } = input;
    if (substituteId === delegatorId) {
      return fail('unprocessable', 'Choose someone else as substitute', [
        { path: 'substituteUserId', message: 'that is you' },
      ]);
    }
    if (this.closesLoop(delegatorId, substituteId, startsAt, endsAt)) {
      return fail('unprocessable', 'This delegation would close a loop of substitutes', [
        {
          path: 'substituteUserId',
          message: 'already hands their approvals (directly or not) to you in that period',
        },
      ]);
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
    return ok({ id, delegatorId, substituteId, startsAt, endsAt, createdAt: at });
  }

  /** True when the substitute already (transitively) hands approvals back to the delegator in an overlapping period. */
  private closesLoop(delegatorId: string, substituteId: string, startsAt: number, endsAt: number): boolean {
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
      if (from === delegatorId) return true;
      if (seen.has(from)) continue;
      seen.add(from);
      for (const e of edges) if (e.delegator_id === from) queue.push(e.substitute_id);
    }
    return false;
  }

  /** Delegations the user gave or received, not revoked. */
  list(userId: string): Delegation[] {
    return this.sql
      .exec<DelegationRow>(
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

  /** Only the delegator revokes their delegation. */
  revoke(userId: string, id: string, at: number): ObjectResult<null> {
    const found = this.sql
      .exec('SELECT 1 FROM delegations WHERE id = ? AND delegator_id = ? AND revoked_at IS NULL', id, userId)
      .toArray();
    if (found.length === 0) return fail('not_found', 'Delegation not found');
    this.sql.exec('UPDATE delegations SET revoked_at = ? WHERE id = ?', at, id);
    return ok(null);
  }
}
