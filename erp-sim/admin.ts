import { IMPORT_KINDS } from '../src/domain/erp-terms';
import type { SimEngine } from './engine';
import { parseFaultsPatch } from './faults';
import { errorAnswer, isPositiveInt, isRecord, json, readJson } from './http';
import { plannedSteps } from './lifecycle';
import type { DeltaInput, ErpOrder, LifecycleTimings, PushFormat } from './types';

/**
 * The simulator's own admin HTTP (never faulty, so a fault can always be switched off) and the read-only
 * view of what the ERP holds (`GET /orders`), which tests use to prove "exactly once".
 */

export const ADMIN_ENDPOINTS = [
  'GET    /orders[?orderId=]            what the ERP holds, with counts per order id',
  'GET    /orders/{orderId}             one order: document, lifecycle, events',
  'GET    /admin/faults                 PUT (merge) | DELETE (clear) the switchable faults',
  'GET    /admin/clock                  POST /admin/clock/advance {"ms":N} | POST /admin/clock/tick',
  'POST   /admin/flush                  send pending events again without moving the clock',
  'GET    /admin/events[?state=&orderId=]  events sent to the backend and their answers',
  'POST   /admin/push/{kind}            {"count":N} or {"rows":[…]}, "format":"ndjson|csv|json" → imports',
  'POST   /admin/deltas/{kind}          queue rows for the nightly pull (GET /deltas/{kind})',
  'GET    /admin/pushes | /admin/calls  pushes made; ERP calls received (with the fault each met)',
  'GET    /admin/config                 PUT {"backendUrl","apiKey"}; POST /admin/reset forgets everything',
];

/** received → acknowledged → partially_shipped → shipped → delivered → invoiced, or cancelled. */
export function erpOrderStatus(order: ErpOrder, timings: LifecycleTimings): string {
  const count = (prefix: string) => order.emitted.filter((id) => id.startsWith(prefix)).length;
  if (order.cancelledAt !== null) return 'cancelled';
  if (count('invoice') > 0) return 'invoiced';
  const shipments = plannedSteps(order, timings).filter((s) => s.type === 'shipped').length;
  const shipped = count('ship-');
  if (shipped === 0) return count('ack') > 0 ? 'acknowledged' : 'received';
  if (shipped < shipments) return 'partially_shipped';
  return count('deliver-') === shipments ? 'delivered' : 'shipped';
}

export const orderSummary = (order: ErpOrder, timings: LifecycleTimings) => ({
  orderId: order.orderId,
  erpOrderNumber: order.erpOrderNumber,
  idempotencyKey: order.idempotencyKey,
  posts: order.posts,
  receivedAt: new Date(order.receivedAt).toISOString(),
  status: erpOrderStatus(order, timings),
  lines: order.lines,
  receipts: order.receipts.length,
  problemReports: order.problemReports.length,
});

/** ERP orders per platform order id: 1 everywhere means every order arrived exactly once. */
export function countsByOrderId(orders: readonly ErpOrder[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of orders) counts[o.orderId] = (counts[o.orderId] ?? 0) + 1;
  return counts;
}

export function inspectOrders(engine: SimEngine, url: URL, orderId: string | undefined): Response {
  const only = orderId ?? url.searchParams.get('orderId');
  const orders = engine.state.orders.filter((o) => !only || o.orderId === only);
  if (orderId) {
    if (orders.length === 0) return errorAnswer(404, 'unknown_order', `the ERP has no order ${orderId}`);
    const events = engine.state.events.filter((e) => e.orderId === orderId);
    return json(200, { orders: orders.map((o) => ({ ...o, ...orderSummary(o, engine.timings) })), events });
  }
  return json(200, {
    total: orders.length,
    counts: countsByOrderId(orders),
    orders: orders.map((o) => orderSummary(o, engine.timings)),
  });
}

const FORMATS: readonly PushFormat[] = ['ndjson', 'csv', 'json'];

function deltaInput(
  body: unknown,
): { ok: true; input: DeltaInput; format: PushFormat } | { ok: false; error: string } {
  if (!isRecord(body)) return { ok: false, error: 'a JSON object: {"count":N} or {"rows":[…]}' };
  const format = (body.format ?? 'ndjson') as PushFormat;
  if (!FORMATS.includes(format)) return { ok: false, error: 'format: ndjson, csv or json' };
  if (body.rows !== undefined) {
    if (!Array.isArray(body.rows) || !body.rows.every(isRecord))
      return { ok: false, error: 'rows: JSON objects' };
    return { ok: true, input: { rows: body.rows }, format };
  }
  const count = body.count ?? 10;
  if (!isPositiveInt(count) || count > 200_000) return { ok: false, error: 'count: 1 to 200000' };
  return { ok: true, input: { count }, format };
}

