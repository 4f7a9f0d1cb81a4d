import type { ImportKind } from '../../../domain/erp-terms';
import type { ImportKindSpec } from '../kind-spec';
import { contractPricesSpec } from './contract-prices';
import { customersSpec } from './customers';
import { listPricesSpec } from './list-prices';
import { productsSpec } from './products';
import { stockImport } from './stock';

/** Every import kind's meaning, by the kind's name in `/erp/v1/imports/{kind}`. */
export const IMPORT_KIND_SPECS: Record<ImportKind, ImportKindSpec> = {
  products: productsSpec as ImportKindSpec,
  'list-prices': listPricesSpec as ImportKindSpec,
  stock: stockImport,
  customers: customersSpec as ImportKindSpec,
  'contract-prices': contractPricesSpec as ImportKindSpec,
};
