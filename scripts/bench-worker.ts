import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { migrateLocalD1, seedLocalD1 } from './local-d1';
import { spawnWrangler, UNATTENDED_ENV } from './wrangler';

/** A Worker under `wrangler dev` for the benchmark: fresh state, seeded, own process group. */
export const HOST = '127.0.0.1';

export interface RunningWorker {
  base: string;
  child: ChildProcess;
  stop: () => Promise<void>;
  /** the last few KB of wrangler's output, for error messages */
  output: () => string;
}

/** The first port from `preferred` up that nothing listens on, so a running `npm start` is no obstacle. */
export async function freePort(preferred: number): Promise<number> {
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

async function stopChild(child: ChildProcess): Promise<void> {
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

/**
 * Migrates and seeds a fresh state directory with `products` demo products, then starts the Worker on it.
 * Seeding goes through the wrangler CLI, so the data lands exactly where `wrangler dev` reads it.
 */
export async function startSeededWorker(options: {
  stateDir: string;
  products: number;
  port: number;
  onSeeded?: (ms: number) => void;
}): Promise<RunningWorker> {
  const { stateDir, products, port } = options;
  rmSync(stateDir, { recursive: true, force: true });
  migrateLocalD1({ persistTo: stateDir });
  const seeded = await seedLocalD1({ persistTo: stateDir, products });
  options.onSeeded?.(seeded.ms);
  return startDevWorker({
    stateDir,
    port,
    vars: { ENABLE_BENCH_ROUTES: 'true', JWT_SECRET: 'bench-only-secret-bench-only-secret-0000' },
  });
}

/** `wrangler dev` on a state directory as it is (nothing migrated or seeded), in its own process group. */
export async function startDevWorker(options: {
  stateDir: string;
  port: number;
  vars: Record<string, string>;
}): Promise<RunningWorker> {
  const { stateDir, port } = options;
  const args = ['dev', '--ip', HOST, '--port', String(port), '--persist-to', stateDir, '--log-level', 'warn'];
  for (const [name, value] of Object.entries(options.vars)) args.push('--var', `${name}:${value}`);
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
  const base = `http://${HOST}:${port}`;
  const stop = () => stopChild(child);
  try {
    await waitUntilHealthy(base, child, () => tail);
  } catch (error) {
    await stop();
    throw error;
  }
  return { base, child, stop, output: () => tail };
}
