import { DurableObject } from 'cloudflare:workers';
import {
  emptyLimitState,
  isLimitPolicyName,
  LIMIT_POLICIES,
  type LimitPolicyName,
  type LimitState,
  settle,
  type TakeDecision,
  take,
} from '../domain/rate-limit';
import type { Env } from '../env';

const STATE_KEY = 'state';
// Storage of a subject nobody tried for this long (real time) is dropped by the alarm. Longer than any
// window plus the longest lockout, so dropping never forgets something that still matters.
const RETAIN_MS = 2 * 3_600_000;

interface Stored {
  policy: LimitPolicyName;
  state: LimitState;
  /** real time of the last call, for the clean-up alarm (decisions use the caller's clock) */
  touchedAt: number;
}

/**
 * One object per limited subject (`<policy>:<hash of the subject>`): failed sign-ins of one email, bad
 * secrets for one API key prefix, failures from one client address. A Durable Object rather than the
 * Workers rate-limiting binding: the count must be exact and global (the binding counts per location),
 * windows are 15 minutes and lockouts escalate to 15 minutes (the binding offers 10 s or 60 s periods),
 * and a success must be able to reset an account.
 *
 * Decisions use the `now` the Worker passes (its injectable clock); the clean-up alarm uses real time.
 */
export class RateLimiterDO extends DurableObject<Env> {
  private stored: Stored | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      this.stored = await ctx.storage.get<Stored>(STATE_KEY);
    });
  }

  /** Starts an attempt, or refuses it while locked out. */
  async take(policy: LimitPolicyName, now: number): Promise<TakeDecision> {
    const result = take(LIMIT_POLICIES[policy], this.current(policy).state, now);
    await this.save(policy, result.state);
    return result.decision;
  }

  async settle(
    policy: LimitPolicyName,
    seq: number,
    outcome: 'failure' | 'success' | 'cancel',
  ): Promise<void> {
    if (outcome === 'failure') return;
    await this.save(policy, settle(LIMIT_POLICIES[policy], this.current(policy).state, seq, outcome));
  }

  override async alarm(): Promise<void> {
    const stored = this.stored;
    if (!stored) return;
    if (Date.now() - stored.touchedAt >= RETAIN_MS) {
      this.stored = undefined;
      await this.ctx.storage.deleteAll();
      return;
    }
    await this.ctx.storage.setAlarm(stored.touchedAt + RETAIN_MS);
  }

  private current(policy: LimitPolicyName): Stored {
    if (!isLimitPolicyName(policy)) throw new Error(`unknown limit policy ${String(policy)}`);
    if (this.stored?.policy === policy) return this.stored;
    return { policy, state: emptyLimitState(), touchedAt: Date.now() };
  }

  private async save(policy: LimitPolicyName, state: LimitState): Promise<void> {
    const touchedAt = Date.now();
    this.stored = { policy, state, touchedAt };
    // in-memory state is the truth within this object's single thread; the writes are coalesced and the
    // answer waits for them (output gate), so a restart never forgets a counted attempt
    await this.ctx.storage.put(STATE_KEY, this.stored);
    await this.ctx.storage.setAlarm(touchedAt + RETAIN_MS);
  }
}
