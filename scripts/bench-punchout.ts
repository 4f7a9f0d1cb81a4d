import { createHash } from 'node:crypto';
import { percentile } from './bench-measure';
import type { RunningWorker } from './bench-worker';
import { queryLocalD1 } from './local-d1';

/**
 * Punch-out on the seeded benchmark Worker (scripts/bench.ts), one client, request by request:
 * 1. a procurement system's visit with a 50-line cart, step by step — cXML setup, start-code exchange,
 *    adding the 50 lines, reading the cart, the transfer (the order message form) — and a buyer's landing
 *    (start page redirect, the shop's first page, the shop's cart page), each step's p50 against the floor
 *    route's p50 measured in the same phase;
 * 2. OrderRequests of 200 lines (every line checked against the contract price): p50 and p99.
 */
export interface PunchoutFigures {
  floorP50Ms: number;
  steps: { step: string; p50Ms: number; p99Ms: number; overFloor: number }[];
  orderRequest: { lines: number; samples: number; p50Ms: number; p99Ms: number; overFloor: number };
}

const SECRET = 'bench-punchout-shared-secret-0123456789';
const SENDER = 'bench-procurement';
const RETURN_URL = 'http://127.0.0.1:9/punchout-return';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const esc = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('"', '&quot;');

function insertPartner(stateDir: string): void {
  queryLocalD1(
    `INSERT OR REPLACE INTO punchout_partners (id, name, protocol, company_id, status, sender_domain,
      sender_identity, secret_hash, default_user_id, provision_users, price_tolerance_bp, trust_approvals,
      form_encoding, oci_field_map, default_language, updated_at)
     VALUES ('pop_bench', 'Benchmark procurement', 'cxml', 'co_acme', 'active', 'NetworkID', '${SENDER}',
      '${sha256(SECRET)}', 'usr_acme_buyer', 0, 100, 1, 'cxml-urlencoded', '{}', 'en', ${Date.now()})`,
    { persistTo: stateDir },
  );
}

const header = () =>
  `<Header><From><Credential domain="NetworkID"><Identity>acme</Identity></Credential></From>` +
  `<To><Credential domain="NetworkID"><Identity>supplier</Identity></Credential></To>` +
  `<Sender><Credential domain="NetworkID"><Identity>${SENDER}</Identity><SharedSecret>${SECRET}</SharedSecret>` +
  `</Credential><UserAgent>bench</UserAgent></Sender></Header>`;

const envelope = (body: string, n: number) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.060/cXML.dtd">\n` +
  `<cXML payloadID="${Date.now()}.${n}.${Math.random().toString(36).slice(2)}@bench" timestamp="${new Date().toISOString()}" xml:lang="en-US">` +
  `${header()}${body}</cXML>`;

const setupRequest = (n: number) =>
  envelope(
    `<Request deploymentMode="production"><PunchOutSetupRequest operation="create">` +
      `<BuyerCookie>bench-${n}</BuyerCookie>` +
      `<Extrinsic name="UserEmail">buyer@acme.example</Extrinsic>` +
      `<BrowserFormPost><URL>${RETURN_URL}</URL></BrowserFormPost>` +
      `<SupplierSetup><URL>http://127.0.0.1/punchout/cxml/setup</URL></SupplierSetup>` +
      `</PunchOutSetupRequest></Request>`,
    n,
  );

interface PricedSku {
  sku: string;
  unitMinor: number;
  currency: string;
  unit: string;
}

function orderRequest(n: number, lines: readonly PricedSku[]): string {
  const money = (minor: number, currency: string) =>
    `<Money currency="${currency}">${(minor / 100).toFixed(2)}</Money>`;
  const currency = lines[0]?.currency ?? 'EUR';
  const total = lines.reduce((sum, l) => sum + l.unitMinor * 2, 0);
  const items = lines
    .map(
      (l, i) =>
        `<ItemOut quantity="2" lineNumber="${i + 1}"><ItemID><SupplierPartID>${esc(l.sku)}</SupplierPartID></ItemID>` +
        `<ItemDetail><UnitPrice>${money(l.unitMinor, l.currency)}</UnitPrice><Description xml:lang="en">${esc(l.sku)}</Description>` +
        `<UnitOfMeasure>${esc(l.unit)}</UnitOfMeasure></ItemDetail></ItemOut>`,
    )
    .join('');
  return envelope(
    `<Request deploymentMode="production"><OrderRequest><OrderRequestHeader orderID="BENCH-PO-${n}-${Date.now()}" orderDate="${new Date().toISOString()}" type="new">` +
      `<Total>${money(total, currency)}</Total>` +
      `<Contact role="endUser"><Name xml:lang="en">Camille Martin</Name><Email>buyer@acme.example</Email></Contact>` +
      `</OrderRequestHeader>${items}</OrderRequest></Request>`,
    n,
  );
}

