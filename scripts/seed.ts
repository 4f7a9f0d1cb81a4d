import { parseArgs } from 'node:util';
import { migrateLocalD1, seedLocalD1 } from './local-d1';

const { values } = parseArgs({ options: { products: { type: 'string', default: '20000' } } });
migrateLocalD1();
const result = await seedLocalD1({ products: Number(values.products) });
console.log(
  result.seeded
    ? `Seeded the local D1 with ${values.products} products in ${(result.ms / 1000).toFixed(1)} s.`
    : 'The local D1 already has data; left as is (delete .wrangler/state to start over).',
);
