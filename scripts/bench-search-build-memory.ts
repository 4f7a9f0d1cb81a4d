import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createClient } from '@libsql/client';
import { fromLibsqlClient } from '../src/db/client';
import { bumpRequestedGeneration, recordBuildError } from '../src/db/queries/search-index';
import { buildSearchIndex } from '../src/services/search/build';
import { applyMigrations, seedIfEmpty } from './libsql';
import { MemoryQueue } from './memory-kv';

/**
 * The memory of one catalog search index build, the queue consumer's path exactly (`buildSearchIndex`:
 * pages of SQL → index → KV parts), over the demo catalog seeded once into a libSQL file. The KV keeps no
 * value (it hashes them: two builds of the same catalog must write the same parts), so the heap measured
 * is the build's own. Run under the isolate's limit to see it fit:
 *
 *   node --expose-gc --max-old-space-size=128 --import tsx scripts/bench-search-build-memory.ts --products 50000
 *
 * The first run seeds `.bench/search-build-<N>.db` in a child process without the limit (a minute or two).
 * Printed: seconds, the peak heap sampled every few milliseconds (used, and with array buffers, which
 * typed arrays live in and an isolate's limit counts too), the peak committed heap, and the parts' hash.
 */

async function seed(file: string, products: number): Promise<void> {
  const client = createClient({ url: `file:${file}` });
  await applyMigrations(client);
  await seedIfEmpty(client, { products });
  client.close();
}

/** A KV namespace that keeps nothing: it counts and hashes what the build writes, in key order. */
function hashingKv() {
  const written = new Map<string, string>();
  let bytes = 0;
  const kv = {
    async put(key: string, value: string) {
      bytes += value.length;
      written.set(key, createHash('sha256').update(value).digest('hex'));
    },
    async get() {
      return null;
    },
    async delete() {},
  };
  const digest = () => {
    const all = createHash('sha256');
    for (const key of [...written.keys()].sort()) if (/:p\d+$/.test(key)) all.update(written.get(key) ?? '');
    return all.digest('hex').slice(0, 16);
  };
  return { kv: kv as unknown as KVNamespace, digest, bytes: () => bytes };
}

const mb = (n: number) => (n / 1048576).toFixed(1);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      products: { type: 'string', default: '50000' },
      db: { type: 'string' },
      'seed-only': { type: 'boolean', default: false },
    },
  });
  const products = Number(values.products);
  const file = values.db ?? `.bench/search-build-${products}.db`;
  if (values['seed-only']) return seed(file, products);
  if (!existsSync(file)) {
    mkdirSync('.bench', { recursive: true });
    console.log(`seeding ${products} products into ${file} (once)…`);
    const self = fileURLToPath(import.meta.url);
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', self, '--seed-only', '--products', String(products), '--db', file],
      { stdio: 'inherit' },
    );
    if (run.status !== 0) throw new Error('seeding failed');
  }
  const client = createClient({ url: `file:${file}` });
  const db = fromLibsqlClient(client);
  // a run that ran out of memory left its build marked as running: this one takes over
  await recordBuildError(db, 'bench: previous run stopped', Date.now());
  await bumpRequestedGeneration(db, Date.now());
  const { kv, digest, bytes } = hashingKv();
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const base = process.memoryUsage();
  let peakUsed = base.heapUsed;
  let peakWithBuffers = base.heapUsed + base.arrayBuffers;
  let peakCommitted = base.heapTotal;
  const sample = () => {
    const m = process.memoryUsage();
    peakUsed = Math.max(peakUsed, m.heapUsed);
    peakWithBuffers = Math.max(peakWithBuffers, m.heapUsed + m.arrayBuffers);
    peakCommitted = Math.max(peakCommitted, m.heapTotal);
  };
  const sampler = setInterval(sample, 2);
  const started = performance.now();
  const cpu = process.cpuUsage();
  const outcome = await buildSearchIndex({ db, kv, queue: new MemoryQueue().asQueue() }, Date.now);
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  sample();
  clearInterval(sampler);
  client.close();
  if (!outcome.built) throw new Error(`no build: ${outcome.why}`);
  console.log(
    `${outcome.docCount} documents in ${seconds.toFixed(1)} s (${cpuSeconds.toFixed(1)} s of CPU); ${outcome.parts} parts, ${mb(bytes())} M characters, hash ${digest()}`,
  );
  console.log(
    `heap before ${mb(base.heapUsed)} MB; peak used ${mb(peakUsed)} MB, with array buffers ${mb(peakWithBuffers)} MB, committed ${mb(peakCommitted)} MB; max RSS ${mb(process.resourceUsage().maxRSS * 1024)} MB`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
