import { Hono } from 'hono';
import * as v from 'valibot';
import { getImportJob, listRejects } from '../../db/queries/imports';
import { IMPORT_KINDS, type ImportKind } from '../../domain/erp-terms';
import { AppError } from '../../domain/errors';
import { actorOf } from '../../http/actor';
import type { AppContext, AppEnv } from '../../http/context';
import { doc } from '../../http/openapi';
import { decodeCursor, keysetPage } from '../../http/paging';
import { validParams, validQuery } from '../../http/validate';
import { uploadFormatOf } from '../../services/erp-import/pipeline/content-type';
import { jobWithFirstRejects, receiveImport } from '../../services/erp-import/pipeline/jobs';
import { MAX_ROWS, MAX_UPLOAD_BYTES } from '../../services/erp-import/pipeline/limits';
import { rejectsCsv } from '../../services/erp-import/pipeline/rejects-csv';
import {
  csvDownload,
  ERP_IMPORTS,
  ImportIdParam,
  ImportJobSchema,
  jobView,
  RejectsCursor,
  RejectsPageSchema,
  RejectsQuery,
} from '../import-schemas';
import { text } from '../schemas';

const tags = ['ERP'];
const KindParam = v.strictObject({ kind: text({ max: 40 }) });

const UPLOAD_DOC = `CSV (header row; comma or semicolon; RFC 4180 quotes; UTF-8 with or without BOM, or Windows-1252 —
declared with charset= or recognised by its bytes), NDJSON or a JSON array of objects; at most ${MAX_UPLOAD_BYTES} bytes
and ${MAX_ROWS.toLocaleString('en')} rows. The body is streamed to storage, never held whole. The header (or the first
record) is checked before anything is kept: unknown, repeated or missing columns and a wrong delimiter are a 400 whose
errors[].path names the column. Rows are checked and applied off the request; follow Location.`;

const kindOf = (kind: string): ImportKind => {
  const found = IMPORT_KINDS.find((k) => k === kind);
  if (!found) throw new AppError('not_found', `No import kind "${kind}": one of ${IMPORT_KINDS.join(', ')}`);
  return found;
};

const depsOf = (c: AppContext) => ({
  db: c.var.services.db,
  bucket: c.env.ERP_UPLOADS,
  queue: c.env.ERP_IMPORT_QUEUE,
  now: c.var.services.now,
});

/** A job and its rejects. */
const jobRoutes = new Hono<AppEnv>()
  .get(
    '/:id/rejects',
    doc({ tags, summary: 'Rejected rows of an import, in row order', ok: RejectsPageSchema }),
    validParams(ImportIdParam),
    validQuery(RejectsQuery),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      const after = decodeCursor(RejectsCursor, cursor)?.r ?? 0;
      const { id } = c.req.valid('param');
      if (!(await getImportJob(c.var.services.db, id))) throw new AppError('not_found', 'Import not found');
      const rows = await listRejects(c.var.services.db, id, after, limit + 1);
      return c.json(keysetPage(rows, limit, (last) => ({ r: last.rowNo })));
    },
  )
  .get(
    '/:id/rejects.csv',
    doc({
      tags,
      summary: 'Every rejected row of an import as CSV (rowNo,column,reason,raw), streamed',
      okMediaType: 'text/csv',
    }),
    validParams(ImportIdParam),
    async (c) => {
      const { id } = c.req.valid('param');
      if (!(await getImportJob(c.var.services.db, id))) throw new AppError('not_found', 'Import not found');
      return c.body(rejectsCsv(c.var.services.db, id), 200, csvDownload(id));
    },
  )
  .get(
    '/:id',
    doc({
      tags,
      summary: 'An import: state, counts, progress, timings, first rejects',
      ok: ImportJobSchema,
    }),
    validParams(ImportIdParam),
    async (c) => {
      const { job, rejects } = await jobWithFirstRejects(c.var.services, c.req.valid('param').id);
      return c.json(jobView(job, rejects, ERP_IMPORTS));
    },
  );

/** POST /erp/v1/imports/{kind}, GET /erp/v1/imports/{id} and its rejects. */
export const erpImportRoutes = new Hono<AppEnv>()
  .post(
    '/:kind',
    doc({
      tags,
      summary: 'Upload an import (products, list-prices, stock, customers, contract-prices)',
      description: UPLOAD_DOC,
      status: 202,
      ok: ImportJobSchema,
      requestBody: {
        required: true,
        content: {
          'text/csv': { schema: { type: 'string' } },
          'application/x-ndjson': { schema: { type: 'string' } },
          'application/json': { schema: { type: 'array', items: { type: 'object' } } },
        },
      },
      errors: {
        413: `Larger than ${MAX_UPLOAD_BYTES} bytes (refused before reading when Content-Length says so)`,
        415: 'Not text/csv, application/x-ndjson or application/json, or an unsupported charset',
        502: 'Stored, but the work queue refused it; send it again',
      },
    }),
    validParams(KindParam),
    async (c) => {
      const kind = kindOf(c.req.valid('param').kind);
      const { format, charset } = uploadFormatOf(c.req.header('content-type'));
      const length = c.req.header('content-length');
      const job = await receiveImport(depsOf(c), actorOf(c), kind, {
        body: c.req.raw.body,
        contentLength: length !== undefined && /^\d+$/.test(length) ? Number(length) : null,
        format,
        charset,
      });
      return c.json(jobView(job, [], ERP_IMPORTS), 202, { location: `${ERP_IMPORTS}/${job.id}` });
    },
  )
  .route('/', jobRoutes);
