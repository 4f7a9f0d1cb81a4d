import type { Database } from '../../db/client';
import { type CheckedKind, existingTargets } from '../../db/queries/pricing-admin';
import type { TargetType } from '../../domain/pricing/targets';
import { type Issue, issue } from './common';

export interface Targeting {
  targetType: TargetType;
  target?: string | null;
}

/** A target names a SKU, family, category path or brand, except for "all" which names nothing. */
export function targetShapeIssues(prefix: string, r: Targeting): Issue[] {
  const hasTarget = r.target !== undefined && r.target !== null;
  if (r.targetType === 'all' && hasTarget)
    return [issue(`${prefix}target`, 'must be absent when targetType is "all"')];
  if (r.targetType !== 'all' && !hasTarget)
    return [issue(`${prefix}target`, `required when targetType is "${r.targetType}"`)];
  return [];
}

const REASON: Record<CheckedKind, (target: string) => string> = {
  sku: (t) => `no product with SKU "${t}"`,
  family: (t) => `no product family "${t}"`,
  category: (t) => `no category "${t}"`,
  brand: (t) => `no brand "${t}"`,
};

/**
 * Every reference that names nothing in the catalog, with its reason, found with a few set-based queries
 * over the distinct values (not one query per reference).
 */
export async function missingTargets(
  db: Database,
  refs: readonly { path: string; kind: TargetType; value: string | null | undefined }[],
): Promise<Issue[]> {
  const wanted = new Map<CheckedKind, Set<string>>();
  for (const { kind, value } of refs) {
    if (kind === 'all' || value === null || value === undefined) continue;
    const set = wanted.get(kind) ?? new Set<string>();
    set.add(value);
    wanted.set(kind, set);
  }
  if (wanted.size === 0) return [];
  const found = await existingTargets(db, wanted);
  return refs.flatMap(({ path, kind, value }) =>
    kind === 'all' || value === null || value === undefined || found.has(`${kind}:${value}`)
      ? []
      : [issue(path, REASON[kind](value))],
  );
}
