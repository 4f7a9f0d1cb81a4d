import { eq } from 'drizzle-orm';
import {
  type ContractFilter,
  type ContractView,
  getContract,
  getGroup,
  listContracts,
  visibleCompanies,
} from '../../db/queries/pricing-admin';
import { contracts } from '../../db/schema';
import { conflict, forbidden, notFound } from '../../domain/errors';
import type { Principal } from '../../domain/principal';
import { newId } from '../../lib/ids';
import { type Actor, auditInsert, describeChanges } from '../audit';
import type { PricingDeps } from '../pricing/deps';
import type { PricingChange } from '../pricing/invalidation';
import {
  changed,
  type Issue,
  invalidate,
  isPlatformAdmin,
  issue,
  rejectInvalid,
  rejectUnknown,
  repIdOf,
  windowIssues,
} from './common';

export interface ContractInput {
  name: string;
  currency: string;
  companyId?: string | null;
  groupId?: string | null;
  combination?: 'best_price' | 'stackable';
  priority?: number;
  validFrom?: number | null;
  validTo?: number | null;
}

const present = ({ companyRepId: _rep, ...row }: ContractView) => row;

/** A sales rep reads their accounts' contracts and every group contract; another company's is a 404. */
export async function readableContract(deps: PricingDeps, principal: Principal, id: string) {
  const row = await getContract(deps.db, id);
  if (!row) throw notFound('Contract');
  if (!isPlatformAdmin(principal) && row.companyId !== null && row.companyRepId !== principal.id)
    throw notFound('Contract');
  return row;
}

/**
 * …and writes only their accounts' contracts (group contracts: 403); archived contracts are read-only, and
 * so is a customer's ERP contract: its prices come from the ERP's contract-price imports, which would
 * overwrite (or fight) any edit made here.
 */
export async function writableContract(deps: PricingDeps, principal: Principal, id: string) {
  const row = await readableContract(deps, principal, id);
  if (row.groupId !== null && !isPlatformAdmin(principal))
    throw forbidden('Group contracts are maintained by platform administrators');
  if (row.status === 'archived') throw conflict(`Contract ${row.name} is archived`);
  if (row.erpCustomerNumber !== null)
    throw conflict(
      `Contract ${row.name} is managed by the ERP (customer ${row.erpCustomerNumber}): change its prices in the ERP`,
    );
  return row;
}

export const getContractFor = async (deps: PricingDeps, principal: Principal, id: string) =>
  present(await readableContract(deps, principal, id));

export const listContractsFor = async (
  deps: PricingDeps,
  principal: Principal,
  filter: Omit<ContractFilter, 'repId'>,
) => (await listContracts(deps.db, { ...filter, repId: repIdOf(principal) })).map(present);

type Attachment = Pick<ContractInput, 'companyId' | 'groupId' | 'currency' | 'validFrom' | 'validTo'>;

/** Exactly one of company / group, which must exist (and be visible); a company contract in its currency. */
async function checkAttachment(deps: PricingDeps, principal: Principal, c: Attachment) {
  const shape: Issue[] = windowIssues('', c);
  if (c.companyId && c.groupId) shape.push(issue('groupId', 'send either companyId or groupId, not both'));
  if (!c.companyId && !c.groupId) shape.push(issue('companyId', 'companyId or groupId is required'));
  rejectInvalid(shape);
  if (c.groupId) {
    if (!isPlatformAdmin(principal))
      throw forbidden('Group contracts are maintained by platform administrators');
    if (!(await getGroup(deps.db, c.groupId)))
      rejectUnknown('Unknown customer group', [issue('groupId', 'no such customer group')]);
  }
  if (c.companyId) {
    const company = (await visibleCompanies(deps.db, [c.companyId], repIdOf(principal))).get(c.companyId);
    if (!company) rejectUnknown('Unknown company', [issue('companyId', 'no such company')]);
    else if (company.defaultCurrency !== c.currency)
      rejectUnknown('The contract is not in the company currency', [
        issue('currency', `the company buys in ${company.defaultCurrency}`),
      ]);
  }
}

export async function createContract(deps: PricingDeps, actor: Actor, input: ContractInput) {
  await checkAttachment(deps, actor.principal, input);
  const { db } = deps;
  const id = newId('ctr');
  await db.batch([
    db.insert(contracts).values({ ...input, id, createdAt: actor.now, updatedAt: actor.now }),
    auditInsert(db, actor, {
      companyId: input.companyId ?? null,
      action: 'contract.create',
      targetType: 'contract',
      targetId: id,
      summary: `Created contract ${input.name} (${input.currency}) for ${input.companyId ?? input.groupId}`,
    }),
  ]);
  await invalidate(deps, [{ kind: 'assignments' }], `contract ${id} created`, actor.now);
  return getContractFor(deps, actor.principal, id);
}

export async function updateContract(
  deps: PricingDeps,
  actor: Actor,
  id: string,
  changes: Partial<ContractInput>,
) {
  const existing = await writableContract(deps, actor.principal, id);
  const merged = { ...existing, ...changes };
  await checkAttachment(deps, actor.principal, merged);
  const { db } = deps;
  await db.batch([
    db
      .update(contracts)
      .set({ ...changes, updatedAt: actor.now })
      .where(eq(contracts.id, id)),
    auditInsert(db, actor, {
      companyId: merged.companyId,
      action: 'contract.update',
      targetType: 'contract',
      targetId: id,
      summary: `Updated contract ${existing.name}: ${describeChanges(changes)}`,
    }),
  ]);
  const effects: PricingChange[] = [];
  if (changed(existing, merged, ['companyId', 'groupId', 'currency'])) effects.push({ kind: 'assignments' });
  if (changed(existing, merged, ['combination', 'priority', 'validFrom', 'validTo']))
    effects.push({ kind: 'contract', contractId: id });
  await invalidate(deps, effects, `contract ${id} updated`, actor.now);
  return getContractFor(deps, actor.principal, id);
}

/** Archived contracts stop pricing at once; their rules are kept for the record. */
export async function archiveContract(deps: PricingDeps, actor: Actor, id: string) {
  const existing = await writableContract(deps, actor.principal, id);
  const { db } = deps;
  await db.batch([
    db.update(contracts).set({ status: 'archived', updatedAt: actor.now }).where(eq(contracts.id, id)),
    auditInsert(db, actor, {
      companyId: existing.companyId,
      action: 'contract.archive',
      targetType: 'contract',
      targetId: id,
      summary: `Archived contract ${existing.name}`,
    }),
  ]);
  await invalidate(deps, [{ kind: 'assignments' }], `contract ${id} archived`, actor.now);
}
