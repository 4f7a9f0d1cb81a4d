/**
 * Everything that decides a customer's prices and assortment, reduced to ids. Companies whose inputs are
 * equal share one price index: its key is a hash of these inputs (the fingerprint). Content edits (a
 * rule's amount, a list price) do not change the fingerprint; they make a new generation of the index.
 */
export const INDEX_FORMAT_VERSION = 1;

export interface PricingInputs {
  v: number;
  currency: string;
  priceListId: string | null;
  contractIds: string[];
  assortmentRuleIds: string[];
}

export interface CompanyNode {
  id: string;
  parentId: string | null;
  currency: string;
  country: string;
  priceListId: string | null;
}

export interface InputsCatalog {
  companies: ReadonlyMap<string, CompanyNode>;
  /** active price lists: id → currency, and the default list per currency */
  priceLists: ReadonlyMap<string, string>;
  defaultListByCurrency: ReadonlyMap<string, string>;
  groupsByCompany: ReadonlyMap<string, string[]>;
  /** active contracts: attached to a company or a group */
  contracts: readonly { id: string; currency: string; companyId: string | null; groupId: string | null }[];
  assortmentRules: readonly {
    id: string;
    scopeType: 'company' | 'group' | 'region';
    companyId: string | null;
    groupId: string | null;
    region: string | null;
  }[];
}

const MAX_DEPTH = 16;

/** The company, its parent, its grandparent … (a cycle or a missing parent ends the chain). */
function chainOf(catalog: InputsCatalog, companyId: string): CompanyNode[] {
  const chain: CompanyNode[] = [];
  const seen = new Set<string>();
  let node = catalog.companies.get(companyId);
  while (node && !seen.has(node.id) && chain.length < MAX_DEPTH) {
    chain.push(node);
    seen.add(node.id);
    node = node.parentId ? catalog.companies.get(node.parentId) : undefined;
  }
  return chain;
}

/** The nearest company in the chain (itself first) that has something of this kind: a child inherits what it does not set. */
function nearest<T>(chain: CompanyNode[], pick: (c: CompanyNode) => T[]): T[] {
  for (const c of chain) {
    const found = pick(c);
    if (found.length > 0) return found;
  }
  return [];
}

/**
 * A company's pricing inputs. A child company inherits, kind by kind, its parent's price list, company
 * contracts, customer groups and company assortment rules unless it has its own of that kind. Contracts
 * in another currency than the company's are ignored; region rules follow the company's own country.
 */
export function resolveInputs(catalog: InputsCatalog, companyId: string): PricingInputs | null {
  const chain = chainOf(catalog, companyId);
  const self = chain[0];
  if (!self) return null;
  const currency = self.currency;
  const listed = nearest(chain, (c) =>
    c.priceListId && catalog.priceLists.get(c.priceListId) === currency ? [c.priceListId] : [],
  );
  const priceListId = listed[0] ?? catalog.defaultListByCurrency.get(currency) ?? null;
  const inCurrency = catalog.contracts.filter((k) => k.currency === currency);
  const companyContracts = nearest(chain, (c) => inCurrency.filter((k) => k.companyId === c.id));
  const groups = new Set(nearest(chain, (c) => catalog.groupsByCompany.get(c.id) ?? []));
  const groupContracts = inCurrency.filter((k) => k.groupId !== null && groups.has(k.groupId));
  const companyRules = nearest(chain, (c) =>
    catalog.assortmentRules.filter((r) => r.scopeType === 'company' && r.companyId === c.id),
  );
  const otherRules = catalog.assortmentRules.filter(
    (r) =>
      (r.scopeType === 'group' && r.groupId !== null && groups.has(r.groupId)) ||
      (r.scopeType === 'region' && r.region === self.country),
  );
  return {
    v: INDEX_FORMAT_VERSION,
    currency,
    priceListId,
    contractIds: [...companyContracts, ...groupContracts].map((k) => k.id).sort(),
    assortmentRuleIds: [...companyRules, ...otherRules].map((r) => r.id).sort(),
  };
}

/** Canonical JSON of the inputs: the same inputs always give the same text, hence the same fingerprint. */
export const canonicalInputs = (inputs: PricingInputs): string =>
  JSON.stringify({
    v: inputs.v,
    currency: inputs.currency,
    priceListId: inputs.priceListId,
    contractIds: [...inputs.contractIds].sort(),
    assortmentRuleIds: [...inputs.assortmentRuleIds].sort(),
  });
