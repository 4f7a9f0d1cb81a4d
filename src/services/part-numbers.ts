import { and, eq } from 'drizzle-orm';
import { runBatch } from '../db/queries/bulk';
import {
  getPartNumber,
  type NewPartNumber,
  partKeyTaken,
  upsertPartNumbers,
} from '../db/queries/part-numbers';
import { companyPartNumbers } from '../db/schema';
import type { CompanyScope } from '../db/scope';
import { AppError, conflict, type FieldIssue, notFound } from '../domain/errors';
import { normaliseReference } from '../domain/quick-order/references';
import { newId } from '../lib/ids';
import { unseenLines } from './assortment-answers';
import { type Actor, auditInsert, describeChanges } from './audit';
import { customerViewOf } from './catalog-view';
import type { PricingDeps } from './pricing/deps';
import { customerEntries } from './pricing/entries';
import { catalogReferencesFor, forgetPartNumbers } from './quick-order/references';

/**
 * A company's own references for SKUs (docs/quick-order.md#company-part-numbers). Written by `lists.manage`:
 * the buyers who keep the company's lists keep its references too; user administration is another job.
 * A reference is unique per company once normalised, may not be one of the catalog's SKUs (a SKU always
 * names itself), and names a SKU the company can see.
 */
export interface PartNumberInput {
  partNumber: string;
  sku: string;
  description?: string | null;
  preferredQuantity?: number | null;
  packQuantity?: number;
}

/** Every problem with these inputs, by `path(i)`: a reference that is a SKU, a SKU the company cannot see. */
async function problemsOf(
  deps: PricingDeps,
  companyId: string,
  inputs: readonly PartNumberInput[],
  path: (i: number, field: string) => string,
  now: number,
): Promise<FieldIssue[]> {
  const refs = await catalogReferencesFor(deps.db, now);
  const view = await customerViewOf(deps, companyId, now);
  const seen = await customerEntries(
    deps,
    view.fingerprint,
    inputs.map((i) => i.sku),
    now,
  );
  const unseen = await unseenLines(deps.db, companyId, inputs, seen.entries);
  const issues: FieldIssue[] = [];
  for (const [i, input] of inputs.entries()) {
    if (normaliseReference(input.partNumber) === '')
      issues.push({ path: path(i, 'partNumber'), message: 'must hold a letter or a digit' });
    else if (refs.skuOf(input.partNumber))
      issues.push({ path: path(i, 'partNumber'), message: `"${input.partNumber}" is a SKU of the catalog` });
    const why = unseen.get(i);
    if (why) issues.push({ path: path(i, 'sku'), message: why.message });
  }
  return issues;
}

const rowOf = (
  companyId: string,
  actor: Actor,
  input: PartNumberInput,
  id = newId('cpn'),
): NewPartNumber => ({
  id,
  companyId,
  partNumber: input.partNumber,
  partKey: normaliseReference(input.partNumber),
  sku: input.sku,
  description: input.description ?? null,
  preferredQuantity: input.preferredQuantity ?? null,
  packQuantity: input.packQuantity ?? 1,
  createdBy: actor.principal.id,
  createdAt: actor.now,
  updatedAt: actor.now,
});

export async function createPartNumber(
  scope: CompanyScope,
  deps: PricingDeps,
  actor: Actor,
  input: PartNumberInput,
) {
  const issues = await problemsOf(deps, scope.companyId, [input], (_, f) => f, actor.now);
  if (issues.length > 0) throw new AppError('unprocessable', 'The part number cannot be saved', issues);
  const row = rowOf(scope.companyId, actor, input);
  if (await partKeyTaken(scope, row.partKey))
    throw conflict(`The reference "${input.partNumber}" is already mapped`);
  await scope.db.batch([
    scope.db.insert(companyPartNumbers).values(row),
    auditInsert(scope.db, actor, {
      companyId: scope.companyId,
      action: 'part_number.create',
      targetType: 'part_number',
      targetId: row.id,
      summary: `Mapped ${input.partNumber} to ${input.sku}`,
    }),
  ]);
  forgetPartNumbers(scope.companyId);
  return getPartNumber(scope, row.id);
}

