import { env } from 'cloudflare:test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchPublic, urlPolicyFor } from '../../src/services/public-fetch';
import { type InstalledErp, installErpSimulator } from './erp-sim';

// The test wiring of the reference ERP: the Worker's outbound calls to ERP_BASE_URL reach the simulator, and
// the simulator's calls reach the Worker with an `erp:write` key. The ERP link's own scenarios build on this.

let erp: InstalledErp;
beforeAll(async () => {
  erp = await installErpSimulator();
});
afterAll(() => erp?.restore());

const order = (orderId: string) => ({
  orderId,
  currency: 'EUR',
  lines: [{ lineNo: 1, sku: 'X', quantity: 2 }],
});
const post = (path: string, body: unknown, key: string) =>
  fetchPublic(
    `${env.ERP_BASE_URL}${path}`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(body),
    },
    urlPolicyFor(env.ENVIRONMENT),
  );

describe('the reference ERP in workerd', () => {
  it('answers the outbound fetch the Worker makes to ERP_BASE_URL (through fetchPublic)', async () => {
    const first = await post('/orders', order('ord_wired'), 'ord_wired');
    if (!first.ok) throw new Error(first.refused);
    expect(first.response.status).toBe(201);
    const again = await post('/orders', order('ord_wired'), 'ord_wired');
    if (!again.ok) throw new Error(again.refused);
    expect(again.response.status).toBe(200);
    expect(erp.sim.counts()).toEqual({ ord_wired: 1 });
  });

  it('fails like a dead network while down (a TypeError, as a real fetch would)', async () => {
    erp.sim.faults.set({ down: true });
    try {
      await expect(post('/orders', order('ord_down'), 'ord_down')).rejects.toBeInstanceOf(TypeError);
    } finally {
      erp.sim.faults.clear();
    }
    expect(erp.sim.counts().ord_down).toBeUndefined();
  });

  it("delivers its pushes and events to the Worker itself, authenticated by the simulator's erp:write key", async () => {
    const push = await erp.sim.push('stock', { count: 2 });
    const [delivery] = push.deliveries;
    // answered by the Worker (it names its request), and past authentication and the erp.write permission
    expect(delivery?.requestId).toBeTruthy();
    expect([401, 403]).not.toContain(delivery?.status);

    await erp.sim.advance(60_000);
    const [event] = erp.sim.events({ orderId: 'ord_wired' });
    expect(event).toMatchObject({ type: 'acknowledged', attempts: 1 });
    expect(event?.requestId).toBeTruthy();
    expect([401, 403]).not.toContain(event?.lastStatus);
  });
});
