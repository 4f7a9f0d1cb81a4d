import { IMPORT_KINDS, type ImportKind } from '../src/domain/erp-terms';
import { decodeCursor, pageOf } from './deltas';
import type { SimEngine } from './engine';
import { takeInboundFault } from './faults';
import { decodeSegment, defaultSleep, errorAnswer, json, readJson, SimulatedNetworkError } from './http';
import { hasShipped } from './lifecycle';
import { FOLLOW_UPS, type FollowUpKind, parseFollowUp, parseOrderDocument } from './orders';
import type { ErpOrder, StoredAnswer } from './types';

/**
 * The ERP API the backend calls (docs/erp.md): orders and what follows them, and the delta feed of the
 * nightly pull. Every call here meets the switchable faults first.
 */

const idempotencyKeyOf = (request: Request) => request.headers.get('idempotency-key')?.trim() || null;
const keyRequired = () =>
  errorAnswer(400, 'idempotency_key_required', 'send the Idempotency-Key header (docs/erp.md)');

async function receiveOrder(engine: SimEngine, request: Request): Promise<Response> {
  const key = idempotencyKeyOf(request);
  if (!key) return keyRequired();
  const known = engine.orderByKey(key);
  if (known) {
    // a replay: the first answer again, never a second order
    known.posts++;
    engine.changed();
    return json(200, { erpOrderNumber: known.erpOrderNumber });
  }
  const read = await readJson(request);
  if (!read.ok) return read.response;
  const parsed = parseOrderDocument(read.value);
  if (!parsed.ok) {
    return errorAnswer(422, 'invalid_order', 'the order document is incomplete', { issues: parsed.issues });
  }
  const order = engine.createOrder(key, parsed.doc, read.value as Record<string, unknown>);
  return json(201, { erpOrderNumber: order.erpOrderNumber });
}

function followUpAnswer(
  engine: SimEngine,
  order: ErpOrder,
  kind: FollowUpKind,
  body: Record<string, unknown>,
) {
  const { erpOrderNumber } = order;
  if (kind === 'cancellation') {
    if (order.cancelledAt !== null) return { status: 200, body: { status: 'cancelled', erpOrderNumber } };
    if (hasShipped(order, engine.timings, engine.state.now)) {
      return { status: 422, body: { error: 'already_shipped', detail: `${erpOrderNumber} has shipped` } };
    }
    order.cancelledAt = engine.state.now;
    return { status: 200, body: { status: 'cancelled', erpOrderNumber } };
  }
  if (kind === 'receipts') {
    order.receipts.push(body);
    return { status: 201, body: { receiptId: `${erpOrderNumber}-R${order.receipts.length}` } };
  }
  order.problemReports.push(body);
  const caseNumber = `RMA-${erpOrderNumber.replace(/\D/g, '')}-${order.problemReports.length}`;
  return { status: 201, body: { caseNumber } };
}

async function receiveFollowUp(engine: SimEngine, request: Request, orderId: string, kind: FollowUpKind) {
  const key = idempotencyKeyOf(request);
  if (!key) return keyRequired();
  const answerKey = `${kind} ${orderId} ${key}`;
  const stored = engine.answerFor(answerKey);
  if (stored) return json(stored.status === 201 ? 200 : stored.status, stored.body);
  const order = engine.orderById(orderId);
  if (!order) return errorAnswer(404, 'unknown_order', `the ERP has no order ${orderId}`);
  const read = await readJson(request);
  if (!read.ok) return read.response;
  const issues = parseFollowUp(kind, read.value);
  if (issues.length > 0)
    return errorAnswer(422, 'invalid_document', `the ${kind} document is incomplete`, { issues });
  const answer: StoredAnswer = followUpAnswer(engine, order, kind, read.value as Record<string, unknown>);
  engine.storeAnswer(answerKey, answer);
  return json(answer.status, answer.body);
}

function deltas(engine: SimEngine, url: URL, kind: ImportKind): Response {
  const limitText = url.searchParams.get('limit');
  const limit = limitText === null ? 500 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 5000) {
    return errorAnswer(400, 'invalid_limit', 'limit: a whole number from 1 to 5000');
  }
  const cursor = url.searchParams.get('cursor');
  const after = cursor ? decodeCursor(kind, cursor) : 0;
  if (after === null)
    return errorAnswer(400, 'invalid_cursor', 'the cursor was not issued by this ERP for this kind');
  return json(200, pageOf(kind, engine.state.deltas[kind] ?? [], after, limit));
}

function route(engine: SimEngine, request: Request, url: URL, path: string): Promise<Response> | Response {
  const parts = path.split('/').filter(Boolean).map(decodeSegment);
  const [resource, id, sub] = parts;
  if (request.method === 'POST' && resource === 'orders' && parts.length === 1)
    return receiveOrder(engine, request);
  const followUp = FOLLOW_UPS.find((f) => f === sub);
  if (request.method === 'POST' && resource === 'orders' && id && followUp && parts.length === 3) {
    return receiveFollowUp(engine, request, id, followUp);
  }
  const kind = IMPORT_KINDS.find((k) => k === id);
  if (request.method === 'GET' && resource === 'deltas' && kind && parts.length === 2)
    return deltas(engine, url, kind);
  return errorAnswer(404, 'not_found', `${request.method} ${path} is not part of the ERP API`);
}

/** One ERP call: faults first (down, slow, 429, 500), then the call, then perhaps a lost answer. */
export async function handleErpCall(engine: SimEngine, request: Request, url: URL, path: string) {
  const taken = takeInboundFault(engine.currentFaults());
  engine.faults = taken.faults;
  const { fault } = taken;
  const record = (status: number | null, name: string | null) =>
    engine.recordCall({ method: request.method, path, status, fault: name });
  if (fault.kind === 'down') {
    record(null, 'down');
    throw new SimulatedNetworkError('connection refused: the ERP simulator is down');
  }
  if (engine.faults.slowMs > 0) await (engine.options.sleep ?? defaultSleep)(engine.faults.slowMs);
  if (fault.kind === 'rateLimited') {
    record(429, 'rateLimit429');
    const retryAfter = String(fault.retryAfterSeconds);
    return errorAnswer(429, 'rate_limited', 'too many requests', {}, { 'retry-after': retryAfter });
  }
  if (fault.kind === 'error500') {
    record(500, 'error500');
    return errorAnswer(500, 'internal_error', 'the ERP failed (simulated)');
  }
  const token = engine.options.inboundToken;
  if (token && request.headers.get('authorization') !== `Bearer ${token}`) {
    record(401, null);
    return errorAnswer(401, 'unauthorized', 'missing or wrong bearer token');
  }
  const response = await route(engine, request, url, path);
  if (fault.kind === 'lostResponse') {
    record(response.status, 'lostResponse');
    throw new SimulatedNetworkError('connection reset: the ERP processed the call but the answer was lost');
  }
  record(response.status, null);
  return response;
}
