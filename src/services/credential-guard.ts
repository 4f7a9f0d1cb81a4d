import { sha256Hex } from '../domain/api-keys';
import { RateLimitedError } from '../domain/errors';
import type { LimitPolicyName, TakeDecision } from '../domain/rate-limit';
import type { Env } from '../env';

/** What a credential check needs to count attempts and audit failures: who asks, from where, when. */
export interface AttemptContext {
  limiter: Env['RATE_LIMITER'];
  /** `CF-Connecting-IP` as Cloudflare sets it; empty when absent (local tools) */
  clientAddress: string;
  requestId: string;
  now: number;
}

export interface LimitedSubject {
  policy: LimitPolicyName;
  /** email, key prefix or address key; hashed into the object name, never stored in clear */
  id: string;
}

/** An attempt counted against every subject; report how it ended. */
export interface GuardedAttempt {
  succeeded(): Promise<void>;
  /** failures stay counted; nothing to send */
  failed(): void;
}

/**
 * Counts one attempt against each subject (in parallel), or refuses with 429 and the longest
 * `Retry-After` when any of them is locked out; the subjects that had let it through drop it again.
 */
export async function beginAttempt(
  context: AttemptContext,
  subjects: readonly LimitedSubject[],
): Promise<GuardedAttempt> {
  const { limiter, now } = context;
  const taken = await Promise.all(
    subjects.map(async ({ policy, id }) => {
      const stub = limiter.get(limiter.idFromName(`${policy}:${await sha256Hex(id)}`));
      const decision: TakeDecision = await stub.take(policy, now);
      return { policy, stub, decision };
    }),
  );
  const settleAll = (outcome: 'success' | 'cancel') =>
    Promise.all(
      taken.map(({ policy, stub, decision }) =>
        decision.allowed ? stub.settle(policy, decision.seq, outcome) : undefined,
      ),
    ).then(() => undefined);
  const waits = taken.flatMap(({ decision }) => (decision.allowed ? [] : [decision.retryAfterMs]));
  if (waits.length > 0) {
    await settleAll('cancel');
    throw new RateLimitedError(Math.ceil(Math.max(...waits) / 1000));
  }
  return { succeeded: () => settleAll('success'), failed: () => undefined };
}
