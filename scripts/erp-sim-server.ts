import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { dirname } from 'node:path';
import {
  createErpSimulator,
  type ErpSimulator,
  type ErpSimulatorOptions,
  type SimState,
} from '../erp-sim/core';

/**
 * The reference ERP over node:http (`npm start`, `npm run erp-sim`): the runtime-neutral simulator behind a
 * listener, its state kept in a JSON file across restarts, its clock following real time (the admin API
 * still jumps it ahead). "Down" drops each ERP call's socket without an answer, like a dead server; the
 * admin endpoints keep answering so the fault can be switched off.
 */

export const ERP_SIM_HOST = '127.0.0.1';
export const ERP_SIM_PORT = 8788;

export interface ServeOptions extends ErpSimulatorOptions {
  host?: string;
  port?: number;
  /** JSON file the state is loaded from and saved to (missing or unreadable: a fresh ERP) */
  stateFile?: string;
  /** advance the simulated clock by the real time elapsed, this often (ms); 0: only the admin API moves it */
  realTimeEveryMs?: number;
}

export interface RunningErpSimulator {
  sim: ErpSimulator;
  url: string;
  close(): Promise<void>;
}

function loadState(file: string | undefined): SimState | undefined {
  if (!file || !existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as SimState;
  } catch (error) {
    console.warn(`ERP simulator: ${file} is unreadable (${String(error)}); starting with an empty ERP.`);
    return undefined;
  }
}

function saveState(file: string, state: SimState): void {
  mkdirSync(dirname(file), { recursive: true });
  // write then rename: a crash mid-write never leaves half a file
  writeFileSync(`${file}.tmp`, JSON.stringify(state));
  renameSync(`${file}.tmp`, file);
}

async function toRequest(req: IncomingMessage, base: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const method = req.method ?? 'GET';
  const body = method === 'GET' || method === 'HEAD' ? undefined : Buffer.concat(chunks);
  return new Request(new URL(req.url ?? '/', base), { method, headers, body });
}

async function answer(sim: ErpSimulator, req: IncomingMessage, res: ServerResponse, base: string) {
  try {
    const response = await sim.handle(await toRequest(req, base));
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  } catch (error) {
    if (error instanceof TypeError && error.name === 'SimulatedNetworkError') {
      req.socket.destroy();
      return;
    }
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'simulator_error', detail: String(error) }));
  }
}

export async function serveErpSimulator(options: ServeOptions = {}): Promise<RunningErpSimulator> {
  const { host = ERP_SIM_HOST, port = ERP_SIM_PORT, stateFile, realTimeEveryMs = 0, ...simOptions } = options;
  const restored = loadState(stateFile);
  // following real time: a restart continues from now, not from when the file was last written
  if (restored && realTimeEveryMs > 0) restored.now = Math.max(restored.now, Date.now());
  let saveTimer: NodeJS.Timeout | undefined;
  const save = () => {
    if (stateFile) saveState(stateFile, sim.snapshot());
  };
  const sim = createErpSimulator({
    ...simOptions,
    state: restored ?? simOptions.state,
    onChange: () => {
      simOptions.onChange?.();
      if (stateFile && !saveTimer) {
        saveTimer = setTimeout(() => {
          saveTimer = undefined;
          save();
        }, 250);
      }
    },
  });
  let url = `http://${host}:${port}`;
  const server = createServer((req, res) => void answer(sim, req, res, url));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  // port 0: the system chose one
  const address = server.address();
  if (address && typeof address === 'object') url = `http://${host}:${address.port}`;
  let lastReal = Date.now();
  const clock =
    realTimeEveryMs > 0
      ? setInterval(() => {
          const real = Date.now();
          void sim.advance(real - lastReal);
          lastReal = real;
        }, realTimeEveryMs)
      : undefined;
  clock?.unref();
  return {
    sim,
    url,
    close: async () => {
      if (clock) clearInterval(clock);
      if (saveTimer) clearTimeout(saveTimer);
      save();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
