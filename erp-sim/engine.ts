import type { ImportKind } from '../src/domain/erp-terms';
import { DEFAULT_CATALOG, GENERATED_KINDS, generateRows, seededRandom } from './deltas';
import { applyFaultsPatch, expireFaults, type FaultsPatch, noFaults } from './faults';
import { DEFAULT_TIMINGS, dueSteps } from './lifecycle';
import type { OrderDocument } from './orders';
import { deliverPending, type OutboundDeps, pushRows } from './outbound';
import type {
  AdvanceReport,
  CallRecord,
  DeltaInput,
  ErpOrder,
  ErpSimulatorOptions,
  Faults,
  LifecycleTimings,
  OutgoingEvent,
  PushFormat,
  PushRecord,
  SimCatalog,
  SimState,
  StoredAnswer,
} from './types';

/** The simulator's state and what changes it; the HTTP faces (ERP API, admin) and the programmatic API call in. */

const freshState = (now: number): SimState => ({
  now,
  lastVersion: 0,
  nextOrderNumber: 100_001,
  nextSeq: 1,
  orders: [],
  answers: {},
  events: [],
  deltas: {},
});

const MAX_KEPT = 5000;
const keepLast = <T>(list: T[], max = MAX_KEPT) => {
  if (list.length > max) list.splice(0, list.length - max);
};

export class SimEngine {
  state: SimState;
  faults: Faults = noFaults();
  readonly timings: LifecycleTimings;
  readonly catalog: SimCatalog;
  backendUrl: string | null;
  apiKey: string | null;
  readonly pushes: PushRecord[] = [];
  readonly calls: CallRecord[] = [];
  private ordersByKey = new Map<string, ErpOrder>();
  private generatedUpTo: Partial<Record<ImportKind, number>> = {};
  private readonly random: () => number;
  private serial: Promise<unknown> = Promise.resolve();
  private pushCount = 0;

  constructor(readonly options: ErpSimulatorOptions) {
    this.state = options.state ?? freshState(options.now ?? Date.now());
    this.timings = { ...DEFAULT_TIMINGS, ...options.timings };
    this.catalog = options.catalog?.products.length ? options.catalog : DEFAULT_CATALOG;
    this.backendUrl = options.backendUrl?.replace(/\/+$/, '') ?? null;
    this.apiKey = options.apiKey ?? null;
    this.random = seededRandom(options.seed ?? 11);
    this.index();
  }

  private index(): void {
    this.ordersByKey = new Map(this.state.orders.map((o) => [o.idempotencyKey, o]));
  }

  changed(): void {
    this.options.onChange?.();
  }

  reset(): void {
    this.state = freshState(this.state.now);
    this.faults = noFaults();
    this.pushes.length = 0;
    this.calls.length = 0;
    this.generatedUpTo = {};
    this.index();
    this.changed();
  }

  /** Record versions the ERP stamps: the simulated clock, strictly increasing. */
  nextVersion(): number {
    this.state.lastVersion = Math.max(this.state.now, this.state.lastVersion + 1);
    return this.state.lastVersion;
  }

  currentFaults(): Faults {
    this.faults = expireFaults(this.faults, this.state.now);
    return this.faults;
  }

  setFaults(patch: FaultsPatch): Faults {
    this.faults = applyFaultsPatch(this.currentFaults(), patch, this.state.now);
    return this.faults;
  }

  clearFaults(): Faults {
    this.faults = noFaults();
    return this.faults;
  }

  recordCall(call: Omit<CallRecord, 'at'>): void {
    this.calls.push({ at: this.state.now, ...call });
    keepLast(this.calls);
  }

  answerFor(key: string): StoredAnswer | undefined {
    return this.state.answers[key];
  }

  storeAnswer(key: string, answer: StoredAnswer): void {
    this.state.answers[key] = answer;
    this.changed();
  }

  orderByKey(key: string): ErpOrder | undefined {
    return this.ordersByKey.get(key);
  }

  /** The first ERP order made for a platform order id (there is only ever one, unless keys differed). */
  orderById(orderId: string): ErpOrder | undefined {
    return this.state.orders.find((o) => o.orderId === orderId);
  }

