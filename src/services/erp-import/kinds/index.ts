import type { ImportKind } from '../../../domain/erp-terms';
import { notImplemented } from '../../../domain/errors';
import type { ImportKindSpec } from '../kind-spec';
import { stockImport } from './stock';

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
  products: notYet('products'),
  'list-prices': notYet('list-prices'),
  stock: stockImport,
  customers: notYet('customers'),
  'contract-prices': notYet('contract-prices'),
};
