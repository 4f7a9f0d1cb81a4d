import type { ImportKind } from '../src/domain/erp-terms';
import { countsByOrderId, handleAdmin, inspectOrders } from './admin';
import { SimEngine } from './engine';
import { handleErpCall } from './erp-api';
import type { FaultsPatch } from './faults';
import { decodeSegment, errorAnswer } from './http';
import type {
  AdvanceReport,
  CallRecord,
  DeltaInput,
  ErpOrder,
  ErpSimulatorOptions,
  Faults,
  OutgoingEvent,
  PushFormat,
  PushRecord,
  SimState,
} from './types';

/**
 * The reference ERP (docs/erp.md, "The reference ERP simulator"). Runtime-neutral: `handle` is a fetch
 * handler, served over node:http by `npm start` (scripts/erp-sim-server.ts) and installed as the Worker's
 * outbound `fetch` in workerd tests (test/integration/erp-sim.ts). Everything the admin HTTP does is also a
 * method here, so tests drive the ERP without HTTP.
 */

export { SimulatedNetworkError } from './http';
export type * from './types';

export interface ErpSimulator {
  /** the ERP's HTTP: ERP API (faults apply), `GET /orders` and `/admin/*` (never faulty) */
  handle(request: Request): Promise<Response>;
  /** where events and pushes go, and with which key */
  configure(target: { backendUrl?: string; apiKey?: string }): void;
  now(): number;
  /** moves the simulated clock: due lifecycle steps become events, pending events are delivered */
  advance(ms: number): Promise<AdvanceReport>;
  /** delivers pending events again without moving the clock */
  flush(): Promise<AdvanceReport>;
  orders(): readonly ErpOrder[];
  /** ERP orders per platform order id (1 everywhere: exactly once) */
  counts(): Record<string, number>;
  events(filter?: { orderId?: string; state?: OutgoingEvent['state'] }): readonly OutgoingEvent[];
  calls(): readonly CallRecord[];
  pushes(): readonly PushRecord[];
  faults: { get(): Faults; set(patch: FaultsPatch): Faults; clear(): Faults };
  /** rows for the nightly pull (`GET /deltas/{kind}`), given or generated */
  queueDeltas(kind: ImportKind, input: DeltaInput): Record<string, unknown>[];
  /** rows (given or generated) posted to the backend's import endpoint; also queued for the pull */
  push(kind: ImportKind, input: DeltaInput & { format?: PushFormat }): Promise<PushRecord>;
  snapshot(): SimState;
  reset(): void;
}

export function createErpSimulator(options: ErpSimulatorOptions = {}): ErpSimulator {
  const engine = new SimEngine(options);
  const rowsOf = (kind: ImportKind, input: DeltaInput) => {
    const rows = engine.deltaRows(kind, input);
    if (typeof rows === 'string') throw new Error(rows);
    return rows;
  };

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const parts = url.pathname.split('/').filter(Boolean);
    try {
      if (parts[0] === 'admin') return await handleAdmin(engine, request, url, parts);
      if (request.method === 'GET' && parts[0] === 'orders' && parts.length <= 2) {
        return inspectOrders(engine, url, parts[1] && decodeSegment(parts[1]));
      }
      return await handleErpCall(engine, request, url, url.pathname);
    } catch (error) {
      if (error instanceof TypeError && error.name === 'SimulatedNetworkError') throw error;
      // a bug in the simulator is its own 500, named, never mistaken for a switched-on fault
      const message = error instanceof Error ? error.message : String(error);
      return errorAnswer(500, 'simulator_error', message);
    }
  }

  return {
    handle,
    configure(target) {
      if (target.backendUrl !== undefined) engine.backendUrl = target.backendUrl.replace(/\/+$/, '');
      if (target.apiKey !== undefined) engine.apiKey = target.apiKey;
    },
    now: () => engine.state.now,
    advance: (ms) => engine.advance(ms),
    flush: () => engine.advance(0),
    orders: () => engine.state.orders,
    counts: () => countsByOrderId(engine.state.orders),
    events: (filter = {}) =>
      engine.state.events.filter(
        (e) =>
          (!filter.orderId || e.orderId === filter.orderId) && (!filter.state || e.state === filter.state),
      ),
    calls: () => engine.calls,
    pushes: () => engine.pushes,
    faults: {
      get: () => engine.currentFaults(),
      set: (patch) => engine.setFaults(patch),
      clear: () => engine.clearFaults(),
    },
    queueDeltas(kind, input) {
      const rows = rowsOf(kind, input);
      engine.queueDeltas(kind, rows);
      return rows;
    },
    push: (kind, input) => engine.push(kind, rowsOf(kind, input), input.format ?? 'ndjson'),
    snapshot: () => structuredClone(engine.state),
    reset: () => engine.reset(),
  };
}
