import type { ErpEventType, ImportKind } from '../src/domain/erp-terms';

/**
 * The reference ERP's vocabulary. The simulator is runtime-neutral (fetch, Request, Response, URL and
 * crypto only), so the same code serves `npm start` over node:http and answers the Worker's fetches inside
 * workerd tests.
 */

/** Outgoing HTTP: events and pushes to the backend. Node's and workerd's `fetch` both fit. */
export type Fetcher = (request: Request) => Promise<Response>;

export interface LifecycleTimings {
  /** from receiving an order to its `acknowledged` event */
  acknowledgeAfterMs: number;
  /** from receiving an order to its first shipment */
  shipAfterMs: number;
  /** from the first shipment to the second, when the order ships in two parts */
  secondShipmentAfterMs: number;
  /** from a shipment to its `delivered` event */
  deliverAfterMs: number;
  /** from the last delivery to the `invoiced` event */
  invoiceAfterMs: number;
  paymentTermsDays: number;
  /** VAT on the invoice, basis points of the net amount */
  taxRateBp: number;
  /** orders with two or more lines (or one line of two or more units) ship in two parts */
  partialShipments: boolean;
}

export interface CatalogProduct {
  sku: string;
  name: string;
  family?: string;
  categoryPath?: string;
  brand?: string;
  unitOfMeasure?: string;
  /** list price in minor units on the first price list, the base generated price deltas move from */
  listMinor?: number;
}

/** What the ERP "holds" and generates deltas for: SKUs the backend knows, so generated rows apply. */
export interface SimCatalog {
  products: CatalogProduct[];
  warehouses: string[];
  priceLists: string[];
}

export interface Faults {
  /** every ERP call fails like a refused connection; the ERP sends nothing either */
  down: boolean;
  /** simulated instant at which `down` ends by itself (set with `downForMs`) */
  downUntil: number | null;
  /** each ERP call is answered this much later (real milliseconds) */
  slowMs: number;
  /** the next N ERP calls answer 500 */
  error500: number;
  /** the next N ERP calls answer 429 with `Retry-After: retryAfterSeconds` */
  rateLimit429: number;
  retryAfterSeconds: number;
  /** the next N ERP calls are carried out, then the connection drops before the answer */
  lostResponse: number;
  /** every event and push is delivered twice */
  duplicate: boolean;
  /** events due for one order in the same tick are sent newest first */
  outOfOrder: boolean;
  /** the next N outgoing bodies (events or pushes) are cut off in the middle: broken JSON */
  malformed: number;
}

export interface ErpOrderLine {
  lineNo: number;
  sku: string;
  quantity: number;
}

export interface StoredAnswer {
  status: number;
  body: unknown;
}

export interface ErpOrder {
  orderId: string;
  idempotencyKey: string;
  erpOrderNumber: string;
  /** simulated instant the ERP took the order */
  receivedAt: number;
  /** how many POST /orders carried this order's key (the first made the order, the rest were replays) */
  posts: number;
  document: Record<string, unknown>;
  lines: ErpOrderLine[];
  currency: string;
  netMinor: number;
  /** lifecycle steps already turned into events */
  emitted: string[];
  cancelledAt: number | null;
  receipts: Record<string, unknown>[];
  problemReports: Record<string, unknown>[];
}

export interface OutgoingEvent {
  eventId: string;
  orderId: string;
  type: ErpEventType;
  occurredAt: number;
  body: Record<string, unknown>;
  state: 'pending' | 'delivered' | 'rejected';
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  /** the backend's x-request-id of the last answer */
  requestId: string | null;
}

export interface DeltaEntry {
  seq: number;
  row: Record<string, unknown>;
}

export type PushFormat = 'ndjson' | 'csv' | 'json';

export interface PushDelivery {
  status: number | null;
  error: string | null;
  body: unknown;
  location: string | null;
  requestId: string | null;
  malformed: boolean;
}

export interface PushRecord {
  id: string;
  kind: ImportKind;
  format: PushFormat;
  rows: number;
  at: number;
  deliveries: PushDelivery[];
}

/** Everything the simulator keeps; `snapshot()` gives it as plain JSON, `restore` takes it back. */
export interface SimState {
  now: number;
  lastVersion: number;
  nextOrderNumber: number;
  nextSeq: number;
  orders: ErpOrder[];
  answers: Record<string, StoredAnswer>;
  events: OutgoingEvent[];
  deltas: Partial<Record<ImportKind, DeltaEntry[]>>;
}

export interface ErpSimulatorOptions {
  /** the backend's origin events and pushes go to, e.g. http://127.0.0.1:8787 */
  backendUrl?: string;
  /** a platform API key with scope `erp:write` */
  apiKey?: string;
  /** outgoing HTTP (default: the global fetch) */
  fetch?: Fetcher;
  /** when set, the ERP API answers 401 unless `Authorization: Bearer <inboundToken>` */
  inboundToken?: string;
  /** start of the simulated clock, epoch ms (default: now) */
  now?: number;
  timings?: Partial<LifecycleTimings>;
  catalog?: SimCatalog;
  /** seed of the delta generator */
  seed?: number;
  /** how `slowMs` waits (default setTimeout); tests may hand in their own */
  sleep?: (ms: number) => Promise<void>;
  /** a snapshot to start from (`npm start` keeps one in a file) */
  state?: SimState;
  /** called after every change of state (persistence) */
  onChange?: () => void;
}

export interface AdvanceReport {
  now: number;
  emitted: number;
  delivered: number;
  pending: number;
  rejected: number;
}

export interface DeltaInput {
  rows?: Record<string, unknown>[];
  count?: number;
}

export interface CallRecord {
  at: number;
  method: string;
  path: string;
  status: number | null;
  fault: string | null;
}
