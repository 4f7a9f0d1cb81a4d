import type { ImportKind } from '../../../domain/erp-terms';
import { notImplemented } from '../../../domain/errors';
import type { ImportKindSpec } from '../kind-spec';
import { contractPricesSpec } from './contract-prices';
import { customersSpec } from './customers';
import { listPricesSpec } from './list-prices';
import { productsSpec } from './products';

const notYet = (kind: ImportKind): ImportKindSpec => ({
  kind,
  requiredColumns: [],
  knownColumns: [],
  parse: () => ({ ok: false, column: null, reason: `${kind} imports are not implemented yet` }),
  keyOf: () => '',
  versionOf: () => 0,
  apply: async () => {
    throw notImplemented(`${kind} import`);
  },
});

/** Every import kind's meaning, by the kind's name in `/erp/v1/imports/{kind}`. */
export const IMPORT_KIND_SPECS: Record<ImportKind, ImportKindSpec> = {
  products: productsSpec as ImportKindSpec,
  'list-prices': listPricesSpec as ImportKindSpec,
  stock: notYet('stock'),
  customers: customersSpec as ImportKindSpec,
  'contract-prices': contractPricesSpec as ImportKindSpec,
};
