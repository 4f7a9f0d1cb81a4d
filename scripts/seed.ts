import { parseArgs } from 'node:util';
import { describeRows, parseProducts, totalRows } from './cli';
import { DEFAULT_PRODUCTS } from './demo-data';
import { migrateLocalD1, seedLocalD1 } from './local-d1';

/** `npm run seed [-- --products N] [--persist-to dir]`: the demo data into the local D1, only if empty. */
const { values } = parseArgs({
  options: { products: { type: 'string' }, 'persist-to': { type: 'string' } },
});
const options = {
  products: parseProducts(values.products) ?? DEFAULT_PRODUCTS,
  persistTo: values['persist-to'],
};
// seeding needs the tables; applying migrations is a no-op when they are current
migrateLocalD1(options);
const result = await seedLocalD1(options);
console.log(
  result.seeded
    ? `Seeded the local D1 in ${(result.ms / 1000).toFixed(1)} s: ${totalRows(result.rows)} rows (${describeRows(result.rows)}).`
    : 'The local D1 already has companies; left as is (delete .wrangler/state to start over).',
);
