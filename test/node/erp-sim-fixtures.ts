import { createErpSimulator, type ErpSimulator, type ErpSimulatorOptions } from '../../erp-sim/core';

/** A fake backend that records what the simulator sends it, and a simulator wired to it. */

export const ERP = 'https://erp.example.test';
export const BACKEND = 'https://backend.example.test';
export const API_KEY = 'b2bk_simulator_test_key';
export const T0 = Date.UTC(2026, 10, 2, 8, 0, 0);

export interface Received {
  method: string;
  path: string;
  contentType: string | null;
  authorization: string | null;
  body: string;
}

export interface FakeBackend {
  received: Received[];
  /** the answer to each call; 202 with an empty JSON object unless a test says otherwise */
  respond: (call: Received) => Response;
  fetch: (request: Request) => Promise<Response>;
  /** parsed bodies of the event posts, in the order they arrived */
  events(): Record<string, unknown>[];
}

export function fakeBackend(): FakeBackend {
  const backend: FakeBackend = {
    received: [],
    respond: () => Response.json({}, { status: 202, headers: { 'x-request-id': 'req-1' } }),
    async fetch(request) {
      const call = {
        method: request.method,
        path: new URL(request.url).pathname,
        contentType: request.headers.get('content-type'),
        authorization: request.headers.get('authorization'),
        body: await request.text(),
      };
      backend.received.push(call);
      return backend.respond(call);
    },
    events: () =>
      backend.received
        .filter((r) => r.path.endsWith('/events'))
        .map((r) => JSON.parse(r.body) as Record<string, unknown>),
  };
  return backend;
}

export function simWith(backend: FakeBackend, options: ErpSimulatorOptions = {}): ErpSimulator {
  return createErpSimulator({
    backendUrl: BACKEND,
    apiKey: API_KEY,
    fetch: backend.fetch,
    now: T0,
    ...options,
  });
}

export function orderDoc(orderId: string, lines: { sku: string; quantity: number; unitMinor?: number }[]) {
  return {
    orderId,
    currency: 'EUR',
    customerNumber: 'C-1001',
    lines: lines.map((l, i) => ({ lineNo: i + 1, unitMinor: 1000, ...l })),
  };
}

export function postOrder(sim: ErpSimulator, body: unknown, key: string | null = null): Promise<Response> {
  const headers = new Headers({ 'content-type': 'application/json' });
  const idempotencyKey = key ?? (body as { orderId?: string }).orderId;
  if (idempotencyKey) headers.set('idempotency-key', idempotencyKey);
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return sim.handle(new Request(`${ERP}/orders`, { method: 'POST', headers, body: text }));
}

export function erpCall(sim: ErpSimulator, method: string, path: string, body?: unknown, key?: string) {
  const headers = new Headers({ 'content-type': 'application/json' });
  if (key) headers.set('idempotency-key', key);
  return sim.handle(
    new Request(`${ERP}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
