import { Hono } from 'hono';
import { actorOf } from '../http/actor';
import type { AppEnv } from '../http/context';
import { requirePermission } from '../http/middleware';
import { doc } from '../http/openapi';
import { decodeCursor, keysetPage, pageOf } from '../http/paging';
import { validBody, validParams, validQuery } from '../http/validate';
import {
  createPartner,
  getPartner,
  listPartners,
  rotatePartnerSecret,
  setPartnerStatus,
  updatePartner,
} from '../services/punchout/partner-admin';
import { getLogEntry, listLog, listSessions } from '../services/punchout/support';
import {
  LogEntry,
  LogQuery,
  LogSummary,
  NewestCursor,
  NewPartnerBody,
  Partner,
  PartnersCursor,
  PartnersQuery,
  PartnerWithSecret,
  partnerSettings,
  Session,
  SessionsQuery,
} from './admin-punchout-schemas';
import { IdParam, patchOf } from './schemas';

const tags = ['Punch-out administration'];
const SECRET_ONCE =
  'The answer carries `secret` (the cXML SharedSecret, or the OCI PASSWORD) this once: only its SHA-256 is kept, ' +
  'so it cannot be shown again; a lost secret is replaced with rotate-secret.';
const RULES =
  'cXML partners need senderDomain and senderIdentity (unique, the domain compared without case: 409), ' +
  'OCI partners ociUsername (unique: 409); fields of the other protocol are refused. defaultUserId must be an ' +
  'active user of the company; ociFieldMap maps OCI fields (MATGROUP, VENDOR, CUST_FIELD1…5, LONGTEXT, …) to ' +
  'product fields or `attributes.<key>` (docs/punchout.md). priceToleranceBp is in basis points (100 = 1 %).';

/** /v1/admin/punchout: partners, the exchange log and sessions, for supplier staff who manage accounts. */
export const adminPunchoutRoutes = new Hono<AppEnv>();
adminPunchoutRoutes.use('/punchout/*', requirePermission('accounts.manage'));
adminPunchoutRoutes
  .get(
    '/punchout/partners',
    doc({
      tags,
      summary: 'Punch-out partners, by name (filters: companyId, protocol, status)',
      ok: pageOf(Partner),
    }),
    validQuery(PartnersQuery),
    async (c) => {
      const { limit, cursor, ...filter } = c.req.valid('query');
      const after = decodeCursor(PartnersCursor, cursor);
      const rows = await listPartners(c.var.services.db, {
        ...filter,
        after: after && { name: after.n, id: after.i },
        limit: limit + 1,
      });
      return c.json(keysetPage(rows, limit, (last) => ({ n: last.name, i: last.id })));
    },
  )
  .post(
    '/punchout/partners',
    doc({
      tags,
      summary: 'Add a cXML or OCI partner of a customer company; the secret is answered once',
      description: `${RULES} ${SECRET_ONCE}`,
      ok: PartnerWithSecret,
      status: 201,
      errors: { 409: 'Another partner has this cXML sender or OCI username' },
    }),
    validBody(NewPartnerBody),
    async (c) => c.json(await createPartner(c.var.services.db, actorOf(c), c.req.valid('json')), 201),
  )
  .get(
    '/punchout/partners/:id',
    doc({ tags, summary: 'One punch-out partner (never its secret)', ok: Partner }),
    validParams(IdParam),
    async (c) => c.json(await getPartner(c.var.services.db, c.req.valid('param').id)),
  )
  .patch(
    '/punchout/partners/:id',
    doc({
      tags,
      summary: 'Change a punch-out partner (protocol and company are fixed)',
      description: RULES,
      ok: Partner,
      errors: { 409: 'Another partner has this cXML sender or OCI username' },
    }),
    validParams(IdParam),
    validBody(patchOf(partnerSettings)),
    async (c) =>
      c.json(
        await updatePartner(c.var.services.db, actorOf(c), c.req.valid('param').id, c.req.valid('json')),
      ),
  )
  .post(
    '/punchout/partners/:id/disable',
    doc({
      tags,
      summary: 'Disable a partner: its setups and orders are refused, its open sessions end now',
      ok: Partner,
      errors: { 409: 'Already disabled' },
    }),
    validParams(IdParam),
    async (c) =>
      c.json(await setPartnerStatus(c.var.services.db, actorOf(c), c.req.valid('param').id, 'disabled')),
  )
  .post(
    '/punchout/partners/:id/enable',
    doc({ tags, summary: 'Enable a disabled partner again', ok: Partner, errors: { 409: 'Already active' } }),
    validParams(IdParam),
    async (c) =>
      c.json(await setPartnerStatus(c.var.services.db, actorOf(c), c.req.valid('param').id, 'active')),
  )
  .post(
    '/punchout/partners/:id/rotate-secret',
    doc({
      tags,
      summary: 'Replace the partner’s secret; the old one stops working at once',
      description: SECRET_ONCE,
      ok: PartnerWithSecret,
    }),
    validParams(IdParam),
    async (c) => c.json(await rotatePartnerSecret(c.var.services.db, actorOf(c), c.req.valid('param').id)),
  )
  .get(
    '/punchout/log',
    doc({
      tags,
      summary: 'Punch-out exchanges, newest first, without bodies (kept 30 days)',
      description:
        'Filters: partnerId, companyId, buyerCookie, payloadId (exact), kind (cxml.setup, cxml.order, oci.setup, …), ' +
        'from/to (ISO 8601 instants, inclusive). Secrets were redacted when the entry was written.',
      ok: pageOf(LogSummary),
    }),
    validQuery(LogQuery),
    async (c) => {
      const { limit, cursor, ...filter } = c.req.valid('query');
      const rows = await listLog(c.var.services.db, {
        ...filter,
        before: decodeCursor(NewestCursor, cursor),
        limit: limit + 1,
      });
      return c.json(keysetPage(rows, limit, (last) => ({ at: last.createdAt, id: last.id })));
    },
  )
  .get(
    '/punchout/log/:id',
    doc({ tags, summary: 'One punch-out exchange with its (redacted) body', ok: LogEntry }),
    validParams(IdParam),
    async (c) => c.json(await getLogEntry(c.var.services.db, c.req.valid('param').id)),
  )
  .get(
    '/punchout/sessions',
    doc({
      tags,
      summary: 'Punch-out sessions, newest first (filters: partnerId, companyId, state)',
      description: 'A session past its end is answered `expired` even before the nightly run records it.',
      ok: pageOf(Session),
    }),
    validQuery(SessionsQuery),
    async (c) => {
      const { limit, cursor, ...filter } = c.req.valid('query');
      const { db, now } = c.var.services;
      const rows = await listSessions(
        db,
        { ...filter, before: decodeCursor(NewestCursor, cursor), limit: limit + 1 },
        now(),
      );
      return c.json(keysetPage(rows, limit, (last) => ({ at: last.createdAt, id: last.id })));
    },
  );