export async function updatePartNumber(
  scope: CompanyScope,
  deps: PricingDeps,
  actor: Actor,
  id: string,
  changes: Partial<PartNumberInput>,
) {
  const existing = await getPartNumber(scope, id);
  if (!existing) throw notFound('Part number');
  const merged = {
    partNumber: changes.partNumber ?? existing.partNumber,
    sku: changes.sku ?? existing.sku,
  };
  const issues = await problemsOf(deps, scope.companyId, [merged], (_, f) => f, actor.now);
  if (issues.length > 0) throw new AppError('unprocessable', 'The part number cannot be saved', issues);
  const partKey = normaliseReference(merged.partNumber);
  if (await partKeyTaken(scope, partKey, id))
    throw conflict(`The reference "${merged.partNumber}" is already mapped`);
  await scope.db.batch([
    scope.db
      .update(companyPartNumbers)
      .set({ ...changes, partKey, updatedAt: actor.now })
      .where(and(eq(companyPartNumbers.id, id), eq(companyPartNumbers.companyId, scope.companyId))),
    auditInsert(scope.db, actor, {
      companyId: scope.companyId,
      action: 'part_number.update',
      targetType: 'part_number',
      targetId: id,
      summary: `Changed ${describeChanges(changes)}`,
    }),
  ]);
  forgetPartNumbers(scope.companyId);
  return getPartNumber(scope, id);
}

export async function deletePartNumber(scope: CompanyScope, actor: Actor, id: string) {
  const existing = await getPartNumber(scope, id);
  if (!existing) throw notFound('Part number');
  await scope.db.batch([
    scope.db
      .delete(companyPartNumbers)
      .where(and(eq(companyPartNumbers.id, id), eq(companyPartNumbers.companyId, scope.companyId))),
    auditInsert(scope.db, actor, {
      companyId: scope.companyId,
      action: 'part_number.delete',
      targetType: 'part_number',
      targetId: id,
      summary: `Removed ${existing.partNumber} (${existing.sku})`,
    }),
  ]);
  forgetPartNumbers(scope.companyId);
}

/**
 * Inserts or replaces (by normalised reference) every row, all or nothing: any bad row is a 422 naming
 * `rows.N.field` (N the row's line in the file), and nothing is written.
 */
export async function importPartNumbers(
  scope: CompanyScope,
  deps: PricingDeps,
  actor: Actor,
  rows: readonly (PartNumberInput & { line: number })[],
  issuesFound: readonly FieldIssue[],
) {
  const keys = new Map<string, number>();
  const issues: FieldIssue[] = [...issuesFound];
  for (const r of rows) {
    const key = normaliseReference(r.partNumber);
    const seen = keys.get(key);
    if (seen !== undefined)
      issues.push({ path: `rows.${r.line}.partNumber`, message: `the same reference as line ${seen}` });
    else keys.set(key, r.line);
  }
  issues.push(
    ...(await problemsOf(
      deps,
      scope.companyId,
      rows,
      (i, f) => `rows.${rows[i]?.line ?? i}.${f}`,
      actor.now,
    )),
  );
  if (issues.length > 0)
    throw new AppError(
      'unprocessable',
      `${issues.length} problem(s) in the file; nothing was imported`,
      issues,
    );
  await runBatch(scope.db, [
    ...upsertPartNumbers(
      scope.db,
      rows.map((r) => rowOf(scope.companyId, actor, r)),
    ),
    auditInsert(scope.db, actor, {
      companyId: scope.companyId,
      action: 'part_number.import',
      targetType: 'company',
      targetId: scope.companyId,
      summary: `Imported ${rows.length} part number(s)`,
    }),
  ]);
  forgetPartNumbers(scope.companyId);
  return { imported: rows.length };
}
