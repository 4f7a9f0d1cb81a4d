import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import worker from '../../src/index';
import { type InstalledErp, installErpSimulator } from './erp-sim';
import { call, json, loginAs } from './harness';
import { all, buildFor, plainAcmeProduct } from './pricing-helpers';

/**
 * The ERP link end to end against the reference ERP simulator (erp-sim/), the way it runs in production but
 * with the clocks driven: checkout writes the export, the relay puts it on `erp-export` (captured here and
 * delivered batch by batch through the Worker's real queue handler, as the platform would), the consumer
 * POSTs to the simulator, the simulator answers, faults and all, and posts its order events back.
 */
let erp: InstalledErp;
let sku = '';
let queued: string[] = [];

beforeAll(async () => {
  await buildFor('co_acme');
  ({ sku } = await plainAcmeProduct());
  erp = await installErpSimulator();
  vi.spyOn(env.ERP_EXPORT_QUEUE, 'sendBatch').mockImplementation(async (messages) => {
    for (const m of messages) queued.push((m.body as { exportId: string }).exportId);
    return undefined as never;
  });
});
afterAll(() => {
  vi.restoreAllMocks();
});
beforeEach(() => {
  erp.sim.faults.clear();
  queued = [];
});

const exportIdOf = (orderId: string) => `obx_${orderId.slice(4)}_export`;

async function placeOrder(key: string): Promise<string> {
  const token = await loginAs('buyer@acme.example');
  const cart = await json<{ id: string }>(
    await call('/v1/carts', { method: 'POST', token, body: { name: key } }),
  );
  const added = await call(`/v1/carts/${cart.id}/lines`, {
    method: 'POST',
    token,
    body: { lines: [{ sku, quantity: 1 }] },
  });
  if (added.status !== 200) throw new Error(`lines: ${added.status} ${await added.text()}`);
  const res = await call(`/v1/carts/${cart.id}/checkout`, {
    method: 'POST',
    token,
    body: {},
    headers: { 'idempotency-key': key },
  });
  if (res.status !== 201) throw new Error(`checkout: ${res.status} ${await res.text()}`);
  const placed = await json<{ orderId: string; status: string }>(res);
  expect(placed.status).toBe('placed');
  return placed.orderId;
}

let messageSeq = 0;
/** Delivers the export messages in batches of 10 (wrangler.toml's max_batch_size), as attempt `attempts`. */
async function deliverExports(exportIds: readonly string[], attempts: number) {
  const acked: string[] = [];
  const retried: string[] = [];
  for (let i = 0; i < exportIds.length; i += 10) {
    const batch = createMessageBatch(
      'erp-export',
      exportIds.slice(i, i + 10).map((exportId) => ({
        id: `e2e_${messageSeq++}`,
        timestamp: new Date(),
        attempts,
        body: { exportId },
      })),
    );
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    acked.push(...result.explicitAcks);
    retried.push(...result.retryMessages.map((m) => m.msgId));
  }
  return { acked, retried };
}

const exportStates = async (orderIds: readonly string[]) => {
  const rows = await all<{ export_state: string }>(
    `SELECT export_state FROM orders WHERE id IN (SELECT value FROM json_each(?))`,
    JSON.stringify(orderIds),
  );
  return rows.reduce<Record<string, number>>((acc, r) => {
    acc[r.export_state] = (acc[r.export_state] ?? 0) + 1;
    return acc;
  }, {});
};

describe('the ERP link against the reference ERP', () => {
  it('the ERP is down for 10 simulated minutes while 200 orders are placed: afterwards each is in the ERP exactly once', async () => {
    erp.sim.faults.set({ downForMs: 10 * 60_000 });
    const orderIds: string[] = [];
    for (let i = 0; i < 200; i++) orderIds.push(await placeOrder(`e2e-down-${i}`));
    const exportIds = orderIds.map(exportIdOf);
    await vi.waitFor(() => expect(new Set(queued)).toEqual(new Set(exportIds)), { timeout: 10_000 });

    // down: every attempt is retried (a network error), nothing reaches the ERP, nothing is lost
    expect((await deliverExports(exportIds, 1)).retried).toHaveLength(200);
    await erp.sim.advance(5 * 60_000);
    expect((await deliverExports(exportIds, 2)).retried).toHaveLength(200);
    expect(erp.sim.orders()).toHaveLength(0);
    expect(await exportStates(orderIds)).toEqual({ pending: 200 });

    // back up; the queue redelivers everything, and twenty messages twice (at-least-once delivery)
    await erp.sim.advance(5 * 60_000 + 1);
    const third = await deliverExports([...exportIds, ...exportIds.slice(0, 20)], 3);
    expect(third.retried).toEqual([]);
    expect(third.acked).toHaveLength(220);
    const counts = erp.sim.counts();
    expect(Object.keys(counts).sort()).toEqual([...orderIds].sort());
    expect(Object.values(counts).every((n) => n === 1)).toBe(true);
    expect(await exportStates(orderIds)).toEqual({ sent: 200 });
  }, 300_000);

  it('an ERP that loses its answers after storing the order: the retry gets the first answer, one ERP order', async () => {
    const orderId = await placeOrder('e2e-lost-answer');
    erp.sim.faults.set({ lostResponse: 1 });
    expect((await deliverExports([exportIdOf(orderId)], 1)).retried).toHaveLength(1);
    expect((await deliverExports([exportIdOf(orderId)], 2)).acked).toHaveLength(1);
    expect(erp.sim.counts()[orderId]).toBe(1);
  });

  it('the ERP acknowledges, ships, delivers and invoices on its clock, each event twice and out of order: the buyer sees one story', async () => {
    const orderId = await placeOrder('e2e-life');
    expect((await deliverExports([exportIdOf(orderId)], 1)).acked).toHaveLength(1);
    erp.sim.faults.set({ duplicate: true, outOfOrder: true });
    for (let day = 0; day < 3; day++) await erp.sim.advance(24 * 60 * 60_000);
    await erp.sim.flush();
    const events = erp.sim.events({ orderId });
    expect(events.length).toBeGreaterThanOrEqual(4);
    expect(events.filter((e) => e.state !== 'delivered')).toEqual([]);

    const buyer = await loginAs('buyer@acme.example');
    const order = await json<{
      exportState: string;
      fulfilmentStatus: string;
      erpOrderNumber: string | null;
      shipments: unknown[];
      documents: { id: string; kind: string; number: string }[];
      timeline: { type: string }[];
    }>(await call(`/v1/orders/${orderId}`, { token: buyer }));
    expect(order.exportState).toBe('acknowledged');
    expect(order.fulfilmentStatus).toBe('delivered');
    expect(order.erpOrderNumber).not.toBeNull();
    expect(order.shipments.length).toBeGreaterThanOrEqual(1);
    // each ERP event once in the timeline, however often it was delivered
    const erpTypes = order.timeline
      .map((t) => t.type)
      .filter((t) => t === 'acknowledged' || t === 'invoiced');
    expect(erpTypes.sort()).toEqual(['acknowledged', 'invoiced']);
    const [invoice] = order.documents.filter((d) => d.kind === 'invoice');
    expect(invoice).toBeDefined();
    const finance = await loginAs('finance@acme.example');
    // the company's invoice list is paged (and this file invoices 200 other orders): read this one by id
    const listed = await call(`/v1/invoices/${invoice?.id}`, { token: finance });
    expect(await json(listed)).toMatchObject({ number: invoice?.number, orderId });
  }, 120_000);
});
