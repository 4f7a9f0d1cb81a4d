import { env } from 'cloudflare:test';
import { exports } from 'cloudflare:workers';
import { vi } from 'vitest';
import {
  createErpSimulator,
  type ErpSimulator,
  type ErpSimulatorOptions,
  type SimCatalog,
} from '../../erp-sim/core';
import { call, json, loginAs } from './harness';

/**
 * The reference ERP inside workerd: the Worker's outbound `fetch` to ERP_BASE_URL (a vitest binding) is
 * answered by the simulator, and the simulator's own calls (events, pushes) go straight to the Worker's
 * fetch handler with a platform API key of scope `erp:write`. Every other outbound fetch is left alone.
 *
 *   const erp = await installErpSimulator();
 *   erp.sim.faults.set({ downForMs: 10 * 60_000 });
 *   … place orders, run the export queue …
 *   await erp.sim.advance(10 * 60_000);
 *   expect(Object.values(erp.sim.counts())).toEqual(Array(200).fill(1));
 *   erp.restore();
 */

/** The Worker's own origin as the harness calls it. */
const WORKER_ORIGIN = 'https://api.test';

export interface InstalledErp {
  sim: ErpSimulator;
  /** ERP_BASE_URL as the Worker sees it */
  baseUrl: string;
  /** the `erp:write` key the simulator sends with its events and pushes */
  apiKey: string;
  /** puts the real `fetch` back */
  restore(): void;
}

/** A platform API key of scope `erp:write`, issued the way an operator would (as the demo platform admin). */
export async function issueErpApiKey(name = 'Reference ERP (test)'): Promise<string> {
  const token = await loginAs('ops@supplier.example');
  const res = await call('/v1/admin/api-keys', {
    method: 'POST',
    token,
    body: { name, companyId: null, scopes: ['erp:write'] },
  });
  if (res.status !== 201) throw new Error(`issuing the ERP key failed: ${res.status} ${await res.text()}`);
  return (await json<{ key: string }>(res)).key;
}

/** What the ERP "holds": a slice of the seeded catalog, so generated deltas name SKUs the backend knows. */
export async function catalogFromDatabase(limit = 200): Promise<SimCatalog> {
  const products = await env.DB.prepare(
    `SELECT p.sku, p.name, p.family, p.category_path AS categoryPath, p.brand,
            p.unit_of_measure AS unitOfMeasure, lp.amount_minor AS listMinor
       FROM products p LEFT JOIN list_prices lp ON lp.sku = p.sku AND lp.price_list_id = 'pl_eur'
      WHERE p.status = 'active' ORDER BY p.sku LIMIT ?`,
  )
    .bind(limit)
    .all<SimCatalog['products'][number]>();
  const warehouses = await env.DB.prepare('SELECT DISTINCT warehouse FROM stock ORDER BY warehouse').all<{
    warehouse: string;
  }>();
  return {
    products: products.results.map((p) => ({ ...p, listMinor: p.listMinor ?? undefined })),
    warehouses: warehouses.results.map((w) => w.warehouse),
    priceLists: ['pl_eur'],
  };
}

export async function installErpSimulator(options: ErpSimulatorOptions = {}): Promise<InstalledErp> {
  const baseUrl = env.ERP_BASE_URL.replace(/\/+$/, '');
  if (!baseUrl)
    throw new Error('ERP_BASE_URL is empty: set it in the miniflare bindings of vitest.config.ts');
  const apiKey = options.apiKey ?? (await issueErpApiKey());
  const sim = createErpSimulator({
    ...options,
    backendUrl: options.backendUrl ?? WORKER_ORIGIN,
    apiKey,
    fetch: options.fetch ?? ((request) => exports.default.fetch(request)),
    catalog: options.catalog ?? (await catalogFromDatabase()),
  });
  const realFetch = globalThis.fetch;
  const spy = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    if (request.url !== baseUrl && !request.url.startsWith(`${baseUrl}/`)) return realFetch(input, init);
    // the simulator sees paths from its own root, whatever path ERP_BASE_URL has
    const rest = request.url.slice(baseUrl.length) || '/';
    return sim.handle(new Request(new URL(rest, 'https://erp.sim'), request));
  });
  return { sim, baseUrl, apiKey, restore: () => spy.mockRestore() };
}
