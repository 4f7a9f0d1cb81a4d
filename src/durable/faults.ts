/**
 * The test seam of the company's object: named points in a checkout where a test can inject a crash or
 * hold the checkout open. A hook is honoured only where the `TEST_FAULTS` binding exists, which only the
 * test configuration (vitest.config.ts) declares; in production `faultPoint` does nothing.
 */
export type FaultPoint =
  /** the cart is priced and the decision taken; the order is not written yet */
  | 'checkout.decided'
  /** the order's SQL batch committed; the object has not recorded it yet */
  | 'checkout.order-written';

export type FaultHook = (point: FaultPoint, at: { cartId: string; idempotencyKey: string }) => unknown;

let hook: FaultHook | null = null;

/** Tests install (or, with null, remove) the hook from inside the object (runInDurableObject). */
export function setFaultHook(next: FaultHook | null): void {
  hook = next;
}

export async function faultPoint(
  env: object,
  point: FaultPoint,
  at: { cartId: string; idempotencyKey: string },
): Promise<void> {
  if (hook && Reflect.get(env, 'TEST_FAULTS') === true) await hook(point, at);
}
