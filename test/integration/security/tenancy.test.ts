import { beforeAll, describe, expect, it } from 'vitest';
import { apiKeys, call, json, loginAs } from '../harness';

interface Ids {
  user: string;
  role: string;
  address: string;
  costCenter: string;
  cart: string;
  order: string;
  approvalPolicy: string;
  budget: string;
  offer: string;
  invitation: string;
  invoice: string;
  recurringOrder: string;
  list: string;
  partNumber: string;
  synonym: string;
}

const first = async (token: string, path: string, headers: Record<string, string> = {}) =>
  (await json<{ items: { id: string }[] }>(await call(path, { token, headers }))).items[0]?.id ?? '';

/** Resources of Globex that Acme's admin must never reach, whatever route or method it tries. */
let globex: Ids;

beforeAll(async () => {
  const page = await json<{ items: { sku: string }[] }>(
    await call('/v1/catalog/products?limit=1', { token: await loginAs('admin@acme.example') }),
  );
  acmeSku = page.items[0]?.sku ?? '';
  const admin = await loginAs('admin@globex.example');
  const globexSku =
    (await json<{ items: { sku: string }[] }>(await call('/v1/catalog/products?limit=1', { token: admin })))
      .items[0]?.sku ?? '';
  const order = await placeOrder(admin);
  const ops = await loginAs('ops@supplier.example');
  const invoiced = await call(`/erp/v1/orders/${order}/events`, {
    method: 'POST',
    token: ops,
    body: {
      eventId: 'tenancy-invoice',
      type: 'invoiced',
      occurredAt: new Date().toISOString(),
      invoice: {
        number: 'INV-GLOBEX-1',
        issueDate: '2030-01-01',
        dueDate: '2030-01-31',
        currency: 'EUR',
        netMinor: 100,
        taxMinor: 20,
        grossMinor: 120,
      },
    },
  });
  if (invoiced.status !== 200) throw new Error(`invoice: ${invoiced.status} ${await invoiced.text()}`);
  const role = await call('/v1/company/roles', {
    method: 'POST',
    token: admin,
    body: { key: 'globex_only', name: 'Globex only', permissions: ['catalog.view'] },
  });
  globex = {
    order,
    user: 'usr_globex_buyer',
    role: (await json<{ id: string }>(role)).id,
    address: await first(admin, '/v1/company/addresses'),
    costCenter: await first(admin, '/v1/company/cost-centers'),
    cart: (
      await json<{ id: string }>(
        await call('/v1/carts', { method: 'POST', token: admin, body: { name: 'Globex secret project' } }),
      )
    ).id,
    approvalPolicy: (
      await json<{ id: string }>(
        await call('/v1/company/approval-policies', {
          method: 'POST',
          token: admin,
          body: { name: 'Globex newcomers', kind: 'first_order', steps: [{ role: 'approver', required: 1 }] },
        }),
      )
    ).id,
    budget: (
      await json<{ id: string }>(
        await call('/v1/company/budgets', {
          method: 'POST',
          token: admin,
          body: { costCenterId: 'cc_globex_inst', period: 'month', amountMinor: 100_000, currency: 'EUR' },
        }),
      )
    ).id,
    list: (
      await json<{ id: string }>(
        await call('/v1/lists', {
          method: 'POST',
          token: admin,
          body: { name: 'Globex secret kit', shared: true, items: [{ sku: globexSku, quantity: 1 }] },
        }),
      )
    ).id,
    partNumber: (
      await json<{ id: string }>(
        await call('/v1/company/part-numbers', {
          method: 'POST',
          token: admin,
          body: { partNumber: 'GLOBEX-OWN-1', sku: globexSku },
        }),
      )
    ).id,
    synonym: (
      await json<{ id: string }>(
        await call('/v1/company/search/synonyms', {
          method: 'POST',
          token: admin,
          body: { kind: 'equivalent', terms: ['Globex secret word', 'Globex jargon'] },
        }),
      )
    ).id,
    invitation: (
      await json<{ id: string }>(
        await call('/v1/company/users', {
          method: 'POST',
          token: admin,
          body: { email: 'newcomer@globex.example', name: 'Newcomer', roleIds: ['role_builtin_viewer'] },
        }),
      )
    ).id,
    invoice: await first(ops, '/v1/invoices', { 'x-company-id': 'co_globex' }),
    recurringOrder: await recurringOrderOf(admin),
    offer: (
      await json<{ id: string }>(
        await call('/v1/admin/offers', {
          method: 'POST',
          token: await loginAs('ops@supplier.example'),
          body: {
            name: 'Globex loyalty',
            currency: 'EUR',
            companyId: 'co_globex',
            kind: 'spend_threshold',
            thresholdMinor: 50_000,
            discountBp: 300,
          },
        }),
      )
    ).id,
  };
});

