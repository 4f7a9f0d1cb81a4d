import { listOccurrences, type OccurrenceRow } from '../db/queries/recurring';
import type { CompanyScope } from '../db/scope';
import type { Principal } from '../domain/principal';
import { expandPoPattern } from '../domain/recurring-terms';
import { companyObject } from '../durable/client';
import type { Env } from '../env';
import { linesSource } from './recurring-list-source';
import { countryOf, readableSchedule } from './recurring-orders';
import { upcoming } from './recurring-timing';

/**
 * Reading a schedule's future and past: the next occurrences (dates, and the next one priced now with
 * every problem and what checkout would say) and the history of what each occurrence did.
 */
export async function previewSchedule(
  env: Env,
  scope: CompanyScope,
  principal: Principal,
  id: string,
  count: number,
  now: number,
) {
  const row = await readableSchedule(scope, principal, id);
  const country = await countryOf(scope);
  // the active schedule's next occurrence may be due already (being placed); a paused one as if resumed now
  const from = row.status === 'active' && row.nextDueAt !== null ? row.nextDueAt - 1 : now;
  const slots = row.status === 'ended' ? [] : upcoming(row, country, from, count);
  const occurrences = slots.map((s, i) => ({ ...s, number: row.occurrenceCount + 1 + i }));
  const first = occurrences[0];
  if (!first) return { occurrences, next: null, problem: null };
  const change = row.nextChange?.occurrence === first.at ? row.nextChange.lines : [];
  const preview = await companyObject(env, scope).recurringPreview(
    {
      scheduleId: row.id,
      ownerId: row.ownerId,
      // a list that is gone previews as nothing to order (the placement pauses the schedule with the reason)
      source: (await linesSource(scope.db, scope.companyId, row.ownerId, row.source)) ?? {
        kind: 'lines',
        lines: [],
      },
      quantities: change,
      autoReplace: row.autoReplace,
      now,
    },
    {
      shipToSiteId: row.shipToSiteId,
      costCenterId: row.costCenterId,
      ...(row.poPattern ? { poNumber: expandPoPattern(row.poPattern, first.localDate, first.number) } : {}),
      deliveryMode: row.deliveryMode,
      ...(row.notes ? { instructions: row.notes } : {}),
    },
  );
  if (!preview.ok) return { occurrences, next: null, problem: preview.message };
  const { priced, report, checkout } = preview.value;
  return {
    occurrences,
    next: {
      at: first.at,
      currency: priced.currency,
      lines: priced.lines.map(({ id: _id, ...line }) => line),
      plan: report,
      checkout,
    },
    problem: null,
  };
}

export const presentOccurrence = ({ scheduleId: _s, companyId: _c, ...o }: OccurrenceRow) => o;

export async function occurrenceHistory(
  scope: CompanyScope,
  principal: Principal,
  id: string,
  page: { before?: number; limit: number },
) {
  await readableSchedule(scope, principal, id);
  return (await listOccurrences(scope, id, { ...page, limit: page.limit + 1 })).map(presentOccurrence);
}
