import {
  createExecutionContext,
  createMessageBatch,
  env,
  getQueueResult,
  waitOnExecutionContext,
} from 'cloudflare:test';
import worker from '../../src/index';
import type { ImportMessage } from '../../src/services/erp-import/pipeline/work';
import { call, json, loginAs } from './harness';

/**
 * The import pipeline driven by hand: what the Worker sends to `erp-import` is recorded instead of
 * delivered, and `drain()` hands it to the Worker's own queue handler, so a test sees every step in order.
 */
export const sent: ImportMessage[] = [];
const recorder = {
  send: async (body: ImportMessage) => {
    sent.push(body);
  },
  sendBatch: async (messages: Iterable<{ body: ImportMessage }>) => {
    for (const m of messages) sent.push(m.body);
  },
} as unknown as Queue;

export const testEnv = (extra: Partial<Env> = {}): Env => ({ ...env, ERP_IMPORT_QUEUE: recorder, ...extra });

let erpKey = '';
/** A platform API key with scope erp:write, made the way a supplier makes one. */
export async function erpToken(): Promise<string> {
  if (erpKey) return erpKey;
  const res = await call('/v1/admin/api-keys', {
    method: 'POST',
    token: await loginAs('ops@supplier.example'),
    body: { name: 'ERP import tests', companyId: null, scopes: ['erp:write'] },
  });
  if (res.status !== 201) throw new Error(`api key: ${res.status} ${await res.text()}`);
  erpKey = (await json<{ key: string }>(res)).key;
  return erpKey;
}

export async function request(
  path: string,
  init: { method?: string; body?: BodyInit | null; headers?: Record<string, string> } = {},
  extra: Partial<Env> = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has('authorization')) headers.set('authorization', `Bearer ${await erpToken()}`);
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`https://api.test${path}`, { method: init.method ?? 'GET', body: init.body, headers }),
    testEnv(extra),
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

export const upload = (kind: string, body: BodyInit | null, contentType: string, extra: Partial<Env> = {}) =>
  request(
    `/erp/v1/imports/${kind}`,
    { method: 'POST', body, headers: { 'content-type': contentType } },
    extra,
  );

let messageSeq = 0;
/** Delivers one message to the Worker's queue handler, as Queues would, and answers acked or retried. */
export async function deliver(
  body: unknown,
  {
    attempts = 1,
    queue = 'erp-import',
    extra = {},
  }: { attempts?: number; queue?: string; extra?: Partial<Env> } = {},
) {
  const id = `imp-msg-${++messageSeq}`;
  const batch = createMessageBatch(queue, [{ id, timestamp: new Date(), attempts, body }]);
  const ctx = createExecutionContext();
  await worker.queue(batch, testEnv(extra), ctx);
  const result = await getQueueResult(batch, ctx);
  return {
    acked: result.explicitAcks.includes(id),
    retried: result.retryMessages.some((m) => m.msgId === id),
  };
}

/** Runs every recorded message (and those they send) until none is left; answers what was retried. */
export async function drain(extra: Partial<Env> = {}): Promise<ImportMessage[]> {
  const retried: ImportMessage[] = [];
  while (sent.length > 0) {
    const message = sent.shift() as ImportMessage;
    const outcome = await deliver(message, { extra });
    if (outcome.retried) retried.push(message);
  }
  return retried;
}

export interface JobView {
  id: string;
  kind: string;
  status: string;
  encoding: string | null;
  counts: { received: number; applied: number; unchanged: number; skippedOlder: number; rejected: number };
  chunks: { total: number | null; applied: number };
  progressPercent: number;
  error: string | null;
  rejects: { first: { rowNo: number; column: string | null; reason: string }[]; href: string; csv: string };
}

export const jobOf = async (id: string): Promise<JobView> =>
  json<JobView>(await request(`/erp/v1/imports/${id}`));

/** Uploads, runs the pipeline to its end and answers the job. */
export async function importAll(kind: string, body: BodyInit, contentType: string): Promise<JobView> {
  const res = await upload(kind, body, contentType);
  if (res.status !== 202) throw new Error(`upload: ${res.status} ${await res.text()}`);
  const { id } = await json<{ id: string }>(res);
  await drain();
  return jobOf(id);
}

/** Real SKUs of the seeded catalog, in order. */
export async function skus(n: number): Promise<string[]> {
  const rows = await env.DB.prepare('SELECT sku FROM products ORDER BY sku LIMIT ?')
    .bind(n)
    .all<{ sku: string }>();
  return rows.results.map((r) => r.sku);
}

export const stockOf = (sku: string, warehouse: string) =>
  env.DB.prepare(
    'SELECT on_hand AS onHand, next_availability_date AS next, erp_version AS version FROM stock WHERE sku = ? AND warehouse = ?',
  )
    .bind(sku, warehouse)
    .first<{ onHand: number; next: string | null; version: number | null }>();

/** Windows-1252 bytes of a text made of Latin-1 letters and the euro sign. */
export function windows1252(text: string): Uint8Array {
  return Uint8Array.from([...text], (ch) => {
    if (ch === '€') return 0x80;
    const code = ch.charCodeAt(0);
    if (code > 0xff) throw new Error(`not in this small table: ${ch}`);
    return code;
  });
}
