import { Hono } from 'hono';
import * as v from 'valibot';
import { actorOf } from '../http/actor';
import type { AppEnv } from '../http/context';
import { requirePermission } from '../http/middleware';
import { doc } from '../http/openapi';
import { decodeCursor, keysetPage, PageParams, pageOf } from '../http/paging';
import { validBody, validParams, validQuery } from '../http/validate';
import { archiveOffer, createOffer, getOfferFor, listOffersFor, updateOffer } from '../services/offers-admin';
import { PrioritySchema, TargetSchema, TargetTypeSchema } from './admin-contracts';
import {
  CurrencySchema,
  EpochMsSchema,
  IdParam,
  IdSchema,
  MoneyMinorSchema,
  NameSchema,
  patchOf,
  StatusSchema,
  text,
} from './schemas';

const Kind = v.picklist(['spend_threshold', 'buy_x_get_y'], 'one of spend_threshold, buy_x_get_y');
const Count = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1_000_000));

const tags = ['Cart offers'];
const offerFields = {
  name: NameSchema,
  description: v.optional(text({ max: 1000, min: 0, multiline: true })),
  currency: CurrencySchema,
  companyId: v.optional(v.nullable(IdSchema)),
  groupId: v.optional(v.nullable(IdSchema)),
  kind: Kind,
  thresholdMinor: v.optional(v.nullable(MoneyMinorSchema)),
  discountBp: v.optional(v.nullable(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_000)))),
  targetType: v.optional(v.nullable(TargetTypeSchema)),
  target: v.optional(v.nullable(TargetSchema)),
  buyQuantity: v.optional(v.nullable(Count)),
  freeQuantity: v.optional(v.nullable(Count)),
  maxApplications: v.optional(v.nullable(Count)),
  priority: v.optional(PrioritySchema),
  combinable: v.optional(v.boolean()),
  validFrom: v.optional(v.nullable(EpochMsSchema)),
  validTo: v.optional(v.nullable(EpochMsSchema)),
};
const Offer = v.object({
  id: v.string(),
  name: v.string(),
  description: v.string(),
  currency: v.string(),
  companyId: v.nullable(v.string()),
  groupId: v.nullable(v.string()),
  kind: Kind,
  thresholdMinor: v.nullable(v.number()),
  discountBp: v.nullable(v.number()),
  targetType: v.nullable(TargetTypeSchema),
  target: v.nullable(v.string()),
  buyQuantity: v.nullable(v.number()),
  freeQuantity: v.nullable(v.number()),
  maxApplications: v.nullable(v.number()),
  priority: v.number(),
  combinable: v.boolean(),
  validFrom: v.nullable(v.number()),
  validTo: v.nullable(v.number()),
  status: StatusSchema,
  createdAt: v.number(),
  updatedAt: v.number(),
});
const OfferQuery = v.strictObject({
  companyId: v.optional(IdSchema),
  groupId: v.optional(IdSchema),
  scope: v.optional(v.picklist(['company', 'group', 'global'])),
  kind: v.optional(Kind),
  status: v.optional(StatusSchema),
  ...PageParams,
});
const OfferCursor = v.object({ n: v.string(), i: v.string() });

const manage = requirePermission('pricing.manage');
const ACCESS =
  'Sales reps see their accounts’ offers and every group or global one, and change only their accounts’ ones; ' +
  'group and global offers are written by platform admins.';
const INVALID = 'Unknown company, group or target, or another currency than the company’s';

/** Cart-level offers (spend thresholds, buy-X-get-Y): applied when a cart is priced, see docs/offers.md. */
export const offerRoutes = new Hono<AppEnv>()
  .get(
    '/offers',
    doc({
      tags,
      summary: 'Cart offers, by name',
      description: ACCESS,
      ok: pageOf(Offer),
    }),
    manage,
    validQuery(OfferQuery),
    async (c) => {
      const { limit, cursor, ...filter } = c.req.valid('query');
      const after = decodeCursor(OfferCursor, cursor);
      const rows = await listOffersFor(c.var.services.db, c.var.principal, {
        ...filter,
        after: after && { name: after.n, id: after.i },
        limit: limit + 1,
      });
      return c.json(keysetPage(rows, limit, (last) => ({ n: last.name, i: last.id })));
    },
  )
  .post(
    '/offers',
    doc({
      tags,
      summary: 'Create a spend-threshold or buy-X-get-Y offer for one company, one group or everyone',
      description:
        `${ACCESS} spend_threshold takes thresholdMinor and discountBp; buy_x_get_y takes targetType, ` +
        'target (except for "all"), buyQuantity, freeQuantity and optionally maxApplications. ' +
        'A company offer is in the company’s currency.',
      ok: Offer,
      status: 201,
      errors: { 422: INVALID },
    }),
    manage,
    validBody(v.strictObject(offerFields)),
    async (c) => c.json(await createOffer(c.var.services.db, actorOf(c), c.req.valid('json')), 201),
  )
  .get(
    '/offers/:id',
    doc({ tags, summary: 'One cart offer', ok: Offer }),
    manage,
    validParams(IdParam),
    async (c) => c.json(await getOfferFor(c.var.services.db, c.var.principal, c.req.valid('param').id)),
  )
  .patch(
    '/offers/:id',
    doc({
      tags,
      summary: 'Change a cart offer',
      description: 'Switching kind: send null for the fields of the previous kind.',
      ok: Offer,
      errors: { 409: 'Archived', 422: INVALID },
    }),
    manage,
    validParams(IdParam),
    validBody(patchOf(offerFields)),
    async (c) =>
      c.json(await updateOffer(c.var.services.db, actorOf(c), c.req.valid('param').id, c.req.valid('json'))),
  )
  .delete(
    '/offers/:id',
    doc({
      tags,
      summary: 'Archive a cart offer (it stops applying)',
      status: 204,
      errors: { 409: 'Archived' },
    }),
    manage,
    validParams(IdParam),
    async (c) => {
      await archiveOffer(c.var.services.db, actorOf(c), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
