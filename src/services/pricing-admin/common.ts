import { AppError, type FieldIssue } from '../../domain/errors';
import type { Principal } from '../../domain/principal';
import type { PricingDeps } from '../pricing/deps';
import { type PricingChange, pricingChanged } from '../pricing/invalidation';

export type Issue = FieldIssue & { in: 'body' };

export const issue = (path: string, message: string): Issue => ({ in: 'body', path, message });

/** Shape errors the schema cannot see alone (fields that depend on each other): 400 with paths. */
export function rejectInvalid(issues: readonly Issue[]): void {
  if (issues.length > 0)
    throw new AppError('validation_failed', `${issues.length} invalid field(s) in the request body`, [
      ...issues,
    ]);
}

/** Well-formed, but naming records that do not exist (or that the caller may not see): 422 with paths. */
export function rejectUnknown(what: string, issues: readonly Issue[]): void {
  if (issues.length > 0) throw new AppError('unprocessable', what, [...issues]);
}

export const isPlatformAdmin = (p: Principal): boolean => p.permissions.has('platform.admin');

/** The sales rep whose accounts bound what the principal sees; null for platform admins (everything). */
export const repIdOf = (p: Principal): string | null => (isPlatformAdmin(p) ? null : p.id);

export const changed = <T extends object>(before: T, after: T, keys: readonly (keyof T)[]): boolean =>
  keys.some((k) => before[k] !== after[k]);

/** Runs after the write committed, never before: the rebuilds must see the new rows. */
export async function invalidate(
  deps: PricingDeps,
  changes: readonly PricingChange[],
  reason: string,
  now: number,
): Promise<void> {
  if (changes.length > 0) await pricingChanged(deps, changes, reason, now);
}

/** A validity window is `validFrom ≤ t < validTo`; an empty one is a mistake, not a way to disable. */
export function windowIssues(
  prefix: string,
  w: { validFrom?: number | null; validTo?: number | null },
): Issue[] {
  if (w.validFrom == null || w.validTo == null || w.validFrom < w.validTo) return [];
  return [issue(`${prefix}validTo`, 'must be after validFrom')];
}