async function timedFetch(
  url: string,
  init: RequestInit,
): Promise<{ ms: number; res: Response; text: string }> {
  const started = performance.now();
  const res = await fetch(url, init);
  const text = await res.text();
  return { ms: performance.now() - started, res, text };
}

function expectStatus(step: string, res: Response, text: string, ...ok: number[]): void {
  if (!ok.includes(res.status)) throw new Error(`${step} answered ${res.status}: ${text.slice(0, 300)}`);
}

async function pricedSkus(
  base: string,
  token: string,
  products: { sku: string; unit: string }[],
): Promise<PricedSku[]> {
  const skus = products.map((p) => p.sku);
  const units = new Map(products.map((p) => [p.sku, p.unit]));
  const res = await fetch(`${base}/v1/prices`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ lines: skus.map((sku) => ({ sku, quantity: 2 })) }),
  });
  if (res.status !== 200) throw new Error(`prices answered ${res.status}`);
  const body = (await res.json()) as {
    lines: { sku: string; status: string; price?: { unitMinor: number; currency: string } | null }[];
  };
  return body.lines.flatMap((l) =>
    l.status === 'priced' && l.price
      ? [
          {
            sku: l.sku,
            unitMinor: l.price.unitMinor,
            currency: l.price.currency,
            unit: units.get(l.sku) ?? 'EA',
          },
        ]
      : [],
  );
}

async function login(base: string): Promise<string> {
  const res = await fetch(`${base}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'buyer@acme.example', password: 'demo1234' }),
  });
  if (res.status !== 200) throw new Error(`login answered ${res.status}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

const startCode = (xml: string): string => {
  const url = /<URL>([^<]+)<\/URL>/.exec(xml.slice(xml.indexOf('<StartPage>')))?.[1];
  const code = url?.slice(url.lastIndexOf('/') + 1);
  if (!code) throw new Error(`no StartPage in the setup response: ${xml.slice(0, 300)}`);
  return code;
};

type Samples = Map<string, number[]>;
const add = (samples: Samples, step: string, ms: number) =>
  samples.set(step, [...(samples.get(step) ?? []), ms]);

/** One headless visit: setup → token → 50 lines → cart → transfer. */
async function headlessVisit(base: string, n: number, fifty: readonly PricedSku[], samples: Samples) {
  const xml = { 'content-type': 'text/xml; charset=utf-8' };
  const setup = await timedFetch(`${base}/punchout/cxml/setup`, {
    method: 'POST',
    headers: xml,
    body: setupRequest(n),
  });
  expectStatus('setup', setup.res, setup.text, 200);
  const exchange = await timedFetch(`${base}/punchout/sessions/${startCode(setup.text)}/token`, {
    method: 'POST',
  });
  expectStatus('token', exchange.res, exchange.text, 200);
  const session = JSON.parse(exchange.text) as { accessToken: string; session: { cartId: string } };
  const auth = { authorization: `Bearer ${session.accessToken}` };
  const lines = await timedFetch(`${base}/v1/carts/${session.session.cartId}/lines`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ lines: fifty.map((l) => ({ sku: l.sku, quantity: 2 })) }),
  });
  expectStatus('add 50 lines', lines.res, lines.text, 200, 201);
  const cart = await timedFetch(`${base}/v1/carts/${session.session.cartId}`, { headers: auth });
  expectStatus('cart', cart.res, cart.text, 200);
  const transfer = await timedFetch(`${base}/punchout/sessions/current/transfer`, {
    method: 'POST',
    headers: auth,
  });
  expectStatus('transfer', transfer.res, transfer.text, 200);
  if (!transfer.text.includes('cxml-urlencoded'))
    throw new Error('the transfer page carries no order message');
  add(samples, 'cXML setup', setup.ms);
  add(samples, 'start-code exchange (token)', exchange.ms);
  add(samples, 'add 50 lines', lines.ms);
  add(samples, 'read the 50-line cart', cart.ms);
  add(samples, 'transfer (order message form)', transfer.ms);
}

