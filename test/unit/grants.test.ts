import { describe, expect, it } from 'vitest';
import { type GrantAuthority, type GrantRequest, judgeGrant } from '../../src/domain/grants';
import type { Permission } from '../../src/domain/permissions';

const delegate: GrantAuthority = {
  kind: 'bounded',
  permissions: new Set<Permission>(['catalog.view', 'users.manage', 'cart.manage']),
  orderLimitMinor: 100_000,
  periodCap: { amountMinor: 200_000, period: 'week' },
};
const unlimitedDelegate: GrantAuthority = { ...delegate, orderLimitMinor: null, periodCap: null };
const full: GrantAuthority = { kind: 'full' };

const request = (r: Partial<GrantRequest>): GrantRequest => ({
  self: false,
  currentPermissions: [],
  grants: [],
  changesRoles: false,
  ...r,
});
const roles = (...grants: (readonly Permission[])[]) =>
  request({
    changesRoles: true,
    grants: grants.map((permissions, i) => ({ path: `roleIds.${i}`, permissions })),
  });

type Case = [string, GrantAuthority, GrantRequest, true | string[]];
const CASES: Case[] = [
  ['a rename is nobody’s grant', delegate, request({ self: true }), true],
  ['own roles: refused even for a full administrator', full, request({ self: true, changesRoles: true }), []],
  ['own order limit: refused', delegate, request({ self: true, orderLimitMinor: 1 }), []],
  ['own period cap: refused', full, request({ self: true, periodCap: null }), []],
  ['full control over others', full, roles(['platform.admin', 'users.manage']), true],
  ['roles within what the delegate holds', delegate, roles(['catalog.view'], ['users.manage']), true],
  [
    'a role with one permission too many',
    delegate,
    roles(['catalog.view'], ['order.approve']),
    ['roleIds.1'],
  ],
  [
    'each offending role is named',
    delegate,
    roles(['prices.view'], ['catalog.view'], ['audit.view']),
    ['roleIds.0', 'roleIds.2'],
  ],
  ['a user holding more is out of reach', delegate, request({ currentPermissions: ['order.approve'] }), []],
  ['a user holding less is in reach', delegate, request({ currentPermissions: ['catalog.view'] }), true],
  ['order limit under the delegate’s', delegate, request({ orderLimitMinor: 100_000 }), true],
  ['order limit over the delegate’s', delegate, request({ orderLimitMinor: 100_001 }), ['orderLimitMinor']],
  ['no order limit is over any limit', delegate, request({ orderLimitMinor: null }), ['orderLimitMinor']],
  ['a delegate without a limit gives any', unlimitedDelegate, request({ orderLimitMinor: null }), true],
  ['no period cap is over any cap', delegate, request({ periodCap: null }), ['periodLimitMinor']],
  [
    'a larger cap',
    delegate,
    request({ periodCap: { amountMinor: 200_001, period: 'month' } }),
    ['periodLimitMinor'],
  ],
  [
    'a shorter period adds up to more',
    delegate,
    request({ periodCap: { amountMinor: 10_000, period: 'day' } }),
    ['periodLimitPeriod'],
  ],
  ['same cap, same period', delegate, request({ periodCap: { amountMinor: 200_000, period: 'week' } }), true],
  [
    'same cap, longer period',
    delegate,
    request({ periodCap: { amountMinor: 200_000, period: 'month' } }),
    true,
  ],
  ['a delegate without a cap gives any', unlimitedDelegate, request({ periodCap: null }), true],
];

describe('judgeGrant', () => {
  it.each(CASES)('%s', (_name, authority, req, expected) => {
    const verdict = judgeGrant(authority, req);
    if (expected === true) expect(verdict).toEqual({ ok: true });
    else {
      expect(verdict.ok).toBe(false);
      if (!verdict.ok) {
        expect(verdict.reason.length).toBeGreaterThan(10);
        expect(verdict.issues.map((i) => i.path)).toEqual(expected);
      }
    }
  });
});