async function deltaRoute(engine: SimEngine, request: Request, action: string, kindName: string | undefined) {
  const kind = IMPORT_KINDS.find((k) => k === kindName);
  if (!kind) return errorAnswer(404, 'unknown_kind', `kinds: ${IMPORT_KINDS.join(', ')}`);
  const read = await readJson(request, {});
  if (!read.ok) return read.response;
  const parsed = deltaInput(read.value);
  if (!parsed.ok) return errorAnswer(422, 'invalid_request', parsed.error);
  const rows = engine.deltaRows(kind, parsed.input);
  if (typeof rows === 'string') return errorAnswer(422, 'invalid_request', rows);
  if (action === 'deltas') {
    engine.queueDeltas(kind, rows);
    return json(200, { queued: rows.length, rows });
  }
  if (!engine.backendUrl) return errorAnswer(409, 'no_backend', 'set backendUrl first (PUT /admin/config)');
  return json(200, await engine.push(kind, rows, parsed.format));
}

async function faultsRoute(engine: SimEngine, request: Request): Promise<Response> {
  if (request.method === 'GET') return json(200, engine.currentFaults());
  if (request.method === 'DELETE') return json(200, engine.clearFaults());
  const read = await readJson(request, {});
  if (!read.ok) return read.response;
  const parsed = parseFaultsPatch(read.value);
  if (!parsed.ok) return errorAnswer(422, 'invalid_faults', parsed.error);
  return json(200, engine.setFaults(parsed.patch));
}

async function configRoute(engine: SimEngine, request: Request): Promise<Response> {
  if (request.method === 'PUT' || request.method === 'POST') {
    const read = await readJson(request, {});
    if (!read.ok) return read.response;
    const body = read.value;
    if (!isRecord(body)) return errorAnswer(422, 'invalid_config', 'a JSON object');
    if (typeof body.backendUrl === 'string') engine.backendUrl = body.backendUrl.replace(/\/+$/, '');
    if (typeof body.apiKey === 'string') engine.apiKey = body.apiKey;
  }
  // the key itself stays out of answers: it is a credential
  return json(200, {
    backendUrl: engine.backendUrl,
    apiKey: engine.apiKey ? 'set' : null,
    timings: engine.timings,
  });
}

async function clockRoute(engine: SimEngine, request: Request, action: string | undefined) {
  if (request.method === 'GET' && !action)
    return json(200, { now: new Date(engine.state.now).toISOString() });
  if (request.method !== 'POST' || (action !== 'advance' && action !== 'tick')) {
    return errorAnswer(404, 'not_found', 'POST /admin/clock/advance {"ms":N} or POST /admin/clock/tick');
  }
  const read = await readJson(request, {});
  if (!read.ok) return read.response;
  const ms = isRecord(read.value) ? (read.value.ms ?? (action === 'tick' ? 60_000 : undefined)) : undefined;
  if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 0) {
    return errorAnswer(422, 'invalid_request', 'ms: a whole number ≥ 0');
  }
  const report = await engine.advance(ms);
  return json(200, { ...report, now: new Date(report.now).toISOString() });
}

export async function handleAdmin(engine: SimEngine, request: Request, url: URL, parts: string[]) {
  const [, area, arg] = parts;
  const get = request.method === 'GET';
  if (!area) return json(200, { endpoints: ADMIN_ENDPOINTS });
  if (area === 'faults') return faultsRoute(engine, request);
  if (area === 'clock') return clockRoute(engine, request, arg);
  if (area === 'config') return configRoute(engine, request);
  if ((area === 'push' || area === 'deltas') && request.method === 'POST')
    return deltaRoute(engine, request, area, arg);
  if (area === 'flush' && request.method === 'POST') return json(200, await engine.advance(0));
  if (area === 'reset' && request.method === 'POST') {
    engine.reset();
    return json(200, { reset: true });
  }
  if (area === 'events' && get) {
    const state = url.searchParams.get('state');
    const orderId = url.searchParams.get('orderId');
    const events = engine.state.events.filter(
      (e) => (!state || e.state === state) && (!orderId || e.orderId === orderId),
    );
    return json(200, { total: events.length, events });
  }
  if (area === 'pushes' && get) return json(200, { pushes: engine.pushes });
  if (area === 'calls' && get) return json(200, { calls: engine.calls });
  return errorAnswer(404, 'not_found', `${request.method} ${url.pathname}: see GET /admin`);
}
