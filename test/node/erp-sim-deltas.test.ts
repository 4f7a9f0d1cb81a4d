import { describe, expect, it } from 'vitest';
import { API_KEY, ERP, erpCall, fakeBackend, simWith } from './erp-sim-fixtures';

// The delta feed the nightly pull reads (GET /deltas/{kind}) and the pushes to the backend's imports.

interface Page {
  rows: Record<string, unknown>[];
  nextCursor: string;
  hasMore: boolean;
}
const page = async (sim: ReturnType<typeof simWith>, query: string) => {
  const response = await erpCall(sim, 'GET', `/deltas/stock${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as Page;
};
const admin = (path: string, body: unknown) =>
  new Request(`${ERP}/admin${path}`, { method: 'POST', body: JSON.stringify(body) });

describe('GET /deltas/{kind}', () => {
  it('pages through queued rows with an opaque cursor, versions increasing, and stays put at the end', async () => {
    const sim = simWith(fakeBackend());
    const queued = await sim.handle(admin('/deltas/stock', { count: 25 }));
    expect(await queued.json()).toMatchObject({ queued: 25 });

    const seen: Record<string, unknown>[] = [];
    let query = '?limit=10';
    const hasMore: boolean[] = [];
    for (;;) {
      const p = await page(sim, query);
      seen.push(...p.rows);
      hasMore.push(p.hasMore);
      expect(p.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
      query = `?limit=10&cursor=${p.nextCursor}`;
      if (!p.hasMore) break;
    }
    expect(hasMore).toEqual([true, true, false]);
    expect(seen).toHaveLength(25);
    const versions = seen.map((r) => r.version as number);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(25);
    for (const row of seen) {
      expect(Object.keys(row).sort()).toEqual([
        'nextAvailabilityDate',
        'onHand',
        'sku',
        'version',
        'warehouse',
      ]);
    }
    // every SKU in both warehouses before moving on
    expect(seen.slice(0, 2).map((r) => [r.sku, r.warehouse])).toEqual([
      ['SIM-000001', 'LYON-1'],
      ['SIM-000001', 'KOLN-1'],
    ]);

    const end = await page(sim, query);
    expect(end).toEqual({ rows: [], nextCursor: query.split('cursor=')[1], hasMore: false });
    sim.queueDeltas('stock', { rows: [{ sku: 'SIM-000001', warehouse: 'LYON-1', onHand: 3 }] });
    const later = await page(sim, query);
    expect(later.rows).toEqual([expect.objectContaining({ onHand: 3, version: expect.any(Number) })]);
    expect(later.rows[0]?.version).toBeGreaterThan(versions.at(-1) ?? 0);
  });

  it('keeps a version the admin gives and refuses foreign cursors, bad limits and unknown kinds', async () => {
    const sim = simWith(fakeBackend());
    sim.queueDeltas('list-prices', { rows: [{ priceList: 'pl_eur', sku: 'A', amount: '1.00', version: 7 }] });
    const prices = await erpCall(sim, 'GET', '/deltas/list-prices');
    const { rows, nextCursor } = (await prices.json()) as Page;
    expect(rows).toEqual([{ priceList: 'pl_eur', sku: 'A', amount: '1.00', version: 7 }]);

    expect((await erpCall(sim, 'GET', `/deltas/stock?cursor=${nextCursor}`)).status).toBe(400);
    expect((await erpCall(sim, 'GET', '/deltas/stock?cursor=not-a-cursor')).status).toBe(400);
    expect((await erpCall(sim, 'GET', '/deltas/stock?limit=0')).status).toBe(400);
    expect((await erpCall(sim, 'GET', '/deltas/stock?limit=5001')).status).toBe(400);
    expect((await erpCall(sim, 'GET', '/deltas/widgets')).status).toBe(404);
    expect((await sim.handle(admin('/deltas/customers', { count: 3 }))).status).toBe(422);
    expect((await sim.handle(admin('/deltas/customers', { rows: [{ customerNumber: 'C1' }] }))).status).toBe(
      200,
    );
  });
});

describe('POST /admin/push/{kind}', () => {
  it('posts generated rows as NDJSON to the backend import with the API key, and queues them for the pull', async () => {
    const backend = fakeBackend();
    backend.respond = () =>
      Response.json({ id: 'imp_1' }, { status: 202, headers: { location: '/erp/v1/imports/imp_1' } });
    const sim = simWith(backend);
    const pushed = await sim.handle(admin('/push/list-prices', { count: 3 }));
    expect(pushed.status).toBe(200);
    expect(await pushed.json()).toMatchObject({
      kind: 'list-prices',
      rows: 3,
      deliveries: [
        { status: 202, location: '/erp/v1/imports/imp_1', body: { id: 'imp_1' }, malformed: false },
      ],
    });
    const [call] = backend.received;
    expect(call).toMatchObject({
      method: 'POST',
      path: '/erp/v1/imports/list-prices',
      contentType: 'application/x-ndjson',
      authorization: `Bearer ${API_KEY}`,
    });
    const lines = (call?.body ?? '')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(3);
    for (const row of lines) {
      expect(row).toEqual({
        priceList: 'pl_eur',
        sku: expect.stringMatching(/^SIM-/),
        amount: expect.stringMatching(/^\d+\.\d\d$/),
        version: expect.any(Number),
      });
    }
    const pulled = (await (await erpCall(sim, 'GET', '/deltas/list-prices')).json()) as Page;
    expect(pulled.rows).toEqual(lines);
  });

  it('writes CSV with a header row and quoted cells, and a JSON array on request', async () => {
    const backend = fakeBackend();
    const sim = simWith(backend);
    const rows = [
      { sku: 'A-1', name: 'Bolt, "hex" M8', version: 1 },
      { sku: 'A-2', name: 'Nut', brand: 'X;Y', version: 2 },
    ];
    await sim.push('products', { rows, format: 'csv' });
    expect(backend.received[0]?.contentType).toBe('text/csv; charset=utf-8');
    expect(backend.received[0]?.body).toBe(
      'sku,name,version,brand\r\nA-1,"Bolt, ""hex"" M8",1,\r\nA-2,Nut,2,"X;Y"\r\n',
    );
    await sim.push('products', { rows, format: 'json' });
    expect(JSON.parse(backend.received[1]?.body ?? '')).toEqual(rows);
  });

  it('duplicate sends the same body twice; malformed cuts the last row off; both are reported', async () => {
    const backend = fakeBackend();
    const sim = simWith(backend);
    sim.faults.set({ duplicate: true, malformed: 1 });
    const push = await sim.push('stock', { count: 4 });
    expect(push.deliveries).toHaveLength(2);
    expect(push.deliveries.every((d) => d.malformed)).toBe(true);
    expect(backend.received[0]?.body).toBe(backend.received[1]?.body);
    const lines = (backend.received[0]?.body ?? '').split('\n');
    expect(lines).toHaveLength(4);
    expect(() => JSON.parse(lines[2] ?? '')).not.toThrow();
    expect(() => JSON.parse(lines[3] ?? '')).toThrow();
  });

  it('refuses a push with no backend configured', async () => {
    const sim = simWith(fakeBackend(), { backendUrl: undefined });
    expect((await sim.handle(admin('/push/stock', { count: 1 }))).status).toBe(409);
    expect((await sim.handle(admin('/push/stock', { count: 0 }))).status).toBe(422);
    expect((await sim.handle(admin('/push/stock', { format: 'xml' }))).status).toBe(422);
  });
});
