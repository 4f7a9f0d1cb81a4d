import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningErpSimulator, serveErpSimulator } from '../../scripts/erp-sim-server';
import { fakeBackend, orderDoc } from './erp-sim-fixtures';

// The simulator over node:http, as `npm start` runs it: real sockets, "down" as a dead connection, state
// kept in a file across restarts.

let running: RunningErpSimulator | undefined;
let dir = '';
afterEach(async () => {
  await running?.close();
  running = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const post = (url: string, body: unknown, key: string) =>
  fetch(`${url}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
  });

describe('the simulator over node:http', () => {
  it('answers over a socket, drops ERP calls while down (admin still answers), keeps state across restarts', async () => {
    dir = mkdtempSync(join(tmpdir(), 'erp-sim-'));
    const stateFile = join(dir, 'state.json');
    const backend = fakeBackend();
    running = await serveErpSimulator({ port: 0, stateFile, fetch: backend.fetch });
    const { url } = running;

    const doc = orderDoc('ord_1', [{ sku: 'A', quantity: 2 }]);
    const created = await post(url, doc, 'ord_1');
    expect(created.status).toBe(201);
    const { erpOrderNumber } = (await created.json()) as { erpOrderNumber: string };

    const down = await fetch(`${url}/admin/faults`, { method: 'PUT', body: JSON.stringify({ down: true }) });
    expect(down.status).toBe(200);
    await expect(post(url, orderDoc('ord_2', [{ sku: 'A', quantity: 1 }]), 'ord_2')).rejects.toBeInstanceOf(
      TypeError,
    );
    expect((await fetch(`${url}/admin/faults`)).status).toBe(200);
    await fetch(`${url}/admin/faults`, { method: 'DELETE' });

    await running.close();
    running = undefined;
    expect(existsSync(stateFile)).toBe(true);

    running = await serveErpSimulator({ port: 0, stateFile, fetch: backend.fetch });
    const replay = await post(running.url, doc, 'ord_1');
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ erpOrderNumber });
    const held = (await (await fetch(`${running.url}/orders`)).json()) as { counts: Record<string, number> };
    expect(held.counts).toEqual({ ord_1: 1 });
  });
});
