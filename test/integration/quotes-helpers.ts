import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import worker from '../../src/index';
import { call, json, loginAs } from './harness';
import { all, first } from './pricing-helpers';

/** Shared steps of the quote tests: tokens, a request, a quote, counting what was stored. */
export const DAY = 86_400_000;
export const ymd = (at: number) => new Date(at).toISOString().slice(0, 10);

export interface QuoteLine {
  lineNo: number;
  sku: string;
  quantity: number;
  unitPriceMinor: number | null;
  discountBps: number | null;
  contractUnitPriceMinor: number | null;
  targetUnitPriceMinor: number | null;
  note: string | null;
  discountPercent: number | null;
  marginPercent: null;
}
export interface QuoteView {
  id: string;
  number: string;
  state: string;
  currentVersion: number;
  repUserId: string | null;
  validUntil: string | null;
  orderId: string | null;
  versions: { version: number; kind: string; lines: QuoteLine[]; totalMinor: number | null }[];
}

export const tokens = async () => ({
  buyer: await loginAs('buyer@acme.example'),
  admin: await loginAs('admin@acme.example'),
  rep: await loginAs('rep@supplier.example'),
  ops: await loginAs('ops@supplier.example'),
  globex: await loginAs('buyer@globex.example'),
});

export const acme = { 'x-company-id': 'co_acme' };

/** Calls the Worker at a given instant (its TEST_CLOCK). */
export async function callAt(
  path: string,
  o: { method?: string; token?: string; body?: unknown },
  clock: number,
) {
  const headers = new Headers(o.token ? { authorization: `Bearer ${o.token}` } : {});
  if (o.body !== undefined) headers.set('content-type', 'application/json');
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`https://api.test${path}`, {
      method: o.method ?? 'GET',
      headers,
      body: o.body === undefined ? undefined : JSON.stringify(o.body),
    }),
    { ...env, TEST_CLOCK: () => clock },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

export async function requestQuote(
  token: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  const res = await call('/v1/quotes', { method: 'POST', token, body, headers });
  if (res.status !== 201) throw new Error(`request: ${res.status} ${await res.text()}`);
  return json<QuoteView>(res);
}

export const post = (path: string, token: string, body: unknown, headers: Record<string, string> = {}) =>
  call(path, { method: 'POST', token, body, headers });

/** The rep prices every line of the current version at the contract price minus 10 %. */
export async function quoteAll(rep: string, q: QuoteView, validUntil = ymd(Date.now() + 30 * DAY)) {
  const current = q.versions.at(-1);
  const res = await post(
    `/v1/quotes/${q.id}/quote`,
    rep,
    {
      lines: (current?.lines ?? []).map((l) => ({ lineNo: l.lineNo, discountBps: 1000 })),
      validUntil,
      paymentTerms: '30 days net',
    },
    acme,
  );
  if (res.status !== 200) throw new Error(`quote: ${res.status} ${await res.text()}`);
  return json<QuoteView>(res);
}

export const counts = async () => {
  const row = await first<{ q: number; v: number; l: number; a: number; o: number }>(
    `SELECT (SELECT count(*) FROM quotes) AS q, (SELECT count(*) FROM quote_versions) AS v,
       (SELECT count(*) FROM quote_lines) AS l, (SELECT count(*) FROM audit_log WHERE target_type = 'quote') AS a,
       (SELECT count(*) FROM outbox WHERE id LIKE 'obx_%quote_%') AS o`,
  );
  return row;
};

/** A product Acme does not see (its excluded category). */
export const hiddenSku = async () =>
  (
    await first<{ sku: string }>(
      `SELECT sku FROM products WHERE category_path LIKE (SELECT target FROM assortment_rules WHERE company_id = 'co_acme' AND effect = 'exclude') || '%' LIMIT 1`,
    )
  ).sku;

export const ordersOfQuote = (quoteId: string) =>
  all<{ id: string; channel: string; channel_ref: string }>(
    'SELECT id, channel, channel_ref FROM orders WHERE channel_ref = ?',
    quoteId,
  );

/** A second sales rep, of no company: every quote route answers them 404. */
export async function otherRep(): Promise<string> {
  await env.DB.batch([
    env.DB.prepare(
      `INSERT OR IGNORE INTO users (id, company_id, email, name, password_hash, status, created_at)
       SELECT 'usr_rep_other', NULL, 'rep2@supplier.example', 'Other Rep', password_hash, 'active', created_at FROM users WHERE id = 'usr_rep'`,
    ),
    env.DB.prepare(
      `INSERT OR IGNORE INTO user_roles (user_id, role_id) SELECT 'usr_rep_other', role_id FROM user_roles WHERE user_id = 'usr_rep'`,
    ),
  ]);
  return loginAs('rep2@supplier.example');
}

/** A sign-in at a given instant: its token is valid then (tokens live 15 minutes). */
export async function loginAt(email: string, clock: number): Promise<string> {
  const res = await callAt(
    '/v1/auth/login',
    { method: 'POST', body: { email, password: 'demo1234' } },
    clock,
  );
  return ((await res.json()) as { accessToken: string }).accessToken;
}
