import { describe, expect, it } from 'vitest';
import { SimulatedNetworkError } from '../../erp-sim/core';
import { ERP, erpCall, fakeBackend, HOUR, MINUTE, orderDoc, postOrder, simWith } from './erp-sim-fixtures';

// Every switchable fault, each on its own: what the backend's calls meet, and what the ERP sends.

const doc = (id: string) => orderDoc(id, [{ sku: 'A', quantity: 1 }]);
const admin = (method: string, path: string, body?: unknown) =>
  new Request(`${ERP}/admin${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });

describe('faults on the calls the backend makes', () => {
  it('down: every ERP call fails like a refused connection, the admin still answers, nothing is sent', async () => {
    const backend = fakeBackend();
    const sim = simWith(backend);
    await postOrder(sim, doc('ord_1'));
    const set = await sim.handle(admin('PUT', '/faults', { down: true }));
    expect(await set.json()).toMatchObject({ down: true });

    const refused = postOrder(sim, doc('ord_2'));
    await expect(refused).rejects.toBeInstanceOf(TypeError);
    await expect(postOrder(sim, doc('ord_2'))).rejects.toBeInstanceOf(SimulatedNetworkError);
    await expect(erpCall(sim, 'GET', '/deltas/stock')).rejects.toThrow(/down/);
    expect(sim.orders()).toHaveLength(1);
    // events wait while the ERP is down
    await sim.advance(HOUR);
    expect(backend.received).toHaveLength(0);

    const cleared = await sim.handle(admin('DELETE', '/faults'));
    expect(await cleared.json()).toMatchObject({ down: false });
    expect((await postOrder(sim, doc('ord_2'))).status).toBe(201);
    await sim.flush();
    expect(backend.events().map((e) => e.type)).toEqual(['acknowledged', 'shipped']);
  });

  it('downForMs: down for a stretch of simulated time, then back by itself', async () => {
    const sim = simWith(fakeBackend());
    sim.faults.set({ downForMs: 10 * MINUTE });
    await sim.advance(9 * MINUTE);
    await expect(postOrder(sim, doc('ord_1'))).rejects.toBeInstanceOf(TypeError);
    await sim.advance(MINUTE);
    expect(sim.faults.get()).toMatchObject({ down: false, downUntil: null });
    expect((await postOrder(sim, doc('ord_1'))).status).toBe(201);
  });

  it('slow: each ERP call waits slowMs before it is answered', async () => {
    const waits: number[] = [];
    const sim = simWith(fakeBackend(), { sleep: async (ms) => void waits.push(ms) });
    sim.faults.set({ slowMs: 1500 });
    expect((await postOrder(sim, doc('ord_1'))).status).toBe(201);
    expect((await erpCall(sim, 'GET', '/deltas/stock')).status).toBe(200);
    await sim.handle(admin('GET', '/faults'));
    expect(waits).toEqual([1500, 1500]);
  });

  it('error500: the next N calls answer 500 and store nothing, then the ERP answers again', async () => {
    const sim = simWith(fakeBackend());
    sim.faults.set({ error500: 2 });
    expect((await postOrder(sim, doc('ord_1'))).status).toBe(500);
    expect((await postOrder(sim, doc('ord_1'))).status).toBe(500);
    expect(sim.orders()).toHaveLength(0);
    expect((await postOrder(sim, doc('ord_1'))).status).toBe(201);
    expect(sim.faults.get().error500).toBe(0);
    expect(sim.calls().map((c) => c.fault)).toEqual(['error500', 'error500', null]);
  });

  it('rateLimit429: the next N calls answer 429 with Retry-After', async () => {
    const sim = simWith(fakeBackend());
    sim.faults.set({ rateLimit429: 1, retryAfterSeconds: 7 });
    const limited = await postOrder(sim, doc('ord_1'));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect((await postOrder(sim, doc('ord_1'))).status).toBe(201);
  });

  it('lostResponse: the ERP takes the order but the answer is lost; the retry gets the first answer', async () => {
    const sim = simWith(fakeBackend());
    sim.faults.set({ lostResponse: 1 });
    await expect(postOrder(sim, doc('ord_1'))).rejects.toBeInstanceOf(TypeError);
    const retry = await postOrder(sim, doc('ord_1'));
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({ erpOrderNumber: 'SO-100001' });
    expect(sim.counts()).toEqual({ ord_1: 1 });
  });
});

describe('faults on what the ERP sends', () => {
  it('duplicate: each event is delivered twice with the same event id and body', async () => {
    const backend = fakeBackend();
    const sim = simWith(backend);
    await postOrder(sim, doc('ord_1'));
    sim.faults.set({ duplicate: true });
    await sim.advance(MINUTE);
    expect(backend.received).toHaveLength(2);
    expect(backend.received[0]?.body).toBe(backend.received[1]?.body);
    expect(sim.events()[0]).toMatchObject({ state: 'delivered', attempts: 2 });
  });

  it('outOfOrder: the events due in one tick for an order are sent newest first', async () => {
    const backend = fakeBackend();
    const sim = simWith(backend);
    await postOrder(sim, doc('ord_1'));
    sim.faults.set({ outOfOrder: true });
    await sim.advance(HOUR);
    expect(backend.events().map((e) => e.type)).toEqual(['shipped', 'acknowledged']);
  });

  it('malformed: the next body is cut off (broken JSON); the event is sent again intact', async () => {
    const backend = fakeBackend();
    const sim = simWith(backend);
    await postOrder(sim, doc('ord_1'));
    sim.faults.set({ malformed: 1 });
    backend.respond = (call) => {
      try {
        JSON.parse(call.body);
        return Response.json({}, { status: 200 });
      } catch {
        return Response.json({ code: 'invalid_json' }, { status: 400 });
      }
    };
    expect(await sim.advance(MINUTE)).toMatchObject({ emitted: 1, pending: 1 });
    expect(() => JSON.parse(backend.received[0]?.body ?? '')).toThrow();
    expect(sim.faults.get().malformed).toBe(0);
    expect(await sim.flush()).toMatchObject({ delivered: 1, pending: 0 });
    expect(JSON.parse(backend.received[1]?.body ?? '')).toMatchObject({ type: 'acknowledged' });
  });
});

describe('the faults admin', () => {
  it('merges a PUT, refuses unknown faults and bad values, clears on DELETE', async () => {
    const sim = simWith(fakeBackend());
    await sim.handle(admin('PUT', '/faults', { error500: 3 }));
    const merged = await sim.handle(admin('POST', '/faults', { duplicate: true }));
    expect(await merged.json()).toMatchObject({ error500: 3, duplicate: true, down: false });
    expect((await sim.handle(admin('PUT', '/faults', { fire: true }))).status).toBe(422);
    expect((await sim.handle(admin('PUT', '/faults', { error500: -1 }))).status).toBe(422);
    expect((await sim.handle(admin('PUT', '/faults', { down: 'yes' }))).status).toBe(422);
    const cleared = await (await sim.handle(admin('DELETE', '/faults'))).json();
    expect(cleared).toMatchObject({ error500: 0, duplicate: false });
    expect(await (await sim.handle(admin('GET', '/faults'))).json()).toEqual(cleared);
  });
});
