import { randomUUID } from 'node:crypto';
import { asTimed, type Measurement, measure, ratio, sequential, type Timed, timed } from './bench-measure';
import { type Answer, type PhaseFigures, parseServerTiming, phaseFigures, printPhases } from './bench-phases';

/**
 * The checkout phase of `npm run bench`, on the worker the price path was measured on, public API only:
 * 1. As ops: 20 companies ("Bench Co 01".."20", EUR, FR), each with a default ship-to and a buyer whose
 *    password the create-user route sets; ~300 cheap SKUs (min 1, multiple 1) that Acme and the bench
 *    companies can order, from the first catalog pages; wait for the bench companies' (shared) price index.
 * 2. Checkouts of 5-line carts: Acme with 1 and 4 clients, then the 20 companies in parallel, one client each.
 *    Each client's carts are filled before its loop, so the loop holds checkout requests only:
 *    checkouts/s = placed orders / wall time of the loop. Anything but 201 + `placed` is an error.
 * 3. Adding one line already in a 200-line cart (quantity +1): 1 client, then autocannon; `noop` by 1 client
 *    as the like-for-like baseline of the sequential figure.
 */
const COMPANIES = 20;
const PASSWORD = 'bench-pass-1234';
/** 50.00 EUR a unit: 5 lines of 1 stay far below Acme's 5,000.00 EUR order limit, so orders are placed */
const MAX_UNIT_MINOR = 5_000;
const POOL = 300;
const LINES_PER_ORDER = 5;
const ONE_COMPANY_CHECKOUTS = 100;
const PER_COMPANY_CHECKOUTS = 15;
const CART_LINES = 200;
const SEQUENTIAL = { warmUp: 20, n: 300 };

export interface CheckoutFigures {
  config: Record<string, number>;
  benchIndex: Record<string, unknown>;
  results: Timed[];
  ratios: Record<string, number | null>;
  /** the first answers that were not what the scenario expects, with their bodies */
  errorSamples: string[];
  /** per checkout scenario: each phase's p50/p99 from Server-Timing, and the slowest answers' phases */
  phases: PhaseFigures[];
}

type Outcome = { status: string; priceGeneration: number | null };
interface Client {
  companyId: string;
  token: string;
}
interface Options {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  expect?: number;
}
type Line = { sku: string; quantity: number };

/** `route` is the request line, e.g. `POST /v1/carts`. */
async function call(base: string, route: string, o: Options = {}) {
  const [method, path] = route.split(' ');
  const started = performance.now();
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
      ...(o.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...o.headers,
    },
    body: o.body === undefined ? undefined : JSON.stringify(o.body),
  });
  const text = await res.text();
  return {
    status: res.status,
    text,
    ms: performance.now() - started,
    timing: res.headers.get('server-timing'),
  };
}

/** A setup request that must succeed: anything else stops the phase with the answer's body. */
async function ok<T>(base: string, route: string, o: Options = {}): Promise<T> {
  const r = await call(base, route, o);
  if (r.status !== (o.expect ?? 200)) throw new Error(`${route} answered ${r.status}: ${r.text}`);
  return JSON.parse(r.text) as T;
}

const login = async (base: string, email: string, password: string) =>
  (await ok<{ accessToken: string }>(base, 'POST /v1/auth/login', { body: { email, password } })).accessToken;

type Roles = { items: { id: string; key: string }[] };

