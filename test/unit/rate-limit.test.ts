import { describe, expect, it } from 'vitest';
import { clientAddressKey } from '../../src/domain/ip';
import {
  emptyLimitState,
  LIMIT_POLICIES,
  type LimitPolicy,
  type LimitState,
  lockDuration,
  settle,
  take,
} from '../../src/domain/rate-limit';

const account = LIMIT_POLICIES.login_account;
const address = LIMIT_POLICIES.login_address;

function run(policy: LimitPolicy = account, state: LimitState = emptyLimitState(), now = 0) {
  const { state: next, decision } = take(policy, state, now);
  return { next, decision };
}

describe('guessing limits (pure)', () => {
  it('counts attempts when they start: the sixth of six parallel guesses is refused before any ends', () => {
    let state = emptyLimitState();
    const allowed: boolean[] = [];
    for (let i = 0; i < 6; i++) {
      const { next, decision } = run(account, state, 1_000);
      state = next;
      allowed.push(decision.allowed);
    }
    expect(allowed).toEqual([true, true, true, true, true, false]);
  });

  it('the attempt that started a lockout undoes it when it succeeds', () => {
    let state = emptyLimitState();
    let lastSeq = 0;
    for (let i = 0; i < 20; i++) {
      const { next, decision } = run(address, state, 5);
      state = next;
      if (decision.allowed) lastSeq = decision.seq;
    }
    expect(state.lockedUntil).toBe(5 + address.baseLockMs);
    state = settle(address, state, lastSeq, 'success');
    expect(state.lockedUntil).toBe(0);
    expect(state.attempts).toHaveLength(19);
    expect(run(address, state, 6).decision.allowed).toBe(true);
  });

  it('an account success forgets everything; an address success only its own attempt', () => {
    const one = run(account);
    const two = run(account, one.next);
    if (!two.decision.allowed) throw new Error('expected allowed');
    expect(settle(account, two.next, two.decision.seq, 'success').attempts).toEqual([]);
    const a = run(address);
    const b = run(address, a.next);
    if (!b.decision.allowed) throw new Error('expected allowed');
    expect(settle(address, b.next, b.decision.seq, 'success').attempts).toHaveLength(1);
    expect(settle(address, b.next, b.decision.seq, 'failure').attempts).toHaveLength(2);
  });

  it('failures slide out of the window; the escalation is forgotten a window after the last lockout', () => {
    let state = emptyLimitState();
    for (let i = 0; i < 4; i++) state = run(account, state, i).next;
    // at 0, 1, 2, 3; a window after 1, the ones at 2 and 3 still count, plus the new one
    expect(run(account, state, 1 + account.windowMs).next.attempts).toHaveLength(3);
    for (let i = 0; i < 5; i++) state = run(account, state, 10).next;
    expect(state.level).toBeGreaterThan(0);
    const later = run(account, state, state.lockedUntil + account.windowMs);
    expect(later.next.level).toBe(0);
    expect(later.next.lockedUntil).toBe(state.lockedUntil);
  });

  it.each([
    [1, 30_000],
    [2, 60_000],
    [5, 480_000],
    [6, 900_000],
    [40, 900_000],
  ])('lockout %i lasts %i ms', (level, ms) => {
    expect(lockDuration(account, level)).toBe(ms);
  });

  it.each([
    ['203.0.113.9', '203.0.113.9'],
    ['2001:db8:1:2::7', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['', 'unknown'],
    [undefined, 'unknown'],
    ['not an address', 'other:not an address'],
  ])('client address %s is limited as %s', (input, key) => {
    expect(clientAddressKey(input)).toBe(key);
  });
});
