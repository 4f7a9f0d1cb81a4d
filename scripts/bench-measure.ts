import autocannon from 'autocannon';

/** One HTTP scenario under load: the URLs it cycles through and the headers it sends (GET unless told). */
export interface Scenario {
  name: string;
  paths: string[];
  headers?: Record<string, string>;
  method?: 'GET' | 'POST';
  /** the request body, sent with every request (set content-type in headers) */
  body?: string;
}

export interface Measurement {
  name: string;
  path: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** connection errors, timeouts and non-2xx answers */
  errors: number;
}

export const WARM_UP_SECONDS = 3;

export async function measure(
  base: string,
  s: Scenario,
  seconds: number,
  connections: number,
): Promise<Measurement> {
  const run = (duration: number) =>
    autocannon({
      url: base,
      duration,
      connections,
      headers: s.headers,
      requests: s.paths.map((path) => ({ method: s.method ?? 'GET', path, body: s.body })),
    });
  await run(WARM_UP_SECONDS); // isolate start, KV and isolate caches, JIT
  const r = await run(seconds);
  const m = {
    name: s.name,
    path: s.paths.length === 1 ? (s.paths[0] ?? '') : `${s.paths[0]} (+${s.paths.length - 1} more)`,
    requestsPerSecond: r.requests.average,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    requests: r.requests.total,
    errors: r.errors + r.timeouts + r.non2xx,
  };
  // a scenario that mostly fails measures the error path, not the feature
  if (m.errors > m.requests * 0.01)
    throw new Error(`${s.name}: ${m.errors} of ${m.requests} requests failed`);
  return m;
}

export const ratio = (a: number, b: number): number | null =>
  b > 0 ? Math.round((a / b) * 100) / 100 : null;

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

/** Latencies timed by this process, request by request (for flows autocannon cannot drive, or 1 client). */
export interface Timed {
  scenario: string;
  clients: number;
  requests: number;
  errors: number;
  /** successful requests (placed orders) per second */
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** placed orders whose prices came from SQL (no index generation) */
  pricedFromSql?: number;
}

/** Nearest-rank percentile, one decimal. */
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return Math.round((sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? 0) * 10) / 10;
}

/** Figures of `samples` (ms); per second = successes over `wallMs`. */
export function timed(
  scenario: string,
  clients: number,
  samples: number[],
  errors: number,
  wallMs: number,
): Timed {
  const perSecond = Math.round(((samples.length - errors) / (wallMs / 1000)) * 10) / 10;
  const [p50Ms, p99Ms] = [percentile(samples, 0.5), percentile(samples, 0.99)];
  return { scenario, clients, requests: samples.length, errors, perSecond, p50Ms, p99Ms };
}

/** `warmUp` untimed requests, then `n` one after another; per second = successes / the sum of their times. */
export async function sequential(
  scenario: string,
  counts: { warmUp: number; n: number },
  send: () => Promise<{ ms: number; ok: boolean }>,
): Promise<Timed> {
  const samples: number[] = [];
  let errors = 0;
  for (let i = 0; i < counts.warmUp + counts.n; i++) {
    const r = await send();
    if (i < counts.warmUp) continue;
    samples.push(r.ms);
    if (!r.ok) errors++;
  }
  return timed(
    scenario,
    1,
    samples,
    errors,
    samples.reduce((a, b) => a + b, 0),
  );
}

export const asTimed = (m: Measurement, connections: number): Timed => ({
  scenario: m.name,
  clients: connections,
  requests: m.requests,
  errors: m.errors,
  perSecond: Math.round(m.requestsPerSecond),
  p50Ms: m.p50Ms,
  p99Ms: m.p99Ms,
});
