/**
 * Credential-guessing limits: a sliding window of failed attempts per subject (an account, an API key
 * prefix, a client address) with an escalating, bounded lockout. Pure; `RateLimiterDO` keeps one state
 * per subject and applies these functions in its single thread, so concurrent attempts cannot overtake
 * the count.
 *
 * An attempt counts as a failure from the moment it starts (`take`) until it is proven good (`settle`):
 * fifty parallel guesses are fifty attempts, not fifty checks of a counter that none of them has bumped yet.
 */

export interface LimitPolicy {
  /** failures within `windowMs` that are allowed; the attempt that reaches this count starts a lockout */
  freeFailures: number;
  windowMs: number;
  /** the first lockout; each further one doubles, up to `maxLockMs` */
  baseLockMs: number;
  maxLockMs: number;
  /** account and key-prefix subjects forget their failures on a success; an address only drops that attempt */
  resetOnSuccess: boolean;
}

const MINUTE = 60_000;

export const LIMIT_POLICIES = {
  /** per email (known or not: the same behaviour, so a lockout does not reveal an account) */
  login_account: {
    freeFailures: 5,
    windowMs: 15 * MINUTE,
    baseLockMs: 30_000,
    maxLockMs: 15 * MINUTE,
    resetOnSuccess: true,
  },
  /** per client address (IPv6: its /64); offices share an address, so the allowance is larger */
  login_address: {
    freeFailures: 20,
    windowMs: 15 * MINUTE,
    baseLockMs: MINUTE,
    maxLockMs: 15 * MINUTE,
    resetOnSuccess: false,
  },
  /** per API key prefix: the public part that names a key */
  api_key_prefix: {
    freeFailures: 5,
    windowMs: 15 * MINUTE,
    baseLockMs: 30_000,
    maxLockMs: 15 * MINUTE,
    resetOnSuccess: true,
  },
  api_key_address: {
    freeFailures: 20,
    windowMs: 15 * MINUTE,
    baseLockMs: MINUTE,
    maxLockMs: 15 * MINUTE,
    resetOnSuccess: false,
  },
} as const satisfies Record<string, LimitPolicy>;

export type LimitPolicyName = keyof typeof LIMIT_POLICIES;
export const isLimitPolicyName = (name: string): name is LimitPolicyName => name in LIMIT_POLICIES;

export interface LimitState {
  /** attempts not (yet) proven good, newest last; only the last `freeFailures` matter */
  attempts: { seq: number; at: number }[];
  /** lockouts in a row; back to 0 once a full window passes after the last lockout ended */
  level: number;
  lockedUntil: number;
  /** the attempt whose start set the current lockout, and the lockout before it (to undo on its success) */
  lockedBy: { seq: number; previousUntil: number } | null;
  seq: number;
}

export const emptyLimitState = (): LimitState => ({
  attempts: [],
  level: 0,
  lockedUntil: 0,
  lockedBy: null,
  seq: 0,
});

export type TakeDecision = { allowed: true; seq: number } | { allowed: false; retryAfterMs: number };

export const lockDuration = (policy: LimitPolicy, level: number): number =>
  Math.min(policy.baseLockMs * 2 ** Math.max(0, level - 1), policy.maxLockMs);

/** Starts an attempt at `now`, or refuses it while the subject is locked out. */
export function take(
  policy: LimitPolicy,
  previous: LimitState,
  now: number,
): { state: LimitState; decision: TakeDecision } {
  // a whole window without a lockout: the escalation is forgotten
  const quiet = previous.level > 0 && now >= previous.lockedUntil + policy.windowMs;
  const state: LimitState = {
    ...previous,
    level: quiet ? 0 : previous.level,
    attempts: previous.attempts.filter((a) => a.at > now - policy.windowMs),
  };
  if (now < state.lockedUntil) {
    return { state, decision: { allowed: false, retryAfterMs: state.lockedUntil - now } };
  }
  const seq = state.seq + 1;
  state.seq = seq;
  state.attempts = [...state.attempts, { seq, at: now }].slice(-policy.freeFailures);
  state.lockedBy = null;
  // After a lockout one attempt goes through, and it starts the next, longer one: the allowance is not
  // refilled until a full window has passed since the last lockout ended.
  if (state.level > 0 || state.attempts.length >= policy.freeFailures) {
    // This attempt may go on (it may be the right password); the ones after it wait. Its success undoes it.
    state.level += 1;
    state.lockedBy = { seq, previousUntil: state.lockedUntil };
    state.lockedUntil = now + lockDuration(policy, state.level);
  }
  return { state, decision: { allowed: true, seq } };
}

/**
 * Ends attempt `seq`: a failure stays counted; a success resets the subject (accounts, key prefixes) or
 * drops only this attempt (addresses); `cancel` (the request stopped before checking anything, e.g.
 * another subject was locked) drops the attempt too.
 */
export function settle(
  policy: LimitPolicy,
  previous: LimitState,
  seq: number,
  outcome: 'failure' | 'success' | 'cancel',
): LimitState {
  if (outcome === 'failure') return previous;
  if (outcome === 'success' && policy.resetOnSuccess) return { ...emptyLimitState(), seq: previous.seq };
  const state: LimitState = { ...previous, attempts: previous.attempts.filter((a) => a.seq !== seq) };
  if (state.lockedBy?.seq === seq) {
    state.lockedUntil = state.lockedBy.previousUntil;
    state.level = Math.max(0, state.level - 1);
    state.lockedBy = null;
  }
  return state;
}