async function benchCompanies(base: string, ops: string): Promise<Client[]> {
  const clients: Client[] = [];
  for (let i = 1; i <= COMPANIES; i++) {
    const nn = String(i).padStart(2, '0');
    const asOps = { token: ops, expect: 201 };
    const body = { name: `Bench Co ${nn}`, defaultCurrency: 'EUR', country: 'FR' };
    const { id } = await ok<{ id: string }>(base, 'POST /v1/admin/companies', { ...asOps, body });
    const forCompany = { ...asOps, headers: { 'x-company-id': id } };
    const site = { name: 'Entrepôt', line1: `${i} rue du Banc`, postalCode: '69007', city: 'Lyon' };
    const address = { ...site, country: 'FR', isDefaultShipTo: true };
    await ok(base, 'POST /v1/company/addresses', { ...forCompany, body: address });
    const roles = await ok<Roles>(base, 'GET /v1/company/roles', { ...forCompany, expect: 200 });
    const buyer = roles.items.find((r) => r.key === 'buyer');
    if (!buyer) throw new Error(`no buyer role for ${id}: ${JSON.stringify(roles.items)}`);
    const email = `buyer${nn}@bench.example`;
    const user = { email, name: `Bench buyer ${nn}`, roleIds: [buyer.id] };
    // invited, then accepted with the token that `wrangler dev` (development) hands the inviting admin
    const invited = await ok<{ acceptToken: string }>(base, 'POST /v1/company/users', {
      ...forCompany,
      body: user,
      expect: 202,
    });
    const accept = { token: invited.acceptToken, password: PASSWORD };
    await ok(base, 'POST /v1/auth/accept-invitation', { body: accept, expect: 201 });
    clients.push({ companyId: id, token: await login(base, email, PASSWORD) });
  }
  return clients;
}

type Priced = { price?: { unitMinor: number } | null };
type CatalogItem = Priced & { sku: string; status: string; minOrderQty: number; orderMultiple: number };
type CatalogPage = { items: CatalogItem[]; nextCursor: string | null };
type PriceAnswer = { lines: (Priced & { sku: string; status: string })[] };
const cheap = (p: Priced) => (p.price?.unitMinor ?? Number.POSITIVE_INFINITY) <= MAX_UNIT_MINOR;
const fits = (p: CatalogItem & { orderable?: boolean }) =>
  p.orderable === true && p.status === 'active' && p.minOrderQty === 1 && p.orderMultiple === 1 && cheap(p);

/** Cheap SKUs from the first catalog pages that both Acme and the bench companies can order as 1 unit. */
async function cheapSkus(base: string, acme: string, bench: string): Promise<string[]> {
  const picked: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 25 && picked.length < POOL * 1.5; page++) {
    const after: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const body: CatalogPage = await ok(base, `GET /v1/catalog/products?limit=200${after}`, { token: acme });
    picked.push(...body.items.filter(fits).map((p) => p.sku));
    cursor = body.nextCursor;
    if (!cursor) break;
  }
  // the bench companies buy at list price under their own assortment: keep what they can order too
  const lines = picked.map((sku) => ({ sku, quantity: 1 }));
  const priced = await ok<PriceAnswer>(base, 'POST /v1/prices', { token: bench, body: { lines } });
  const usable = priced.lines.filter((l) => l.status === 'priced' && cheap(l)).map((l) => l.sku);
  if (usable.length < CART_LINES + 1) throw new Error(`only ${usable.length} usable SKUs found`);
  return usable.slice(0, POOL);
}

