import type { ErpSimulator, SimCatalog } from '../erp-sim/core';
import { DEMO_PASSWORD } from './demo-data';
import { type LocalD1Options, queryLocalD1 } from './local-d1';

/**
 * Wires the reference ERP to the local backend for `npm start`: the catalog it "holds" comes from the local
 * D1, and once the Worker answers, the demo platform admin issues it a platform API key of scope
 * `erp:write` (revoking the one the previous run issued), which it then sends with its events and pushes.
 */

export const SIMULATOR_KEY_NAME = 'Reference ERP simulator (npm start)';

/** Up to `limit` active products with their EUR list price, and the warehouses: what deltas are made of. */
export function readErpCatalog(options: LocalD1Options = {}, limit = 2000): SimCatalog {
  const products = queryLocalD1<SimCatalog['products'][number] & { listMinor: number | null }>(
    `SELECT p.sku, p.name, p.family, p.category_path AS categoryPath, p.brand,
            p.unit_of_measure AS unitOfMeasure, lp.amount_minor AS listMinor
       FROM products p LEFT JOIN list_prices lp ON lp.sku = p.sku AND lp.price_list_id = 'pl_eur'
      WHERE p.status = 'active' ORDER BY p.sku LIMIT ${Math.floor(limit)}`,
    options,
  );
  const warehouses = queryLocalD1<{ warehouse: string }>(
    'SELECT DISTINCT warehouse FROM stock ORDER BY warehouse',
    options,
  );
  return {
    products: products.map((p) => ({ ...p, listMinor: p.listMinor ?? undefined })),
    warehouses: warehouses.map((w) => w.warehouse),
    priceLists: ['pl_eur'],
  };
}

export async function waitForHealth(base: string, isAlive: () => boolean): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline && isAlive()) {
    try {
      if ((await fetch(`${base}/health`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the backend at ${base} did not answer /health`);
}

async function asJson<T>(response: Response, what: string): Promise<T> {
  if (!response.ok) throw new Error(`${what}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Issues the simulator's key through the admin API and hands it over; returns the key. */
export async function connectErpSimulator(
  sim: ErpSimulator,
  backend: string,
  isAlive: () => boolean,
): Promise<string> {
  await waitForHealth(backend, isAlive);
  const login = await fetch(`${backend}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'ops@supplier.example', password: DEMO_PASSWORD }),
  });
  const { accessToken } = await asJson<{ accessToken: string }>(login, 'signing in as ops@supplier.example');
  const headers = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
  const { items } = await asJson<{ items: { id: string; name: string; revokedAt: number | null }[] }>(
    await fetch(`${backend}/v1/admin/api-keys`, { headers }),
    'listing API keys',
  );
  for (const old of items.filter((k) => k.name === SIMULATOR_KEY_NAME && k.revokedAt === null)) {
    await fetch(`${backend}/v1/admin/api-keys/${old.id}`, { method: 'DELETE', headers });
  }
  const issued = await fetch(`${backend}/v1/admin/api-keys`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ name: SIMULATOR_KEY_NAME, companyId: null, scopes: ['erp:write'] }),
  });
  const { key } = await asJson<{ key: string }>(issued, 'issuing the ERP simulator key');
  sim.configure({ backendUrl: backend, apiKey: key });
  return key;
}