  createOrder(key: string, doc: OrderDocument, document: Record<string, unknown>): ErpOrder {
    const order: ErpOrder = {
      orderId: doc.orderId,
      idempotencyKey: key,
      erpOrderNumber: `SO-${this.state.nextOrderNumber++}`,
      receivedAt: this.state.now,
      posts: 1,
      document,
      lines: doc.lines,
      currency: doc.currency,
      netMinor: doc.netMinor,
      emitted: [],
      cancelledAt: null,
      receipts: [],
      problemReports: [],
    };
    this.state.orders.push(order);
    this.ordersByKey.set(key, order);
    this.changed();
    return order;
  }

  private outbound(): OutboundDeps {
    return {
      backendUrl: this.backendUrl,
      apiKey: this.apiKey,
      fetch: this.options.fetch ?? ((request) => fetch(request)),
      faults: this.currentFaults(),
      takeMalformed: () => {
        if (this.faults.malformed <= 0) return false;
        this.faults = { ...this.faults, malformed: this.faults.malformed - 1 };
        return true;
      },
    };
  }

  /** One at a time: two clock moves or pushes never interleave their sends. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.serial.then(work, work);
    this.serial = run.catch(() => undefined);
    return run;
  }

  /** Moves the clock, turns every due lifecycle step into an event, then delivers what is pending. */
  advance(ms: number): Promise<AdvanceReport> {
    return this.exclusive(async () => {
      this.state.now += Math.max(0, ms);
      let emitted = 0;
      for (const order of this.state.orders) {
        for (const step of dueSteps(order, this.timings, this.state.now)) {
          order.emitted.push(step.id);
          this.state.events.push({
            eventId: `${order.erpOrderNumber}-${step.id}`,
            orderId: order.orderId,
            type: step.type,
            occurredAt: step.at,
            body: step.fields,
            state: 'pending',
            attempts: 0,
            lastStatus: null,
            lastError: null,
            requestId: null,
          });
          emitted++;
        }
      }
      const pendingBefore = this.state.events.filter((e) => e.state === 'pending');
      await deliverPending(this.outbound(), pendingBefore);
      this.changed();
      const count = (state: OutgoingEvent['state']) => pendingBefore.filter((e) => e.state === state).length;
      return {
        now: this.state.now,
        emitted,
        delivered: count('delivered'),
        rejected: count('rejected'),
        pending: this.state.events.filter((e) => e.state === 'pending').length,
      };
    });
  }

  /** Rows for a kind's change log: as given (a version stamped where missing) or generated. */
  deltaRows(kind: ImportKind, input: DeltaInput): Record<string, unknown>[] | string {
    if (input.rows) {
      return input.rows.map((row) =>
        'version' in row ? { ...row } : { ...row, version: this.nextVersion() },
      );
    }
    const generated = GENERATED_KINDS.find((k) => k === kind);
    if (!generated) return `${kind}: the simulator generates products, list-prices and stock; send rows`;
    const start = this.generatedUpTo[kind] ?? 0;
    const count = input.count ?? 10;
    this.generatedUpTo[kind] = start + count;
    const context = { catalog: this.catalog, start, random: this.random, now: this.state.now };
    return generateRows(generated, count, { ...context, nextVersion: () => this.nextVersion() });
  }

  /** Appends rows to the change log the nightly pull reads. */
  queueDeltas(kind: ImportKind, rows: Record<string, unknown>[]): void {
    const log = this.state.deltas[kind] ?? [];
    for (const row of rows) log.push({ seq: this.state.nextSeq++, row });
    this.state.deltas[kind] = log;
    this.changed();
  }

  push(kind: ImportKind, rows: Record<string, unknown>[], format: PushFormat): Promise<PushRecord> {
    return this.exclusive(async () => {
      this.queueDeltas(kind, rows);
      const deliveries = await pushRows(this.outbound(), kind, rows, format);
      const record: PushRecord = {
        id: `push-${++this.pushCount}`,
        kind,
        format,
        rows: rows.length,
        at: this.state.now,
        deliveries,
      };
      this.pushes.push(record);
      keepLast(this.pushes, 500);
      return record;
    });
  }
}
