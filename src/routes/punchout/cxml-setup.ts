import { Hono } from 'hono';
import type { CxmlStatusCode } from '../../domain/punchout/cxml-document';
import { publicOriginOf, readConfig } from '../../env';
import type { AppEnv } from '../../http/context';
import { doc } from '../../http/openapi';
import { describeError, log } from '../../lib/log';
import { cxmlSetup } from '../../services/punchout/cxml-setup';
import { cxmlReply, cxmlStatusReply, readCxmlBody } from './cxml-http';

/**
 * `POST /punchout/cxml/setup`: a PunchOutSetupRequest in, a PunchOutSetupResponse (or a cXML Status
 * refusal) out. Procurement systems read cXML only: even an unexpected failure answers a cXML 500.
 */
export const cxmlSetupRoutes = new Hono<AppEnv>();

const APP_ERROR_STATUS: Record<string, CxmlStatusCode> = {
  validation_failed: 400,
  malformed_body: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 400,
  conflict: 409,
  payload_too_large: 406,
  unsupported_media_type: 406,
  not_implemented: 450,
};

cxmlSetupRoutes.onError((err, c) => {
  const code = (err as { code?: unknown }).code;
  const status = typeof code === 'string' ? APP_ERROR_STATUS[code] : undefined;
  if (!status)
    log('error', 'punch-out cXML failure', { requestId: c.get('requestId'), ...describeError(err) });
  return cxmlStatusReply(
    c,
    status ?? 500,
    status ? err.message : `The request could not be handled (request ${c.get('requestId')})`,
    Date.now(),
  );
});

cxmlSetupRoutes.post(
  '/setup',
  doc({
    tags: ['Punch-out'],
    summary: 'cXML PunchOutSetupRequest → PunchOutSetupResponse with a one-time start page',
    description:
      'Authenticated by the Sender credential and SharedSecret. Every answer, refusals included, is a cXML ' +
      'document (Status 400, 401, 403, 406, 450, 500) with the HTTP status mirroring its code; see docs/punchout.md.',
    public: true,
    okMediaType: 'text/xml',
    requestBody: {
      required: true,
      content: {
        'text/xml': { schema: { type: 'string' } },
        'application/xml': { schema: { type: 'string' } },
      },
    },
  }),
  async (c) => {
    const { db, now } = c.var.services;
    const body = await readCxmlBody(c);
    const answer = await cxmlSetup(
      {
        env: c.env,
        db,
        origin: publicOriginOf(readConfig(c.env), c.req.url),
        now: now(),
        requestId: c.get('requestId'),
      },
      body.ok ? body.text : body,
    );
    return cxmlReply(answer.xml, answer.code);
  },
);
