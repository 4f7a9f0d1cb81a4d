import autocannon from 'autocannon';

/** One HTTP scenario under load: the URLs it cycles through and the headers it sends. */
export interface Scenario {
  name: string;
  paths: string[];
  headers?: Record<string, string>;
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
      requests: s.paths.map((path) => ({ method: 'GET', path })),
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
