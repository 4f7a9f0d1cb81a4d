import type { ReadPathFigures } from './bench-read';

export type Kind = 'scattered' | 'consecutive' | 'single';
/** the quantities every price is checked at */
export const QUANTITIES = [1, 120];
export const round1 = (x: number) => Math.round(x * 10) / 10;

/** The read-path figures as tables: per design and page kind, the issue's targets, build growth. */
export function printReadPath(f: ReadPathFigures): void {
  console.log(
    `Read path, ${f.products.toLocaleString('en')} products (${f.build.indexed.toLocaleString('en')} visible to Acme), cold pages (isolate cache emptied before each):`,
  );
  console.table(
    f.designs.map((d) => ({
      design: d.design,
      page: d.kind,
      'keys/page': d.keysPerPage,
      'kB/page': d.kBPerPage,
      'CPU µs/page': d.cpuUsPerPage,
    })),
  );
  const of = (design: string, kind: Kind) =>
    f.designs.find((d) => d.design.startsWith(design) && d.kind === kind);
  const shipped = {
    s: of('shipped', 'scattered'),
    c: of('shipped', 'consecutive'),
    one: of('shipped', 'single'),
  };
  const [warmPrevious, warmShipped] = [
    f.warm.find((w) => w.design.startsWith('previous')),
    f.warm.find((w) => w.design.startsWith('shipped')),
  ];
  const ratio = (a = 0, b = 0) => (b > 0 ? Math.round((a / b) * 100) / 100 : null);
  console.table({
    'scattered page: keys (target ≤ 12)': shipped.s?.keysPerPage,
    'scattered page: kB (target ≤ 150)': shipped.s?.kBPerPage,
    'single SKU: keys (target 1)': shipped.one?.keysPerPage,
    'single SKU: kB (target ≤ 16)': shipped.one?.kBPerPage,
    'CPU scattered / consecutive, cold (target ≤ 2)': ratio(shipped.s?.cpuUsPerPage, shipped.c?.cpuUsPerPage),
    'CPU warm scattered, shipped / previous (target ≤ 1.1)': ratio(
      warmShipped?.cpuUsPerPage,
      warmPrevious?.cpuUsPerPage,
    ),
  });
  console.log(
    `Warm pages of 50 scattered SKUs (CPU µs/page): ${f.warm.map((w) => `${w.design} ${w.cpuUsPerPage}`).join('; ')}`,
  );
  console.log(
    `Checked against the SQL path: ${f.checked.pages} pages, ${f.checked.prices.toLocaleString('en')} prices (quantities ${QUANTITIES.join(' and ')}), ${f.checked.mismatches.length} mismatches${f.checked.mismatches.length ? `: ${f.checked.mismatches.join(', ')}` : ''}`,
  );
  console.log('Index build in-process (libSQL in memory, median of 3):');
  const smallest = f.growth[0];
  console.table(
    f.growth.map((b) => ({
      products: b.products,
      visible: b.indexed,
      'build ms': Math.round(b.buildMs),
      'parts kB': Math.round(b.bytes / 1000),
      parts: b.parts,
      'wide kB': Math.round(b.wideBytes / 1000),
      wide: b.wide,
      'ms / 1,000': round1((b.buildMs / b.products) * 1000),
      'bytes / product': round1(b.bytes / b.indexed),
      'products ×': ratio(b.products, smallest?.products),
      'build ms ×': ratio(b.buildMs, smallest?.buildMs),
      'bytes ×': ratio(b.bytes, smallest?.bytes),
    })),
  );
}
