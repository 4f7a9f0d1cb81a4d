import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { clearIsolateCache, partCache } from '../src/services/pricing/reader';
import { clearSearchFlagsCache } from '../src/services/pricing/search-flags';
import { compileFromSql } from '../src/services/search/build';
import { computePricedView } from '../src/services/search/view';
import { seededWorld, timedBuilds } from './bench-read-setup';

/**
 * What one company's search view costs (access and contract flags for every document of the search
 * index): cold (nothing of the company's price index in the isolate) and warm, with the part cache's
 * size after it. `npx tsx scripts/bench-search-view.ts --products 50000`.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { products: { type: 'string', default: '50000' } } });
  const products = Number(values.products);
  const world = await seededWorld(products);
  await timedBuilds(world, products, 1);
  const index = await compileFromSql({ db: world.deps.db, kv: world.deps.kv, queue: world.deps.queue });
  const flagsKey = `pi:v2:${world.fingerprint}:g${world.pointer.generation}:search-flags`;
  const flagsBytes = world.kv.bytesUnder(flagsKey);
  const times = (label: string, cold: boolean) => async () => {
    const ms: number[] = [];
    for (let i = 0; i < 7; i++) {
      if (cold) {
        clearIsolateCache();
        clearSearchFlagsCache();
      }
      const started = performance.now();
      const { view, source } = await computePricedView(world.deps, index, world.fingerprint, Date.now());
      ms.push(performance.now() - started);
      if (i === 0)
        console.log(
          `${label} (${source}): visible ${view.access.filter((a) => a > 0).length}, contract ${view.contractDocs.size}`,
        );
    }
    ms.sort((a, b) => a - b);
    console.log(
      `${label}: median ${ms[3]?.toFixed(1)} ms (min ${ms[0]?.toFixed(1)}, max ${ms[6]?.toFixed(1)}); part cache ${partCache.size} parts, ${(partCache.bytes / 1048576).toFixed(1)} MB`,
    );
  };
  console.log(`${products} products, ${index.docCount} documents; search flags value ${flagsBytes} bytes`);
  await times('cold', true)();
  await times('warm', false)();
  world.close();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
