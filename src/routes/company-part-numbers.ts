import { Hono } from 'hono';
import * as v from 'valibot';
import { getPartNumber, listPartNumbers } from '../db/queries/part-numbers';
import { notFound } from '../domain/errors';
import { partNumberRows } from '../domain/quick-order/part-number-file';
import { actorOf } from '../http/actor';
import type { AppEnv } from '../http/context';
import { requirePermission, scopeOf } from '../http/middleware';
import { doc } from '../http/openapi';
import { decodeCursor, keysetPage, PageParams, pageOf } from '../http/paging';
import { validBody, validParams, validQuery } from '../http/validate';
import {
  createPartNumber,
  deletePartNumber,
  importPartNumbers,
  updatePartNumber,
} from '../services/part-numbers';
import { PastedText, readUploadRows, whenJson } from './order-input';
import { IdParam, patchOf, QuantitySchema, text } from './schemas';

const tags = ['Company part numbers'];
const MAX_IMPORT_ROWS = 5_000;
const fields = {
  partNumber: text({ max: 64 }),
  sku: text({ max: 64 }),
  description: v.optional(v.nullable(text({ max: 200 }))),
  preferredQuantity: v.optional(v.nullable(QuantitySchema)),
  packQuantity: v.optional(QuantitySchema),
};
const NewPartNumber = v.strictObject(fields);
const PartNumberPatch = patchOf({ ...fields, packQuantity: QuantitySchema });
const PartNumber = v.object({
  id: v.string(),
  partNumber: v.string(),
  sku: v.string(),
  description: v.nullable(v.string()),
  preferredQuantity: v.nullable(v.number()),
  packQuantity: v.number(),
  createdBy: v.string(),
  createdAt: v.number(),
  updatedAt: v.number(),
});
const ListQuery = v.strictObject({ sku: v.optional(text({ max: 64 })), ...PageParams });
const Cursor = v.object({ key: v.string() });

// lists.manage: the people who keep the company's order lists keep its references; users.manage is about rights
const manage = requirePermission('lists.manage');
const read = requirePermission('catalog.view');
const present = <T extends { companyId: string; partKey: string }>({
  companyId: _c,
  partKey: _k,
  ...row
}: T) => row;

export const companyPartNumberRoutes = new Hono<AppEnv>()
  .get(
    '/part-numbers',
    doc({
      tags,
      summary: "My company's own part numbers (by reference; `?sku` filters)",
      ok: pageOf(PartNumber),
    }),
    read,
    validQuery(ListQuery),
    async (c) => {
      const q = c.req.valid('query');
      const after = decodeCursor(Cursor, q.cursor)?.key;
      const rows = await listPartNumbers(scopeOf(c), { after, limit: q.limit + 1, sku: q.sku });
      const page = keysetPage(rows, q.limit, (last) => ({ key: last.partKey }));
      return c.json({ ...page, items: page.items.map(present) });
    },
  )
  .post(
    '/part-numbers',
    doc({
      tags,
      summary: 'Map one of my references to a SKU (with its preferred quantity and pack)',
      ok: PartNumber,
      status: 201,
      errors: { 409: 'The reference is already mapped', 422: 'Unknown SKU, or the reference is a SKU' },
    }),
    manage,
    validBody(NewPartNumber),
    async (c) => {
      const row = await createPartNumber(scopeOf(c), c.var.services.pricing, actorOf(c), c.req.valid('json'));
      if (!row) throw notFound('Part number');
      return c.json(present(row), 201);
    },
  )
  .post(
    '/part-numbers/import',
    doc({
      tags,
      summary: 'Import part numbers from a CSV or XLSX file (inserted or replaced, all or nothing)',
      description:
        'Columns `partNumber, sku, preferredQuantity, packQuantity, description` in that order, or in any order under a header row naming them; `text/csv`, `text/plain`, JSON `{ "text": … }` or `multipart/form-data` with a `file`. Up to 5,000 rows. A bad row is a 422 naming `rows.<line>.<field>`, and nothing is imported.',
      ok: v.object({ imported: v.number() }),
      errors: { 413: 'More than 5,000 rows', 415: 'Not CSV, text, JSON or multipart', 422: 'Bad rows' },
    }),
    manage,
    whenJson(PastedText),
    async (c) => {
      const parsed = partNumberRows(await readUploadRows(c, MAX_IMPORT_ROWS));
      return c.json(
        await importPartNumbers(scopeOf(c), c.var.services.pricing, actorOf(c), parsed.rows, parsed.issues),
      );
    },
  )
  .get(
    '/part-numbers/:id',
    doc({ tags, summary: 'One part number', ok: PartNumber }),
    read,
    validParams(IdParam),
    async (c) => {
      const row = await getPartNumber(scopeOf(c), c.req.valid('param').id);
      if (!row) throw notFound('Part number');
      return c.json(present(row));
    },
  )
  .patch(
    '/part-numbers/:id',
    doc({
      tags,
      summary: 'Change a part number',
      ok: PartNumber,
      errors: { 409: 'The reference is already mapped', 422: 'Unknown SKU, or the reference is a SKU' },
    }),
    manage,
    validParams(IdParam),
    validBody(PartNumberPatch),
    async (c) => {
      const { id } = c.req.valid('param');
      const row = await updatePartNumber(
        scopeOf(c),
        c.var.services.pricing,
        actorOf(c),
        id,
        c.req.valid('json'),
      );
      if (!row) throw notFound('Part number');
      return c.json(present(row));
    },
  )
  .delete(
    '/part-numbers/:id',
    doc({ tags, summary: 'Remove a part number', status: 204 }),
    manage,
    validParams(IdParam),
    async (c) => {
      await deletePartNumber(scopeOf(c), actorOf(c), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
