import { mkdirSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { PART_BYTES } from '../src/domain/pricing/codec';
import { type CatalogEntry, lineAt } from '../src/domain/pricing/evaluate';
import { customerEntries } from '../src/services/pricing/entries';
import { clearIsolateCache, lookupEntries } from '../src/services/pricing/reader';
import { type Kind, printReadPath, QUANTITIES, round1 } from './bench-read-report';
import {
  type BuildFigures,
  oneLayout,
  seededWorld,
  timedBuilds,
  type World,
  writeHashed,
  writePrevious,
} from './bench-read-setup';
import { ReaderV1 } from './bench-read-v1';
import { mulberry32 } from './demo-data';

/**
 * The read path in-process (`npm run bench:read`, or `npm run bench -- --only read-path`): the real build
 * writes Acme's index into an in-memory KV; then pages of 50 scattered SKUs, 50 consecutive SKUs and single
 * SKUs are read cold (isolate cache emptied before each) and warm, by the shipped reader and by the other
 * designs, counting KV keys and bytes per page. Every answer of the shipped and the previous reader is
 * compared with the SQL path (the same catalog in libSQL). Keys and bytes are deterministic (fixed seed);
 * CPU times are medians over rounds and compared only with each other, within the run.
 */
const PAGE = 50;

type Read = (skus: readonly string[]) => Promise<unknown>;
interface Design {
  name: string;
  cold: Read;
  /** empties the design's isolate cache */
  clear: () => void;
}

export interface DesignFigures {
  design: string;
  kind: Kind;
  keysPerPage: number;
  kBPerPage: number;
  cpuUsPerPage: number;
}

export interface ReadPathFigures {
  products: number;
  pages: number;
  build: BuildFigures;
  designs: DesignFigures[];
  warm: { design: string; cpuUsPerPage: number }[];
  checked: { pages: number; prices: number; mismatches: string[] };
  growth: BuildFigures[];
}

function pagesOf(entries: readonly CatalogEntry[], count: number, seed: number): Record<Kind, string[][]> {
  const rnd = mulberry32(seed);
  const skus = entries.map((e) => e.sku);
  const scattered = Array.from({ length: count }, () => {
    const page = new Set<string>();
    while (page.size < Math.min(PAGE, skus.length)) page.add(skus[rnd.int(0, skus.length - 1)] ?? '');
    return [...page];
  });
  const consecutive = Array.from({ length: count }, () => {
    const from = rnd.int(0, Math.max(0, skus.length - PAGE));
    return skus.slice(from, from + PAGE);
  });
  const single = Array.from({ length: count }, () => [skus[rnd.int(0, skus.length - 1)] ?? '']);
  return { scattered, consecutive, single };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function cpuMicros(run: () => Promise<void>): Promise<number> {
  const start = process.cpuUsage();
  await run();
  const spent = process.cpuUsage(start);
  return spent.user + spent.system;
}

async function designsOf(world: World): Promise<Design[]> {
  const now = Date.now();
  const shipped =
    (fingerprint: string): Read =>
    async (skus) => {
      const found = await lookupEntries(world.deps, fingerprint, skus, now);
      if (!found.hit) throw new Error(`index miss: ${found.why}`);
      return found.entries;
    };
  const [partsOnly, wideOnly] = [await oneLayout(world, 'parts'), await oneLayout(world, 'wide')];
  await writePrevious(world);
  const previous = new ReaderV1(world.kv);
  const hashed = await writeHashed(world);
  return [
    {
      name: 'previous: JSON columns, 2,000 products a part',
      cold: (s) => previous.lookup(world.fingerprint, s),
      clear: () => previous.clear(),
    },
    {
      name: `small parts only (≤ ${PART_BYTES / 1000} kB)`,
      cold: shipped(partsOnly),
      clear: clearIsolateCache,
    },
    { name: 'wide parts only (≤ 40 kB)', cold: shipped(wideOnly), clear: clearIsolateCache },
    { name: 'hash of the SKU (small parts)', cold: hashed.read, clear: () => {} },
    {
      name: 'shipped: both layouts, fewer keys wins',
      cold: shipped(world.fingerprint),
      clear: clearIsolateCache,
    },
  ];
}

async function measureCold(world: World, designs: Design[], pages: Record<Kind, string[][]>, rounds: number) {
  const figures: DesignFigures[] = [];
  for (const design of designs) {
    for (const kind of ['scattered', 'consecutive', 'single'] as const) {
      // the previous reader decodes whole parts: fewer pages keep the run short, the mean is as good
      const set = design.name.startsWith('previous') ? pages[kind].slice(0, 40) : pages[kind];
      let keys = 0;
      let bytes = 0;
      const cpu: number[] = [];
      for (let r = 0; r < rounds; r++) {
        let total = 0;
        for (const page of set) {
          design.clear();
          world.kv.resetCounters();
          total += await cpuMicros(async () => {
            await design.cold(page);
          });
          if (r === 0) {
            // the parts a page reads; the pointer (one small key per isolate every 10 s) is shown apart
            const read = world.kv.reads((key) => !key.endsWith(':ptr'));
            keys += read.keys;
            bytes += read.bytes;
          }
        }
        cpu.push(total / set.length);
      }
      figures.push({
        design: design.name,
        kind,
        keysPerPage: round1(keys / set.length),
        kBPerPage: round1(bytes / set.length / 1000),
        cpuUsPerPage: Math.round(median(cpu)),
      });
    }
  }
  return figures;
}

async function measureWarm(designs: Design[], pages: string[][], rounds: number) {
  const warm: { design: string; cpuUsPerPage: number }[] = [];
  for (const design of designs.filter((d) => d.name.startsWith('previous') || d.name.startsWith('shipped'))) {
    design.clear();
    for (const page of pages) await design.cold(page);
    const cpu: number[] = [];
    for (let r = 0; r < rounds; r++) {
      cpu.push(
        (await cpuMicros(async () => {
          for (const page of pages) await design.cold(page);
        })) / pages.length,
      );
    }
    warm.push({ design: design.name, cpuUsPerPage: round1(median(cpu)) });
  }
  return warm;
}

/** Every entry of every page, from the shipped and the previous reader, against the SQL path. */
async function checkAgainstSql(world: World, designs: Design[], pages: Record<Kind, string[][]>) {
  const mismatches: string[] = [];
  let prices = 0;
  const now = Date.now();
  const all = [...pages.scattered, ...pages.consecutive, ...pages.single];
  for (const design of designs.filter((d) => d.name.startsWith('previous') || d.name.startsWith('shipped'))) {
    for (const page of all) {
      design.clear();
      const got = (await design.cold(page)) as Map<string, CatalogEntry | null>;
      const sql = await customerEntries(world.deps, world.fingerprint, page, now, { source: 'sql' });
      for (const sku of page) {
        const [a, b] = [got.get(sku) ?? null, sql.entries.get(sku) ?? null];
        for (const q of QUANTITIES) {
          prices++;
          if (!isDeepStrictEqual(lineAt(a, q), lineAt(b, q)) && mismatches.length < 10)
            mismatches.push(`${design.name}: ${sku} × ${q}`);
        }
        if (!isDeepStrictEqual(a, b) && mismatches.length < 10)
          mismatches.push(`${design.name}: ${sku} entry`);
      }
    }
  }
  return { pages: all.length, prices, mismatches };
}

export async function readPathPhase(options: {
  products: number;
  pages: number;
  rounds: number;
  growth: number[];
}): Promise<ReadPathFigures> {
  console.log(
    `Read path in-process: seeding ${options.products.toLocaleString('en')} products into libSQL in memory…`,
  );
  const world = await seededWorld(options.products);
  try {
    const build = await timedBuilds(world, options.products, 3);
    const designs = await designsOf(world);
    const pages = pagesOf(world.entries, options.pages, 20261129);
    console.log(
      `Measuring ${designs.length} designs, ${options.pages} pages of each kind, ${options.rounds} rounds…`,
    );
    const figures = await measureCold(world, designs, pages, options.rounds);
    const warm = await measureWarm(designs, pages.scattered, options.rounds);
    const checked = await checkAgainstSql(world, designs, pages);
    const growth: BuildFigures[] = [build];
    for (const n of options.growth) {
      const other = await seededWorld(n);
      growth.push(await timedBuilds(other, n, 3));
      other.close();
    }
    growth.sort((a, b) => a.products - b.products);
    return {
      products: options.products,
      pages: options.pages,
      build,
      designs: figures,
      warm,
      checked,
      growth,
    };
  } finally {
    world.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      products: { type: 'string', default: '50000' },
      pages: { type: 'string', default: '100' },
      rounds: { type: 'string', default: '3' },
      growth: { type: 'string', default: '' },
    },
  });
  const figures = await readPathPhase({
    products: Number(values.products),
    pages: Number(values.pages),
    rounds: Number(values.rounds),
    growth: values.growth ? values.growth.split(',').map(Number) : [],
  });
  printReadPath(figures);
  mkdirSync('.bench', { recursive: true });
  writeFileSync(
    '.bench/read-path.json',
    `${JSON.stringify({ at: new Date().toISOString(), ...figures }, null, 2)}\n`,
  );
  console.log('Written to .bench/read-path.json');
  if (figures.checked.mismatches.length > 0) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  });
}
