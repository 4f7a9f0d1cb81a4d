import * as v from 'valibot';
import { ALL_PERMISSIONS } from '../domain/permissions';
import { MAX_QUANTITY } from '../domain/pricing/engine';

export const IdSchema = v.pipe(v.string(), v.regex(/^[a-z]+_[0-9a-z_]{1,64}$/, 'not a valid id'));
export const IdParam = v.strictObject({ id: IdSchema });
/** A cart id, or `current`: the caller's current cart, created on first use. */
export const CartIdSchema = v.union([v.literal('current'), IdSchema]);
export const CartParam = v.strictObject({ id: CartIdSchema });
export const EmailSchema = v.pipe(
  v.string(),
  v.trim(),
  v.toLowerCase(),
  v.email('not a valid email'),
  v.maxLength(254),
);
export const NameSchema = v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(200));
export const CountrySchema = v.pipe(
  v.string(),
  v.regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2 country code, e.g. FR'),
);
export const CurrencySchema = v.pipe(v.string(), v.regex(/^[A-Z]{3}$/, 'ISO 4217 currency code, e.g. EUR'));
/** The lifecycle of configuration records that are archived rather than deleted. */
export const StatusSchema = v.picklist(['active', 'archived']);
/** An ISO 8601 instant in a query or body, read as epoch milliseconds. */
export const InstantSchema = v.pipe(
  v.string(),
  v.isoTimestamp('an ISO 8601 timestamp, e.g. 2026-11-22T10:00:00Z'),
  v.transform((s) => Date.parse(s)),
);
export const PermissionSchema = v.picklist(ALL_PERMISSIONS, 'unknown permission');
export const PasswordSchema = v.pipe(v.string(), v.minLength(8, 'at least 8 characters'), v.maxLength(200));
export const QuantitySchema = v.pipe(
  v.number('a number'),
  v.integer('a whole number of units'),
  v.minValue(1, 'at least 1'),
  v.maxValue(MAX_QUANTITY, `at most ${MAX_QUANTITY.toLocaleString('en')}`),
);
/** A SKU and a quantity, as carts take them and prices answer them. */
export const LineInputSchema = v.strictObject({
  sku: v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(64)),
  quantity: QuantitySchema,
});
export const MoneyMinorSchema = v.pipe(
  v.number(),
  v.integer('minor units are integers'),
  v.minValue(0),
  v.maxValue(1e12),
);

/** PATCH bodies: every field of `entries` optional, unknown fields rejected, and at least one field present. */
export function patchOf<E extends v.ObjectEntries>(entries: E) {
  return v.pipe(
    v.partial(v.strictObject(entries)),
    v.check((o) => Object.keys(o).length > 0, 'send at least one field to change'),
  );
}

/** One approval an order waits for, as checkout, its preview and the approval requests answer it. */
export const ApprovalStepSchema = v.object({
  key: v.string(),
  reason: v.string(),
  policyId: v.nullable(v.string()),
  role: v.nullable(v.string()),
  userIds: v.array(v.string()),
  required: v.number(),
});