/** One recurring order of the company behind the token. */
async function recurringOrderOf(token: string): Promise<string> {
  const { items } = await json<{ items: { sku: string }[] }>(
    await call('/v1/catalog/products?limit=1', { token }),
  );
  const res = await call('/v1/recurring-orders', {
    method: 'POST',
    token,
    body: {
      name: 'Globex weekly secret',
      source: { kind: 'lines', lines: [{ sku: items[0]?.sku, quantity: 1 }] },
      frequency: { kind: 'weekly', weekdays: ['mon'] },
    },
  });
  if (res.status !== 201) throw new Error(`recurring order: ${res.status} ${await res.text()}`);
  return (await json<{ id: string }>(res)).id;
}

/** One real order of the company behind the token. */
async function placeOrder(token: string): Promise<string> {
  const { items } = await json<{ items: { sku: string }[] }>(
    await call('/v1/catalog/products?limit=1', { token }),
  );
  const cart = await json<{ id: string }>(
    await call('/v1/carts', { method: 'POST', token, body: { name: 'Order' } }),
  );
  await call(`/v1/carts/${cart.id}/lines`, {
    method: 'POST',
    token,
    body: { lines: [{ sku: items[0]?.sku, quantity: 1 }] },
  });
  const placed = await call(`/v1/carts/${cart.id}/checkout`, {
    method: 'POST',
    token,
    body: {},
    headers: { 'idempotency-key': 'tenancy-order' },
  });
  if (placed.status !== 201) throw new Error(`checkout: ${placed.status} ${await placed.text()}`);
  return (await json<{ orderId: string }>(placed)).orderId;
}

/** A valid body, so that validation passes and the request reaches the question of whose resource it is. */
function bodyFor(method: string, template: string, segment: string): unknown {
  if (template.startsWith('/v1/quotes/{id}/')) {
    const action = template.slice('/v1/quotes/{id}/'.length);
    const bodies: Record<string, unknown> = {
      counter: { lines: [{ lineNo: 1, quantity: 2 }] },
      accept: { version: 2 },
      decline: { reason: 'Hijacked' },
      withdraw: {},
      quote: { lines: [{ lineNo: 1, discountBps: 100 }], validUntil: '2099-12-31' },
    };
    return method === 'post' ? bodies[action] : undefined;
  }
  if (template.startsWith('/v1/recurring-orders/')) {
    if (template.endsWith('/quantities')) return { scope: 'next', lines: [{ sku: acmeSku, quantity: 1 }] };
    if (template.endsWith('/pause')) return {};
    return method === 'patch' ? { name: 'Hijacked' } : undefined;
  }
  if (template.includes('/search/synonyms/'))
    return method === 'put' ? { kind: 'equivalent', terms: ['hijacked', 'taken over'] } : undefined;
  if (template.endsWith('/lines/{lineId}') || template.endsWith('/items/{itemId}'))
    return method === 'patch' ? { quantity: 1 } : undefined;
  if (template.endsWith('/items')) return { items: [{ sku: acmeSku, quantity: 1 }] };
  if (template.endsWith('/add-to-cart') || template.endsWith('/reorder')) return {};
  if (template.endsWith('/import')) return { text: `${acmeSku} 1` };
  if (template === '/v1/lists/{id}') return method === 'patch' ? { name: 'Hijacked' } : undefined;
  if (template.endsWith('/checkout')) return method === 'post' ? {} : undefined;
  if (template.endsWith('/problems')) return method === 'post' ? { kind: 'damaged', quantity: 1 } : undefined;
  // the ERP's JSON writes: a body gets past the content-type guard to the permission check
  if (template.startsWith('/erp/v1/')) return method === 'get' ? undefined : {};
  if (template.endsWith('/lines'))
    return method === 'post' ? { lines: [{ sku: acmeSku, quantity: 1 }] } : undefined;
  return method === 'patch' ? PATCH_BODIES[segment] : undefined;
}

