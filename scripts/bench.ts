import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

/**
 * The benchmark harness. It starts the Worker under `wrangler dev` (workerd, local bindings), drives load
 * from this Node process, and reports every scenario as a ratio against a baseline measured in the same
 * run, because absolute numbers on shared machines mean little. Later work adds scenarios.
 */
interface Scenario {
  name: string;
  path: string;
  setup?: (base: string) => Promise<void>;
}

const PORT = 8799;
const BASE = `http://127.0.0.1:${PORT}`;
const KV_VALUE_BYTES = 16 * 1024;

const scenarios: Scenario[] = [
  { name: 'bare route', path: '/_bench/noop' },
  {
    name: 'raw KV read (16 KiB)',
    path: '/_bench/kv/floor',
    setup: async (base) => {
      const body = new Uint8Array(KV_VALUE_BYTES).map((_, i) => i % 251);
      const res = await fetch(`${base}/_bench/kv/floor`, {
        method: 'PUT',
        body,
        headers: { 'content-type': 'application/octet-stream' },
      });
      if (res.status !== 204) throw new Error(`KV setup failed: ${res.status} ${await res.text()}`);
    },
  },
];
const BASELINE = 'bare route';

interface Result {
  name: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

function startWorker(): ChildProcess {
  return spawn(
    'npx',
    [
      'wrangler',
      'dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(PORT),
      '--persist-to',
      '.bench/state',
      '--var',
      'ENABLE_BENCH_ROUTES:true',
      '--var',
      'JWT_SECRET:bench-only-secret-bench-only-secret-0000',
    ],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
      detached: true,
      env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false' },
    },
  );
}

async function waitUntilHealthy(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${BASE}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the Worker did not become healthy in time');
}

async function load(path: string, seconds: number, connections: number) {
  return autocannon({ url: `${BASE}${path}`, duration: seconds, connections, pipelining: 1 });
}

async function measure(s: Scenario, seconds: number, connections: number): Promise<Result> {
  await s.setup?.(BASE);
  await load(s.path, Math.min(3, seconds), connections); // warm-up: isolate, caches, JIT
  const r = await load(s.path, seconds, connections);
  return {
    name: s.name,
    requestsPerSecond: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.non2xx,
  };
}

function report(results: Result[]): void {
  const base = results.find((r) => r.name === BASELINE);
  if (!base) throw new Error(`baseline ${BASELINE} was not measured`);
  const rows = results.map((r) => ({
    scenario: r.name,
    'req/s': Math.round(r.requestsPerSecond),
    'p50 ms': r.p50,
    'p99 ms': r.p99,
    errors: r.errors,
    'p50 ×base': (r.p50 / Math.max(base.p50, 0.001)).toFixed(2),
    'p99 ×base': (r.p99 / Math.max(base.p99, 0.001)).toFixed(2),
    'req/s ×base': (r.requestsPerSecond / base.requestsPerSecond).toFixed(2),
  }));
  console.table(rows);
  mkdirSync('.bench', { recursive: true });
  writeFileSync(
    '.bench/results.json',
    `${JSON.stringify({ at: new Date().toISOString(), baseline: BASELINE, results }, null, 2)}\n`,
  );
  console.log('Raw figures written to .bench/results.json');
}

const { values } = parseArgs({
  options: { duration: { type: 'string', default: '10' }, connections: { type: 'string', default: '20' } },
});
const worker = startWorker();
const stop = () => {
  if (worker.pid) process.kill(-worker.pid, 'SIGTERM');
};
process.on('SIGINT', () => {
  stop();
  process.exit(130);
});
try {
  await waitUntilHealthy(60_000);
  const results: Result[] = [];
  for (const s of scenarios) {
    console.log(`measuring ${s.name} (${values.duration} s, ${values.connections} connections)…`);
    results.push(await measure(s, Number(values.duration), Number(values.connections)));
  }
  report(results);
} finally {
  stop();
}
