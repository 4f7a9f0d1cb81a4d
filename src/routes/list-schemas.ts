import * as v from 'valibot';
import {
  CartIdSchema,
  IdSchema,
  NameSchema,
  NotedLineSchema,
  NoteSchema,
  patchOf,
  QuantitySchema,
} from './schemas';

/** Request and answer shapes of the list routes (docs/quick-order.md#lists). */
const listFields = {
  name: NameSchema,
  kind: v.optional(v.picklist(['favourites', 'template'])),
  shared: v.optional(v.boolean()),
  note: v.optional(v.nullable(NoteSchema)),
  shipToSiteId: v.optional(v.nullable(IdSchema)),
  costCenterId: v.optional(v.nullable(IdSchema)),
};
const Items = v.pipe(v.array(NotedLineSchema), v.maxLength(1_000, 'at most 1,000 items'));

export const NewList = v.pipe(
  v.strictObject({
    ...listFields,
    items: v.optional(Items),
    /** copy the lines of a cart I can see (`current` or an id) */
    fromCart: v.optional(CartIdSchema),
    /** copy the lines of an order I can read */
    fromOrder: v.optional(IdSchema),
  }),
  v.check(
    (b) => [b.items, b.fromCart, b.fromOrder].filter((x) => x !== undefined).length <= 1,
    'send items, fromCart or fromOrder, not several',
  ),
);
export const ListPatch = patchOf({
  ...listFields,
  kind: v.picklist(['favourites', 'template']),
  shared: v.boolean(),
});
export const ItemsBody = v.strictObject({
  items: v.pipe(Items, v.minLength(1, 'send at least one item')),
  /** true: the list holds exactly these items afterwards */
  replace: v.optional(v.boolean(), false),
});
export const ItemPatch = patchOf({ quantity: QuantitySchema, note: v.nullable(NoteSchema) });
export const ItemParam = v.strictObject({ id: IdSchema, itemId: IdSchema });
export const ListQuery = v.strictObject({ kind: v.optional(v.picklist(['favourites', 'template'])) });
export const ListToCart = v.strictObject({
  cartId: v.optional(CartIdSchema, 'current'),
  /** only these items (default: all) */
  itemIds: v.optional(v.pipe(v.array(IdSchema), v.minLength(1), v.maxLength(1_000))),
  /** quantities for this order only; the list keeps its own */
  quantities: v.optional(
    v.pipe(v.array(v.strictObject({ itemId: IdSchema, quantity: QuantitySchema })), v.maxLength(1_000)),
  ),
  /** add the replacement of an item that became obsolete (default: offered, not added) */
  acceptReplacements: v.optional(v.boolean(), false),
});

const Item = v.object({
  id: v.string(),
  sku: v.string(),
  quantity: v.number(),
  note: v.nullable(v.string()),
  position: v.number(),
  addedAt: v.number(),
});
const Header = {
  id: v.string(),
  ownerId: v.string(),
  name: v.string(),
  kind: v.picklist(['favourites', 'template']),
  shared: v.boolean(),
  note: v.nullable(v.string()),
  shipToSiteId: v.nullable(v.string()),
  costCenterId: v.nullable(v.string()),
  createdAt: v.number(),
  updatedAt: v.number(),
};
export const ListSummary = v.object({ ...Header, itemCount: v.number() });
export const List = v.object({ ...Header, items: v.array(Item) });
