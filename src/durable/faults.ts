/**
 * The test seam of the company's object: named points in a checkout (or an ERP event) where a test can
 * inject a crash or hold the work open. A hook is honoured only where the `TEST_FAULTS` binding exists, which only the
 * test configuration (vitest.config.ts) declares; in production `faultPoint` does nothing.
 */
export type FaultPoint =
  /** the cart is priced and the decision taken; the order is not written yet */
  | 'checkout.decided'
  /** the order's SQL batch committed; the object has not recorded it yet */
  | 'checkout.order-written'
  /** an ERP event waits for an earlier event of the same order to finish */
  | 'erp-event.queued'
  /** an ERP event is read and judged against its order; nothing is written yet */
  | 'erp-event.judged';

/** Where a fault point is reached: a checkout (cart, key) or an ERP event (order, event id). */
export interface FaultSite {
  cartId?: string;
  idempotencyKey?: string;
  orderId?: string;
  eventId?: string;
}

export type FaultHook = (point: FaultPoint, at: FaultSite) => unknown;

let hook: FaultHook | null = null;

/** Tests install (or, with null, remove) the hook from inside the object (runInDurableObject). */
export function setFaultHook(next: FaultHook | null): void {
  hook = next;
}

export async function faultPoint(env: object, point: FaultPoint, at: FaultSite): Promise<void> {
  if (hook && Reflect.get(env, 'TEST_FAULTS') === true) await hook(point, at);
}
