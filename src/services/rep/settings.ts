import { type RepSettings, repSettingsOf, upsertRepSettings } from '../../db/queries/rep-settings';
import type { CompanyScope } from '../../db/scope';
import { type Actor, auditInsert } from '../audit';

export type { RepSettings };

export const readRepSettings = (scope: CompanyScope): Promise<RepSettings> =>
  repSettingsOf(scope.db, scope.companyId);

/** Changes what the company's sales rep may do; audited with the values before and after. */
export async function updateRepSettings(
  scope: CompanyScope,
  actor: Actor,
  patch: Partial<RepSettings>,
): Promise<RepSettings> {
  const { db, companyId } = scope;
  const before = await repSettingsOf(db, companyId);
  const after: RepSettings = {
    repMayPlaceOrders: patch.repMayPlaceOrders ?? before.repMayPlaceOrders,
    repSeesCarts: patch.repSeesCarts ?? before.repSeesCarts,
  };
  await db.batch([
    upsertRepSettings(db, companyId, after, actor.now),
    auditInsert(db, actor, {
      companyId,
      action: 'rep_settings.update',
      targetType: 'company_settings',
      targetId: companyId,
      summary: `repMayPlaceOrders: ${before.repMayPlaceOrders} → ${after.repMayPlaceOrders}; repSeesCarts: ${before.repSeesCarts} → ${after.repSeesCarts}`,
    }),
  ]);
  return after;
}
