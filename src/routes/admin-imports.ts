import { Hono } from 'hono';
import * as v from 'valibot';
import { listImportJobs } from '../db/queries/imports';
import { IMPORT_KINDS, IMPORT_STATES } from '../domain/erp-terms';
import type { AppEnv } from '../http/context';
import { requirePermission } from '../http/middleware';
import { doc } from '../http/openapi';
import { decodeCursor, keysetPage, PageParams, pageOf } from '../http/paging';
import { validParams, validQuery } from '../http/validate';
import { jobWithFirstRejects } from '../services/erp-import/pipeline/jobs';
import {
  ERP_IMPORTS,
  ImportIdParam,
  ImportJobSchema,
  ImportJobSummarySchema,
  jobSummary,
  jobView,
} from './import-schemas';

const tags = ['Supplier administration'];
const ImportsQuery = v.strictObject({
  kind: v.optional(v.picklist(IMPORT_KINDS, `one of ${IMPORT_KINDS.join(', ')}`)),
  status: v.optional(v.picklist(IMPORT_STATES, `one of ${IMPORT_STATES.join(', ')}`)),
  ...PageParams,
});
const ImportsCursor = v.object({ c: v.number(), i: v.string() });

/** /v1/admin/imports: the ERP's import jobs, newest first, with the same detail the ERP sees. */
export const adminImportRoutes = new Hono<AppEnv>();
adminImportRoutes.use('/imports', requirePermission('platform.admin'));
adminImportRoutes.use('/imports/*', requirePermission('platform.admin'));
adminImportRoutes
  .get(
    '/imports',
    doc({
      tags,
      summary: 'ERP imports, newest first (filters: kind, status)',
      ok: pageOf(ImportJobSummarySchema),
    }),
    validQuery(ImportsQuery),
    async (c) => {
      const { limit, cursor, kind, status } = c.req.valid('query');
      const before = decodeCursor(ImportsCursor, cursor);
      const rows = await listImportJobs(c.var.services.db, {
        kind,
        status,
        before: before && { createdAt: before.c, id: before.i },
        limit: limit + 1,
      });
      const page = keysetPage(rows, limit, (last) => ({ c: last.createdAt, i: last.id }));
      return c.json({ items: page.items.map(jobSummary), nextCursor: page.nextCursor });
    },
  )
  .get(
    '/imports/:id',
    doc({
      tags,
      summary: 'One ERP import: state, counts, progress, timings, first rejects',
      description:
        'The same answer the ERP gets; its rejects links lead to /erp/v1/imports/{id}/rejects(.csv), which platform admins may call (they hold erp.write).',
      ok: ImportJobSchema,
    }),
    validParams(ImportIdParam),
    async (c) => {
      const { job, rejects } = await jobWithFirstRejects(c.var.services, c.req.valid('param').id);
      return c.json(jobView(job, rejects, ERP_IMPORTS));
    },
  );