let acmeSku = '';

const PATCH_BODIES: Record<string, unknown> = {
  users: { name: 'Hijacked' },
  roles: { name: 'Hijacked' },
  addresses: { name: 'Hijacked' },
  'cost-centers': { name: 'Hijacked' },
  carts: { name: 'Hijacked' },
  'approval-policies': { name: 'Hijacked' },
  budgets: { amountMinor: 1 },
  offers: { name: 'Hijacked' },
  'part-numbers': { description: 'Hijacked' },
};

const idFor = (path: string): string | undefined => {
  if (path.startsWith('/v1/company/users/')) return globex.user;
  if (path.startsWith('/v1/company/roles/')) return globex.role;
  if (path.startsWith('/v1/company/addresses/')) return globex.address;
  if (path.startsWith('/v1/company/cost-centers/')) return globex.costCenter;
  if (path.startsWith('/v1/company/approval-policies/')) return globex.approvalPolicy;
  if (path.startsWith('/v1/company/budgets/')) return globex.budget;
  if (path.startsWith('/v1/company/invitations/')) return globex.invitation;
  if (path.startsWith('/v1/admin/companies/')) return 'co_globex';
  if (path.startsWith('/v1/admin/api-keys/')) return 'key_erp';
  if (path.startsWith('/v1/admin/price-lists/')) return 'pl_eur';
  if (path.startsWith('/v1/admin/customer-groups/')) return 'grp_key_accounts';
  if (path.startsWith('/v1/admin/contracts/')) return 'ctr_globex';
  if (path.startsWith('/v1/admin/assortment-rules/')) return 'asr_acme_1';
  if (path.startsWith('/v1/admin/price-index/')) return 'co_globex';
  if (path.startsWith('/v1/admin/offers/')) return globex.offer;
  if (path.startsWith('/v1/admin/orders/')) return globex.order;
  if (path.startsWith('/v1/carts/')) return globex.cart;
  if (path.startsWith('/v1/orders/')) return globex.order;
  if (path.startsWith('/v1/invoices/')) return globex.invoice;
  if (path.startsWith('/erp/v1/orders/')) return globex.order;
  if (path.startsWith('/v1/approvals/')) return globex.order;
  if (path.startsWith('/v1/delegations/')) return 'dlg_globex_any';
  // the ERP's imports belong to the supplier: a customer is stopped by the missing permission
  if (path.startsWith('/v1/admin/imports/')) return 'imp_any_job';
  // punch-out partners, their log and sessions are supplier administration: the permission stops a customer
  if (path.startsWith('/v1/admin/punchout/')) return 'pop_any_partner';
  if (path.startsWith('/erp/v1/imports/')) return 'imp_any_job';
  // punch-out paths carry a session's secret (start code, shop key), not a company's id: another
  // company's secret is a credential nobody else holds, so a made-up one stands for it (401)
  if (path.startsWith('/punchout/')) return 'another_companys_code';
  // a quote id of another company answers like one that does not exist: 404 before anything is read
  if (path.startsWith('/v1/quotes/')) return 'quo_globex_any';
  if (path.startsWith('/v1/recurring-orders/')) return globex.recurringOrder;
  if (path.startsWith('/v1/lists/')) return globex.list;
  if (path.startsWith('/v1/company/part-numbers/')) return globex.partNumber;
  if (path.startsWith('/v1/company/search/synonyms/')) return globex.synonym;
  // the catalog's synonyms are the supplier's: a customer is stopped by the missing permission
  if (path.startsWith('/v1/admin/search/synonyms/')) return 'syn_catalog_01';
  if (path.startsWith('/erp/v1/stock/') || path.startsWith('/erp/v1/list-prices/')) return acmeSku;
  // the rep's workspace is the supplier's: a customer is stopped by the missing permission
  if (path.startsWith('/v1/rep/carts/')) return globex.cart;
  return undefined;
};