/** One buyer landing in a browser: start page → the shop's first page → its cart page. */
async function browserLanding(base: string, n: number, samples: Samples) {
  const setup = await fetch(`${base}/punchout/cxml/setup`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    body: setupRequest(10_000 + n),
  });
  const code = startCode(await setup.text());
  const start = await timedFetch(`${base}/punchout/start/${code}`, { redirect: 'manual' });
  expectStatus('start page', start.res, start.text, 302, 303);
  const shop = new URL(start.res.headers.get('location') ?? '', base).href;
  const home = await timedFetch(shop, {});
  expectStatus('shop page', home.res, home.text, 200);
  const cart = await timedFetch(new URL('cart', shop.endsWith('/') ? shop : `${shop}/`).href, {});
  expectStatus('shop cart', cart.res, cart.text, 200);
  add(samples, 'start page (code → shop redirect)', start.ms);
  add(samples, 'shop first page (priced products)', home.ms);
  add(samples, 'shop cart page', cart.ms);
}

export async function punchoutPhase(worker: RunningWorker, stateDir: string): Promise<PunchoutFigures> {
  const { base } = worker;
  insertPartner(stateDir);
  const token = await login(base);
  // products ordered one at a time (no minimum, no multiple), with their unit: the OrderRequest states it
  const products = queryLocalD1<{ sku: string; unit: string }>(
    `SELECT sku, unit_of_measure AS unit FROM products WHERE status = 'active' AND min_order_qty = 1
     AND order_multiple = 1 ORDER BY sku LIMIT 400`,
    { persistTo: stateDir },
  );
  const priced = await pricedSkus(base, token, products);
  if (priced.length < 250) throw new Error(`only ${priced.length} of 400 SKUs are priced for Acme`);
  const floor: number[] = [];
  const samples: Samples = new Map();
  const rounds = 20;
  console.log(`Punch-out: ${rounds} visits with a 50-line cart, then ${rounds} OrderRequests of 200 lines…`);
  for (let i = 0; i < rounds + 2; i++) {
    const warm = i < 2;
    const into: Samples = warm ? new Map() : samples;
    // the floor is sampled between the steps, so both see the same machine load
    const f = await timedFetch(`${base}/_bench/kv/page`, {});
    if (!warm) floor.push(f.ms);
    await headlessVisit(base, i, priced.slice(i % 50, (i % 50) + 50), into);
    await browserLanding(base, i, into);
  }
  const orderSamples: number[] = [];
  for (let i = 0; i < rounds + 2; i++) {
    const doc = orderRequest(i, priced.slice(i % 50, (i % 50) + 200));
    const f = await timedFetch(`${base}/_bench/kv/page`, {});
    const r = await timedFetch(`${base}/punchout/cxml/order`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml; charset=utf-8' },
      body: doc,
    });
    if (r.res.status !== 200 || !/<Status code="20[01]"/.test(r.text))
      throw new Error(`OrderRequest answered ${r.res.status}: ${r.text.slice(0, 1200)}`);
    if (i >= 2) {
      orderSamples.push(r.ms);
      floor.push(f.ms);
    }
  }
  const floorP50 = percentile(floor, 0.5);
  const over = (ms: number) => Math.round((ms / Math.max(floorP50, 0.1)) * 10) / 10;
  const steps = [...samples].map(([step, ms]) => {
    const p50Ms = percentile(ms, 0.5);
    return { step, p50Ms, p99Ms: percentile(ms, 0.99), overFloor: over(p50Ms) };
  });
  const p50 = percentile(orderSamples, 0.5);
  return {
    floorP50Ms: floorP50,
    steps,
    orderRequest: {
      lines: 200,
      samples: orderSamples.length,
      p50Ms: p50,
      p99Ms: percentile(orderSamples, 0.99),
      overFloor: over(p50),
    },
  };
}

export function printPunchout(f: PunchoutFigures): void {
  console.log('\nPunch-out (one client; p50 against the floor route, KV read of a page, same run)');
  console.log(`  floor p50 ${f.floorP50Ms} ms`);
  for (const s of f.steps)
    console.log(
      `  ${s.step.padEnd(36)} p50 ${String(s.p50Ms).padStart(7)} ms  p99 ${String(s.p99Ms).padStart(7)} ms  ×${s.overFloor} floor`,
    );
  const o = f.orderRequest;
  console.log(
    `  OrderRequest, ${o.lines} lines (${o.samples} samples)`.padEnd(38) +
      ` p50 ${String(o.p50Ms).padStart(7)} ms  p99 ${String(o.p99Ms).padStart(7)} ms  ×${o.overFloor} floor`,
  );
}
