import type { FieldIssue } from './errors';
import type { Permission } from './permissions';

/**
 * The one rule for handing out rights (roles, role permissions, order limits, period caps), whatever the
 * route: nobody grants what they do not hold, nobody changes their own roles or limits, and a delegate
 * cannot reach someone who holds more than they do. Company administrators and platform administrators
 * have full control of the company they act for (but not of their own roles and limits either).
 */

export const LIMIT_PERIODS = ['day', 'week', 'month'] as const;
export type LimitPeriod = (typeof LIMIT_PERIODS)[number];

/** A spending cap over a calendar period; null = no cap. */
export interface PeriodCap {
  amountMinor: number;
  period: LimitPeriod;
}

/** What the granting principal may hand out. */
export type GrantAuthority =
  | { kind: 'full' }
  | {
      kind: 'bounded';
      permissions: ReadonlySet<Permission>;
      /** the granter's own limits; null = none (no limit to stay under) */
      orderLimitMinor: number | null;
      periodCap: PeriodCap | null;
    };

/** Permissions handed out by one part of the request, named by the field that hands them out. */
export interface PermissionGrant {
  path: string;
  permissions: readonly Permission[];
}

export interface GrantRequest {
  /** the user changed is the granter themself */
  self: boolean;
  /** what the user or role being changed holds today (nothing for a new one) */
  currentPermissions: readonly Permission[];
  /** permissions given by this change: each assigned role, or each permission of a role */
  grants: readonly PermissionGrant[];
  /** the change touches roles (assigning, or editing a role's permissions) */
  changesRoles: boolean;
  /** undefined = unchanged */
  orderLimitMinor?: number | null;
  periodCap?: PeriodCap | null;
}

export type GrantVerdict = { ok: true } | { ok: false; reason: string; issues: FieldIssue[] };

const PERIOD_RANK: Record<LimitPeriod, number> = { day: 0, week: 1, month: 2 };

/**
 * A cap is no looser than the granter's when it is no larger over a period at least as long: 1,000 a month
 * also bounds every day to 1,000, whereas 1,000 a day can add up to 31,000 in a month.
 */
export const capWithin = (cap: PeriodCap, bound: PeriodCap): boolean =>
  cap.amountMinor <= bound.amountMinor && PERIOD_RANK[cap.period] >= PERIOD_RANK[bound.period];

const refuse = (reason: string, issues: FieldIssue[] = []): GrantVerdict => ({ ok: false, reason, issues });

function limitIssues(
  authority: Extract<GrantAuthority, { kind: 'bounded' }>,
  request: GrantRequest,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const own = authority.orderLimitMinor;
  const limit = request.orderLimitMinor;
  if (limit !== undefined && own !== null && (limit === null || limit > own))
    issues.push({ path: 'orderLimitMinor', message: `at most your own order limit (${own} minor units)` });
  const ownCap = authority.periodCap;
  const cap = request.periodCap;
  if (cap !== undefined && ownCap !== null) {
    const bound = `${ownCap.amountMinor} minor units a ${ownCap.period}`;
    if (cap === null || cap.amountMinor > ownCap.amountMinor)
      issues.push({ path: 'periodLimitMinor', message: `at most your own period cap (${bound})` });
    else if (!capWithin(cap, ownCap))
      issues.push({ path: 'periodLimitPeriod', message: `a period at least as long as yours (${bound})` });
  }
  return issues;
}

export function judgeGrant(authority: GrantAuthority, request: GrantRequest): GrantVerdict {
  const touchesRights =
    request.changesRoles || request.orderLimitMinor !== undefined || request.periodCap !== undefined;
  if (request.self && touchesRights)
    return refuse('You cannot change your own roles or limits; another administrator has to');
  if (authority.kind === 'full') return { ok: true };

  const held = authority.permissions;
  const beyond = [...new Set(request.currentPermissions)].filter((p) => !held.has(p));
  if (beyond.length > 0)
    return refuse(
      `This holds permissions you do not have (${beyond.join(', ')}); only a company administrator can change it`,
    );
  const missing = new Set<Permission>();
  const issues: FieldIssue[] = [];
  for (const grant of request.grants) {
    const lacking = grant.permissions.filter((p) => !held.has(p));
    for (const p of lacking) missing.add(p);
    if (lacking.length > 0)
      issues.push({ path: grant.path, message: `grants ${lacking.join(', ')}, which you do not hold` });
  }
  if (missing.size > 0)
    return refuse(`You cannot grant permissions you do not hold: ${[...missing].join(', ')}`, issues);
  const limits = limitIssues(authority, request);
  if (limits.length > 0) return refuse('You cannot grant limits above your own', limits);
  return { ok: true };
}
