import type { ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { spawnWrangler, UNATTENDED_ENV } from './wrangler';

/**
 * The benchmark harness. It starts the Worker under `wrangler dev` (workerd, local bindings), drives load
 * from this Node process, and reports every scenario as a ratio against a baseline measured in the same
 * run, because absolute numbers on a shared machine mean little. Later work adds scenarios below.
 */
export interface Scenario {
  name: string;
  path: string;
  /** runs once against the started Worker before the scenario's warm-up (seed KV, log in, …) */
  setup?: (base: string) => Promise<void>;
}

const KV_VALUE_BYTES = 16 * 1024;

export const scenarios: Scenario[] = [
  { name: 'noop', path: '/_bench/noop' },
  {
    name: 'kv',
    path: '/_bench/kv/floor',
    setup: async (base) => {
      const body = new Uint8Array(KV_VALUE_BYTES).map((_, i) => i % 251);
      const put = await fetch(`${base}/_bench/kv/floor`, { method: 'PUT', body });
      if (put.status !== 204) throw new Error(`KV setup: PUT answered ${put.status} ${await put.text()}`);
      const got = await fetch(`${base}/_bench/kv/floor`);
      const bytes = (await got.arrayBuffer()).byteLength;
      if (got.status !== 200 || bytes !== KV_VALUE_BYTES) {
        throw new Error(`KV setup: GET answered ${got.status} with ${bytes} bytes`);
      }
    },
  },
];
export const BASELINE = 'noop';

const HOST = '127.0.0.1';
const STATE_DIR = '.bench/state';
const WARM_UP_SECONDS = 3;

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

/** The first port from `preferred` up that nothing listens on, so a running `npm start` is no obstacle. */
async function freePort(preferred: number): Promise<number> {
  for (let port = preferred; port < preferred + 50; port++) {
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer()
        .once('error', () => resolve(false))
        .listen(port, HOST, () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port in ${preferred}..${preferred + 49}`);
}

function startWorker(port: number): { child: ChildProcess; output: () => string } {
  // a fresh state directory per run: nothing left over from an earlier run skews the numbers
  rmSync(STATE_DIR, { recursive: true, force: true });
  const args = [
    'dev',
    '--ip',
    HOST,
    '--port',
    String(port),
    '--persist-to',
    STATE_DIR,
    '--log-level',
    'warn',
  ];
  args.push(
    '--var',
    'ENABLE_BENCH_ROUTES:true',
    '--var',
    'JWT_SECRET:bench-only-secret-bench-only-secret-0000',
  );
  // own process group, so the whole tree (wrangler, workerd, esbuild) can be stopped at once
  const child = spawnWrangler(args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    env: UNATTENDED_ENV,
  });
  // keep draining the pipes (a full pipe would stall workerd) but only the tail, for error messages
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, output: () => tail };
}

async function stopWorker(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid ?? 0), signal);
    } catch {
      // the group is already gone
    }
  };
  signalGroup('SIGTERM');
  const timer = setTimeout(() => signalGroup('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
  signalGroup('SIGKILL'); // workerd children that outlived wrangler
}

async function waitUntilHealthy(base: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}:\n${output()}`);
    try {
      if ((await fetch(`${base}/health`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`GET /health did not answer 200 within 90 s:\n${output()}`);
}

async function measure(
  base: string,
  s: Scenario,
  seconds: number,
  connections: number,
): Promise<Measurement> {
  const run = (duration: number) => autocannon({ url: `${base}${s.path}`, duration, connections });
  await run(WARM_UP_SECONDS); // isolate start, KV cache, JIT
  const r = await run(seconds);
  return {
    name: s.name,
    path: s.path,
    requestsPerSecond: r.requests.average,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    requests: r.requests.total,
    errors: r.errors + r.timeouts + r.non2xx,
  };
}

const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 100) / 100 : null);

function report(results: Measurement[], config: Record<string, number>): void {
  const base = results.find((r) => r.name === BASELINE);
  if (!base) throw new Error(`baseline "${BASELINE}" was not measured`);
  const rows = results.map((r) => ({
    ...r,
    vsBaseline: {
      p50: ratio(r.p50Ms, base.p50Ms),
      p99: ratio(r.p99Ms, base.p99Ms),
      requestsPerSecond: ratio(r.requestsPerSecond, base.requestsPerSecond),
    },
  }));
  console.table(
    rows.map((r) => ({
      scenario: r.name,
      'req/s': Math.round(r.requestsPerSecond),
      'p50 ms': r.p50Ms,
      'p99 ms': r.p99Ms,
      errors: r.errors,
      [`p50 /${BASELINE}`]: r.vsBaseline.p50,
      [`p99 /${BASELINE}`]: r.vsBaseline.p99,
      [`req/s /${BASELINE}`]: r.vsBaseline.requestsPerSecond,
    })),
  );
  mkdirSync('.bench', { recursive: true });
  const at = new Date().toISOString();
  const json = { at, baseline: BASELINE, config, node: process.version, results: rows };
  writeFileSync('.bench/results.json', `${JSON.stringify(json, null, 2)}\n`);
  console.log('Written to .bench/results.json');
}

function positive(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got "${text}"`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '20' },
      port: { type: 'string', default: '8799' },
    },
  });
  const duration = positive('duration', values.duration);
  const connections = positive('connections', values.connections);
  const port = await freePort(positive('port', values.port));
  const base = `http://${HOST}:${port}`;
  console.log(`Starting the Worker on ${base} (wrangler dev, state in ${STATE_DIR})…`);
  const { child, output } = startWorker(port);
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      if (stopping) return;
      stopping = true;
      void stopWorker(child).then(() => process.exit(130));
    });
  }
  try {
    await waitUntilHealthy(base, child, output);
    const results: Measurement[] = [];
    for (const s of scenarios) {
      await s.setup?.(base);
      console.log(
        `${s.name}: GET ${s.path}, ${WARM_UP_SECONDS} s warm-up + ${duration} s, ${connections} connections`,
      );
      const m = await measure(base, s, duration, connections);
      // a scenario that mostly fails measures the error path, not the feature
      if (m.errors > m.requests * 0.01)
        throw new Error(`${s.name}: ${m.errors} of ${m.requests} requests failed`);
      results.push(m);
    }
    report(results, { durationSeconds: duration, warmUpSeconds: WARM_UP_SECONDS, connections, port });
  } finally {
    stopping = true;
    await stopWorker(child);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