/** The bench companies share one new index, enqueued on first use; until it is built, prices come from SQL. */
async function waitForIndex(base: string, ops: string, companyId: string): Promise<Record<string, unknown>> {
  for (let second = 0; second < 120; second++) {
    const r = await call(base, `GET /v1/admin/price-index/${companyId}`, { token: ops });
    const status = r.status === 200 ? (JSON.parse(r.text) as Record<string, unknown>) : null;
    if (status?.state === 'current') return status;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  console.warn('The bench companies’ price index is not current after 120 s; their prices come from SQL');
  return { state: 'not current after 120 s' };
}

export async function checkoutPhase(
  base: string,
  load: { duration: number; connections: number; noop: Measurement },
): Promise<CheckoutFigures> {
  const errorSamples: string[] = [];
  const note = (text: string) => void (errorSamples.length < 10 && errorSamples.push(text.slice(0, 800)));
  console.log(`Checkout phase: ${COMPANIES} companies with a ship-to address and a buyer, through the API…`);
  const ops = await login(base, 'ops@supplier.example', 'demo1234');
  const companies = await benchCompanies(base, ops);
  const acme: Client = { companyId: 'co_acme', token: await login(base, 'buyer@acme.example', 'demo1234') };
  const pool = await cheapSkus(base, acme.token, companies[0]?.token ?? '');
  const benchIndex = await waitForIndex(base, ops, companies[0]?.companyId ?? '');
  let next = 0;
  const nextLines = (): Line[] =>
    Array.from({ length: LINES_PER_ORDER }, () => ({ sku: pool[next++ % pool.length] ?? '', quantity: 1 }));
  const addLines = (token: string, cartId: string, lines: Line[]) =>
    ok(base, `POST /v1/carts/${cartId}/lines`, { token, body: { lines } });
  const cartWith = async (token: string, lines: Line[]) => {
    const body = { name: `Bench ${randomUUID().slice(0, 8)}` };
    const cart = await ok<{ id: string }>(base, 'POST /v1/carts', { token, body, expect: 201 });
    await addLines(token, cart.id, lines);
    return cart.id;
  };
  const checkout = async (client: Client, cartId: string) => {
    const o = { token: client.token, body: {}, headers: { 'idempotency-key': randomUUID() } };
    const r = await call(base, `POST /v1/carts/${cartId}/checkout`, o);
    const outcome = r.status === 201 ? (JSON.parse(r.text) as Outcome) : null;
    const placed = outcome?.status === 'placed';
    if (!placed) note(`checkout ${client.companyId} ${cartId}: ${r.status} ${r.text}`);
    return { ms: r.ms, placed, fromSql: placed && outcome?.priceGeneration === null, timing: r.timing };
  };
  const phases: PhaseFigures[] = [];
  /** Fills each client's carts, then runs every client's checkouts back to back, clients in parallel. */
  const checkouts = async (scenario: string, clients: Client[], each: number): Promise<Timed> => {
    const carts = await Promise.all(
      clients.map(async (c) => {
        const ids: string[] = [];
        for (let i = 0; i < each; i++) ids.push(await cartWith(c.token, nextLines()));
        return ids;
      }),
    );
    const answers: { ms: number; placed: boolean; fromSql: boolean; timing: string | null }[] = [];
    const started = performance.now();
    await Promise.all(
      clients.map(async (c, i) => {
        for (const id of carts[i] ?? []) answers.push(await checkout(c, id));
      }),
    );
    const wallMs = performance.now() - started;
    const [samples, errors] = [answers.map((a) => a.ms), answers.filter((a) => !a.placed).length];
    const result = timed(scenario, clients.length, samples, errors, wallMs);
    const timings: Answer[] = answers.map((a) => ({ ms: a.ms, phases: parseServerTiming(a.timing) }));
    phases.push(phaseFigures(scenario, timings));
    console.log(`${scenario}: ${result.perSecond} checkouts/s, p50 ${result.p50Ms} ms`);
    return { ...result, pricedFromSql: answers.filter((a) => a.fromSql).length };
  };
  // warm-up, and proof that every company can place an order: its object, its index, its first order
  for (const c of [acme, acme, acme, ...companies]) {
    if (!(await checkout(c, await cartWith(c.token, nextLines()))).placed)
      throw new Error(`warm-up checkout failed:\n${errorSamples.join('\n')}`);
  }
  const acme1 = await checkouts('checkout, 1 company, 1 client', [acme], ONE_COMPANY_CHECKOUTS);
  const four = Array.from({ length: 4 }, () => acme);
  const acme4 = await checkouts('checkout, 1 company, 4 clients', four, ONE_COMPANY_CHECKOUTS / 4);
  const all20 = await checkouts(`checkout, ${COMPANIES} companies`, companies, PER_COMPANY_CHECKOUTS);

  // one line already in a 200-line cart, quantity +1: the cart stays at 200 lines
  const ofPool = (from: number) => pool.slice(from, from + 50).map((sku) => ({ sku, quantity: 1 }));
  const cartId = await cartWith(acme.token, ofPool(0));
  for (let from = 50; from < CART_LINES; from += 50) await addLines(acme.token, cartId, ofPool(from));
  const path = `/v1/carts/${cartId}/lines`;
  const addOne = { lines: [{ sku: pool[0] ?? '', quantity: 1 }] };
  const noop1 = await sequential('noop, 1 client', SEQUENTIAL, async () => {
    const r = await call(base, 'GET /_bench/noop');
    return { ms: r.ms, ok: r.status === 200 };
  });
  const addLine = await sequential(`add line, ${CART_LINES}-line cart, 1 client`, SEQUENTIAL, async () => {
    const r = await call(base, `POST ${path}`, { token: acme.token, body: addOne });
    if (r.status !== 200) note(`add line: ${r.status} ${r.text}`);
    return { ms: r.ms, ok: r.status === 200 };
  });
  const name = `add line, ${CART_LINES}-line cart, autocannon`;
  console.log(`${name}: 3 s warm-up + ${load.duration} s, ${load.connections} connections`);
  const headers = { authorization: `Bearer ${acme.token}`, 'content-type': 'application/json' };
  const scenario = { name, paths: [path], method: 'POST' as const, body: JSON.stringify(addOne), headers };
  const addLoad = asTimed(await measure(base, scenario, load.duration, load.connections), load.connections);
  const cart = await ok<{ lines: unknown[] }>(base, `GET /v1/carts/${cartId}`, { token: acme.token });
  if (cart.lines.length !== CART_LINES) throw new Error(`the cart has ${cart.lines.length} lines`);
  return {
    config: {
      companies: COMPANIES,
      linesPerOrder: LINES_PER_ORDER,
      oneCompanyCheckouts: ONE_COMPANY_CHECKOUTS,
      checkoutsPerCompany: PER_COMPANY_CHECKOUTS,
      skuPool: pool.length,
      cartLines: CART_LINES,
      sequentialWarmUp: SEQUENTIAL.warmUp,
      sequentialTimed: SEQUENTIAL.n,
    },
    benchIndex,
    results: [acme1, acme4, all20, noop1, addLine, addLoad],
    ratios: {
      '20 companies / 1 company, 1 client (checkouts/s)': ratio(all20.perSecond, acme1.perSecond),
      '20 companies / 1 company, 4 clients (checkouts/s)': ratio(all20.perSecond, acme4.perSecond),
      '1 company: 4 clients / 1 client (checkouts/s)': ratio(acme4.perSecond, acme1.perSecond),
      'checkout, 1 company, 1 client: p50 / noop p50, 1 client': ratio(acme1.p50Ms, noop1.p50Ms),
      'checkout, 1 company, 1 client: p99 / its p50': ratio(acme1.p99Ms, acme1.p50Ms),
      'add line, 1 client: p50 / noop p50 (noop at 20 connections)': ratio(addLine.p50Ms, load.noop.p50Ms),
      'add line, 1 client: p50 / noop p50, 1 client': ratio(addLine.p50Ms, noop1.p50Ms),
      'add line, autocannon: p50 / noop p50 (both 20 connections)': ratio(addLoad.p50Ms, load.noop.p50Ms),
    },
    errorSamples,
    phases,
  };
}

export function printCheckout(f: CheckoutFigures, noop: Measurement): void {
  console.log(`Checkout (req/s: placed orders, or requests, per second; bench index: ${f.benchIndex.state})`);
  console.table(
    f.results.map((r) => ({
      scenario: r.scenario,
      clients: r.clients,
      'req/s': r.perSecond,
      'p50 ms': r.p50Ms,
      'p99 ms': r.p99Ms,
      requests: r.requests,
      errors: r.errors,
      'from SQL': r.pricedFromSql ?? '',
      'p50 /noop': ratio(r.p50Ms, noop.p50Ms),
    })),
  );
  console.table(f.ratios);
  printPhases(f.phases);
  if (f.errorSamples.length > 0) console.log(`Unexpected answers:\n${f.errorSamples.join('\n')}`);
}
