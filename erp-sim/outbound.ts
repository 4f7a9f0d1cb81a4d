import type { ImportKind } from '../src/domain/erp-terms';
import { encodeRows } from './deltas';
import { breakBody } from './faults';
import type { Faults, Fetcher, OutgoingEvent, PushDelivery, PushFormat } from './types';

/**
 * What the ERP sends the backend: order events (`POST /erp/v1/orders/{id}/events`) and pushed deltas
 * (`POST /erp/v1/imports/{kind}`), with the outgoing faults applied (duplicates, order, broken bodies).
 * Events the backend could not take now (network error, 408, 429, 5xx) stay pending for the next tick.
 */

export interface OutboundDeps {
  backendUrl: string | null;
  apiKey: string | null;
  fetch: Fetcher;
  faults: Faults;
  /** consumes one `malformed` count; true when this body is to be broken */
  takeMalformed: () => boolean;
}

interface Sent {
  status: number | null;
  error: string | null;
  body: unknown;
  location: string | null;
  requestId: string | null;
}

async function send(deps: OutboundDeps, path: string, body: string, contentType: string): Promise<Sent> {
  const headers = new Headers({ 'content-type': contentType });
  if (deps.apiKey) headers.set('authorization', `Bearer ${deps.apiKey}`);
  try {
    const response = await deps.fetch(
      new Request(`${deps.backendUrl}${path}`, { method: 'POST', headers, body }),
    );
    const text = await response.text();
    let parsed: unknown = text.slice(0, 2000);
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: kept as text
    }
    return {
      status: response.status,
      error: null,
      body: parsed,
      location: response.headers.get('location'),
      requestId: response.headers.get('x-request-id'),
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { status: null, error: message, body: null, location: null, requestId: null };
  }
}

const retryable = (s: Sent) => s.status === null || s.status === 408 || s.status === 429 || s.status >= 500;

export const eventPayload = (event: OutgoingEvent): Record<string, unknown> => ({
  eventId: event.eventId,
  type: event.type,
  occurredAt: new Date(event.occurredAt).toISOString(),
  ...event.body,
});

/** Sends one event (twice under `duplicate`); false when the order's later events must wait. */
async function deliverEvent(deps: OutboundDeps, event: OutgoingEvent): Promise<boolean> {
  const good = JSON.stringify(eventPayload(event));
  const malformed = deps.takeMalformed();
  const body = malformed ? breakBody(good) : good;
  const path = `/erp/v1/orders/${encodeURIComponent(event.orderId)}/events`;
  const answers: Sent[] = [];
  for (let copy = 0; copy < (deps.faults.duplicate ? 2 : 1); copy++) {
    answers.push(await send(deps, path, body, 'application/json'));
  }
  event.attempts += answers.length;
  const accepted = answers.find((a) => a.status !== null && a.status >= 200 && a.status < 300);
  const last = accepted ?? answers.at(-1);
  event.lastStatus = last?.status ?? null;
  event.lastError = last?.error ?? (accepted ? null : JSON.stringify(last?.body ?? null).slice(0, 500));
  event.requestId = last?.requestId ?? null;
  // a body broken on purpose is sent again, intact, on the next tick
  if (accepted && !malformed) event.state = 'delivered';
  else if (!malformed && last && !retryable(last)) event.state = 'rejected';
  return event.state !== 'pending';
}

/** Runs `work` over `items` with at most `limit` at a time. */
async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      if (item !== undefined) await work(item);
    }
  });
  await Promise.all(runners);
}

/**
 * Delivers pending events, per order in the ERP's time order (newest first under `outOfOrder`); an order's
 * later events wait while an earlier one cannot be delivered. Orders go in parallel, a few at a time.
 */
export async function deliverPending(deps: OutboundDeps, events: OutgoingEvent[]): Promise<void> {
  if (deps.faults.down || !deps.backendUrl) return;
  const byOrder = new Map<string, OutgoingEvent[]>();
  for (const event of events) {
    if (event.state !== 'pending') continue;
    const group = byOrder.get(event.orderId) ?? [];
    group.push(event);
    byOrder.set(event.orderId, group);
  }
  const groups = [...byOrder.values()].map((g) => {
    const sorted = g.sort((a, b) => a.occurredAt - b.occurredAt);
    return deps.faults.outOfOrder ? sorted.reverse() : sorted;
  });
  await eachLimited(groups, 8, async (group) => {
    for (const event of group) {
      if (!(await deliverEvent(deps, event))) return;
    }
  });
}

/** One push of rows to the import endpoint (twice under `duplicate`), every answer reported. */
export async function pushRows(
  deps: OutboundDeps,
  kind: ImportKind,
  rows: Record<string, unknown>[],
  format: PushFormat,
): Promise<PushDelivery[]> {
  const encoded = encodeRows(rows, format);
  const malformed = deps.takeMalformed();
  const body = malformed ? breakBody(encoded.body) : encoded.body;
  const deliveries: PushDelivery[] = [];
  for (let copy = 0; copy < (deps.faults.duplicate ? 2 : 1); copy++) {
    deliveries.push({
      ...(await send(deps, `/erp/v1/imports/${kind}`, body, encoded.contentType)),
      malformed,
    });
  }
  return deliveries;
}