/**
 * Acme's admin holds every customer permission, so a customer route answering anything but 404 for a Globex
 * id would be telling it something. The supplier routes (/v1/admin, the ERP's /erp/v1) need a supplier
 * permission it lacks outright (so does the rep's answer to a quote): 403 there, before any id is looked at.
 */
const expectedFor = (template: string): number =>
  template.startsWith('/punchout/')
    ? 401
    : template.startsWith('/v1/admin/') ||
        template.startsWith('/erp/v1/') ||
        template.startsWith('/v1/rep/') ||
        // the rep's answer to a quote needs quotes.respond, a supplier permission
        template === '/v1/quotes/{id}/quote'
      ? 403
      : 404;

describe('tenant isolation over every route with an id', () => {
  it("Acme's admin gets 404 (403 where it lacks the permission) and no data for Globex's ids, on every method", async () => {
    const doc = await json<{ paths: Record<string, Record<string, unknown>> }>(await call('/openapi.json'));
    const token = await loginAs('admin@acme.example');
    const templated = Object.keys(doc.paths).filter((p) => p.includes('{') && !p.startsWith('/v1/catalog/'));
    expect(templated.length).toBeGreaterThanOrEqual(6);
    for (const template of templated) {
      const id = idFor(template);
      expect(id, `no foreign id mapped for ${template}: add it to this test`).toBeTruthy();
      // every parameter gets the foreign id: a line id that is Globex's cart id is still not Acme's
      // …except a line number, which is a number (line 1 of Globex's order is still not Acme's)
      const path = template.replace(/\{([^}]+)\}/g, (_, name: string) =>
        name === 'lineNo' ? '1' : (id ?? ''),
      );
      for (const method of Object.keys(doc.paths[template] ?? {})) {
        const segment = template.split('/')[2] === 'carts' ? 'carts' : (template.split('/')[3] ?? '');
        const body = bodyFor(method, template, segment);
        // checkout needs its key before it looks at the cart
        const headers = { 'idempotency-key': 'tenancy-probe' };
        const res = await call(path, { method: method.toUpperCase(), token, body, headers });
        expect(res.status, `${method} ${path}`).toBe(expectedFor(template));
        const text = await res.text();
        expect(text).not.toContain('globex.example');
        expect(text).not.toContain('Globex');
      }
    }
    // …and nothing changed on Globex's side
    const globexAdmin = await loginAs('admin@globex.example');
    const user = await json<{ name: string }>(
      await call(`/v1/company/users/${globex.user}`, { token: globexAdmin }),
    );
    expect(user.name).not.toBe('Hijacked');
  });

  it('lists only ever show the caller’s company', async () => {
    const token = await loginAs('admin@acme.example');
    for (const path of [
      '/v1/company/users',
      '/v1/company/roles',
      '/v1/company/addresses',
      '/v1/company/cost-centers',
      '/v1/audit',
      '/v1/carts',
      '/v1/orders',
      '/v1/recurring-orders',
      '/v1/lists',
      '/v1/company/part-numbers',
      '/v1/company/search/synonyms?include=catalog',
      '/v1/catalog/frequently-ordered?scope=company',
      '/v1/search?limit=100',
      '/v1/search/suggest?q=ac',
    ]) {
      const text = await (await call(path, { token })).text();
      expect(text, path).not.toMatch(/globex|initech/i);
    }
  });

  it('a customer cannot switch company with X-Company-Id', async () => {
    const token = await loginAs('admin@acme.example');
    expect(
      (await call('/v1/company/users', { token, headers: { 'x-company-id': 'co_globex' } })).status,
    ).toBe(404);
    expect((await call('/v1/company', { token, headers: { 'x-company-id': 'co_acme_lyon' } })).status).toBe(
      404,
    );
    expect(
      (await call('/v1/company', { token: apiKeys().partner, headers: { 'x-company-id': 'co_globex' } }))
        .status,
    ).toBe(404);
  });

  it('a sales rep naming an unassigned company gets 404 on every route that acts for a company', async () => {
    const doc = await json<{ paths: Record<string, Record<string, unknown>> }>(await call('/openapi.json'));
    const rep = await loginAs('rep@supplier.example');
    const actingForACompany = Object.keys(doc.paths).filter((p) =>
      /^\/v1\/(company|audit|carts|orders|approvals|delegations|prices|catalog|search|recurring-orders|lists|quick-order)(\/|$)/.test(
        p,
      ),
    );
    expect(actingForACompany.length).toBeGreaterThanOrEqual(20);
    const headers = { 'x-company-id': 'co_initech', 'idempotency-key': 'tenancy-rep' };
    for (const template of actingForACompany) {
      const path = template.replace(/\{[^}]+\}/g, 'x_other_1');
      for (const method of Object.keys(doc.paths[template] ?? {})) {
        const segment = template.split('/')[2] === 'carts' ? 'carts' : (template.split('/')[3] ?? '');
        const body =
          bodyFor(method, template, segment) ?? (method === 'get' || method === 'delete' ? undefined : {});
        const res = await call(path, { method: method.toUpperCase(), token: rep, body, headers });
        expect(res.status, `${method} ${path}`).toBe(404);
        expect(await res.text()).not.toMatch(/initech/i);
      }
    }
    // assigned, the same rep is let in (and stopped only by what its role may do)
    const assigned = { 'x-company-id': 'co_acme' };
    expect((await call('/v1/carts', { token: rep, headers: assigned })).status).toBe(403);
    expect((await call('/v1/orders', { token: rep, headers: assigned })).status).toBe(200);
    expect((await call('/v1/catalog/products?limit=1', { token: rep, headers: assigned })).status).toBe(200);
  });

  it('a sales rep reaches only assigned accounts; a platform admin reaches any', async () => {
    const rep = await loginAs('rep@supplier.example');
    const ops = await loginAs('ops@supplier.example');
    expect((await call('/v1/audit', { token: rep, headers: { 'x-company-id': 'co_acme' } })).status).toBe(
      200,
    );
    expect((await call('/v1/audit', { token: rep, headers: { 'x-company-id': 'co_initech' } })).status).toBe(
      404,
    );
    expect((await call('/v1/admin/companies/co_initech', { token: rep })).status).toBe(404);
    const accounts = await json<{ items: { id: string }[] }>(
      await call('/v1/admin/companies', { token: rep }),
    );
    expect(accounts.items.map((c) => c.id).sort()).toEqual(['co_acme', 'co_acme_lyon', 'co_globex']);
    expect(
      (await call('/v1/company/users', { token: ops, headers: { 'x-company-id': 'co_initech' } })).status,
    ).toBe(200);
    expect((await call('/v1/company/users', { token: ops })).status).toBe(400);
  });
});
