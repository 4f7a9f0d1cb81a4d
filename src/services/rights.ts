import { getCompanyUser } from '../db/queries/company-users';
import type { CompanyScope } from '../db/scope';
import { AppError } from '../domain/errors';
import { type GrantAuthority, type GrantRequest, judgeGrant } from '../domain/grants';
import type { Principal } from '../domain/principal';
import { type Actor, auditInsert } from './audit';

/**
 * What the principal may grant in the company it acts for: company administrators (the built-in `admin`
 * role of that very company) and platform administrators have full control; everyone else is bounded by
 * their own permissions and, for a user of the company, their own order limit and period cap.
 */
export async function authorityOf(scope: CompanyScope, principal: Principal): Promise<GrantAuthority> {
  if (principal.permissions.has('platform.admin')) return { kind: 'full' };
  const member = principal.kind === 'user' && principal.companyId === scope.companyId;
  // a custom role cannot take a built-in key, so the key `admin` is the built-in role
  if (member && principal.roles.includes('admin')) return { kind: 'full' };
  const own = member ? await getCompanyUser(scope, principal.id) : undefined;
  const { periodLimitMinor, periodLimitPeriod } = own ?? { periodLimitMinor: null, periodLimitPeriod: null };
  return {
    kind: 'bounded',
    permissions: principal.permissions,
    orderLimitMinor: own?.orderLimitMinor ?? null,
    periodCap:
      periodLimitMinor !== null && periodLimitPeriod !== null
        ? { amountMinor: periodLimitMinor, period: periodLimitPeriod }
        : null,
  };
}

export interface GrantAttempt {
  /** audit action of the change; a refusal is recorded as `<action>.refused` */
  action: string;
  targetType: string;
  targetId: string;
}

/**
 * Every path that hands out rights passes here: the rule decides, a refusal is audited (the attempt is a
 * fact worth keeping even though nothing changed) and answered 403 with the reason and the fields at fault.
 */
export async function enforceGrant(
  scope: CompanyScope,
  actor: Actor,
  attempt: GrantAttempt,
  request: GrantRequest,
): Promise<void> {
  const verdict = judgeGrant(await authorityOf(scope, actor.principal), request);
  if (verdict.ok) return;
  const details = verdict.issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  await auditInsert(scope.db, actor, {
    companyId: scope.companyId,
    action: `${attempt.action}.refused`,
    targetType: attempt.targetType,
    targetId: attempt.targetId,
    summary: details ? `${verdict.reason} (${details})` : verdict.reason,
  });
  throw new AppError('forbidden', verdict.reason, verdict.issues);
}
