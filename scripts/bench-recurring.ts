/**
 * The recurring-order phase of `npm run bench` (after the checkout phase, same Worker, public API only):
 * 1. As ops: 50 companies "Rec Co 01".."50" (EUR, FR), each with a default ship-to and a buyer.
 * 2. Each buyer sets up 20 weekly recurring orders of 2 cheap lines, all due at the same minute D (today's
 *    weekday, a time a few minutes ahead, UTC).
 * 3. The every-minute cron is fired through the local scheduled handler with scheduledTime = D, twice (a
 *    double fire), so every schedule is due at once. Timed: from the first fire until the last of the 1,000
 *    orders was written (its createdAt), read back through `GET /v1/orders` per company; none may be twice.
 */
const COMPANIES = 50;
const PER_COMPANY = 20;
const PASSWORD = 'bench-pass-1234';
const MAX_UNIT_MINOR = 5_000;

export interface RecurringFigures {
  companies: number;
  schedules: number;
  placed: number;
  duplicates: number;
  setupSeconds: number;
  /** first cron fire → last order written */
  allPlacedMs: number;
  ordersPerSecond: number;
  messagesFirstFire: string;
  secondFire: string;
}

interface Options {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  expect?: number;
}

async function ok<T>(base: string, route: string, o: Options = {}): Promise<T> {
  const [method, path] = route.split(' ');
  const send = () =>
    fetch(`${base}${path}`, {
      method,
      headers: {
        ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
        ...(o.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...o.headers,
      },
      body: o.body === undefined ? undefined : JSON.stringify(o.body),
    });
  // wrangler dev restarts its runtime at times; a request caught in it answers 503 (or the connection
  // drops) and did nothing: tried again
  let res = await send().catch(() => null);
  for (let attempt = 0; (res === null || res.status === 503) && attempt < 5; attempt++) {
    await new Promise((r) => setTimeout(r, 2000));
    res = await send().catch(() => null);
  }
  if (!res) throw new Error(`${route}: no answer after 6 tries`);
  const text = await res.text();
  if (res.status !== (o.expect ?? 200)) throw new Error(`${route} answered ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

const login = async (base: string, email: string, password: string) =>
  (await ok<{ accessToken: string }>(base, 'POST /v1/auth/login', { body: { email, password } })).accessToken;

async function company(base: string, ops: string, i: number) {
  const nn = String(i).padStart(2, '0');
  const asOps = { token: ops, expect: 201 };
  const body = { name: `Rec Co ${nn}`, defaultCurrency: 'EUR', country: 'FR' };
  const { id } = await ok<{ id: string }>(base, 'POST /v1/admin/companies', { ...asOps, body });
  const forCompany = { ...asOps, headers: { 'x-company-id': id } };
  const address = {
    name: 'Magasin',
    line1: `${i} quai du Rhône`,
    postalCode: '69002',
    city: 'Lyon',
    country: 'FR',
    isDefaultShipTo: true,
  };
  await ok(base, 'POST /v1/company/addresses', { ...forCompany, body: address });
  const roles = await ok<{ items: { id: string; key: string }[] }>(base, 'GET /v1/company/roles', {
    ...forCompany,
    expect: 200,
  });
  const buyer = roles.items.find((r) => r.key === 'buyer')?.id;
  const email = `recbuyer${nn}@bench.example`;
  const invited = await ok<{ acceptToken: string }>(base, 'POST /v1/company/users', {
    ...forCompany,
    body: { email, name: `Recurring buyer ${nn}`, roleIds: [buyer] },
    expect: 202,
  });
  await ok(base, 'POST /v1/auth/accept-invitation', {
    body: { token: invited.acceptToken, password: PASSWORD },
    expect: 201,
  });
  return { id, token: await login(base, email, PASSWORD) };
}

type Item = {
  sku: string;
  status: string;
  orderable?: boolean;
  minOrderQty: number;
  orderMultiple: number;
  price?: { unitMinor: number } | null;
};

async function skusFor(base: string, token: string): Promise<string[]> {
  const page = await ok<{ items: Item[] }>(base, 'GET /v1/catalog/products?limit=200', { token });
  const fits = page.items.filter(
    (p) =>
      p.orderable &&
      p.status === 'active' &&
      p.minOrderQty === 1 &&
      p.orderMultiple === 1 &&
      (p.price?.unitMinor ?? Infinity) <= MAX_UNIT_MINOR,
  );
  if (fits.length < 10) throw new Error(`only ${fits.length} usable SKUs for the recurring orders`);
  return fits.slice(0, 40).map((p) => p.sku);
}

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

export async function recurringPhase(base: string): Promise<RecurringFigures> {
  const started = performance.now();
  console.log(
    `Recurring phase: ${COMPANIES} companies × ${PER_COMPANY} recurring orders, all due at the same minute…`,
  );
  const ops = await login(base, 'ops@supplier.example', 'demo1234');
  const clients: { id: string; token: string }[] = [];
  for (let i = 1; i <= COMPANIES; i++) clients.push(await company(base, ops, i));
  const skus = await skusFor(base, clients[0]?.token ?? '');
  // due a few minutes ahead, on today's weekday (UTC): the fire below names that minute
  const due = Math.ceil((Date.now() + 10 * 60_000) / 60_000) * 60_000;
  const when = new Date(due);
  const timeOfDay = when.toISOString().slice(11, 16);
  const frequency = { kind: 'weekly', weekdays: [WEEKDAYS[when.getUTCDay()]] };
  let n = 0;
  await Promise.all(
    clients.map(async (c) => {
      for (let k = 0; k < PER_COMPANY; k++, n++) {
        const lines = [0, 1].map((j) => ({ sku: skus[(n * 2 + j) % skus.length], quantity: 1 }));
        await ok(base, 'POST /v1/recurring-orders', {
          token: c.token,
          expect: 201,
          body: {
            name: `Bench ${k}`,
            source: { kind: 'lines', lines },
            frequency,
            timeOfDay,
            timeZone: 'UTC',
            startDate: when.toISOString().slice(0, 10),
          },
        });
      }
    }),
  );
  const setupSeconds = Math.round((performance.now() - started) / 100) / 10;
  // what was set up (a retried request may have made one twice): every one of them must be placed once
  const lists = await Promise.all(
    clients.map((c) =>
      ok<{ items: unknown[] }>(base, 'GET /v1/recurring-orders?limit=200', { token: c.token }),
    ),
  );
  const expected = lists.reduce((n, l) => n + l.items.length, 0);
  const fire = async () => {
    const url = `${base}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent('* * * * *')}&time=${due}`;
    const res = await fetch(url);
    return `${res.status} ${(await res.text()).slice(0, 40)}`;
  };
  const t0 = Date.now();
  const first = await fire();
  const second = await fire();
  const counts = async () => {
    const all = await Promise.all(
      clients.map((c) =>
        ok<{ items: { channel: string; channelRef: string | null; createdAt: number }[] }>(
          base,
          'GET /v1/orders?limit=200',
          { token: c.token },
        ),
      ),
    );
    return all.flatMap((page) => page.items.filter((o) => o.channel === 'recurring'));
  };
  let orders = await counts();
  for (let waited = 0; orders.length < expected && waited < 600; waited += 2) {
    await new Promise((r) => setTimeout(r, 2000));
    orders = await counts();
  }
  const last = Math.max(...orders.map((o) => o.createdAt));
  const refs = new Set(orders.map((o) => o.channelRef));
  const allPlacedMs = last - t0;
  const figures: RecurringFigures = {
    companies: COMPANIES,
    schedules: expected,
    placed: orders.length,
    duplicates: orders.length - refs.size,
    setupSeconds,
    allPlacedMs,
    ordersPerSecond: Math.round((orders.length / allPlacedMs) * 1000 * 10) / 10,
    messagesFirstFire: first,
    secondFire: second,
  };
  console.log(
    `recurring: ${figures.placed} orders in ${allPlacedMs} ms (${figures.ordersPerSecond} orders/s)`,
  );
  return figures;
}

export function printRecurring(f: RecurringFigures, checkoutsPerSecond: Record<string, number>): void {
  console.log('Recurring orders due at once, next to the checkouts of the same run (orders/s)');
  console.table({
    [`recurring: ${f.schedules} schedules, ${f.companies} companies, all due at once`]: {
      'orders/s': f.ordersPerSecond,
      'all placed in ms': f.allPlacedMs,
      placed: f.placed,
      'placed twice': f.duplicates,
    },
    ...Object.fromEntries(Object.entries(checkoutsPerSecond).map(([k, v]) => [k, { 'orders/s': v }])),
  });
}
