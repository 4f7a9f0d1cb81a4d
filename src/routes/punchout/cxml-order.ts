import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { type CxmlStatusCode, readCxml, statusResponse } from '../../domain/punchout/cxml-document';
import { publicOriginOf, readConfig } from '../../env';
import type { AppEnv } from '../../http/context';
import { describeError, log } from '../../lib/log';
import { recordExchanges } from '../../services/punchout/log';
import { handleOrderRequest, type OrderAnswer } from '../../services/punchout/order-request';
import { cxmlReply, readCxmlBody } from './cxml-http';

/**
 * `POST /punchout/cxml/order`: a procurement system posts a cXML OrderRequest (docs/punchout.md, "Orders
 * from partners"). Every answer is a cXML Response, an unexpected failure included (500), and both the
 * document and the answer are kept in the punch-out log (kind `cxml.order`).
 */
const cxml = (description: string) => ({
  description,
  content: { 'text/xml': { schema: { type: 'string' as const } } },
});

// every answer is a cXML Response (no problem+json), so the route is described here rather than by `doc()`
const described = describeRoute({
  tags: ['Punch-out'],
  summary: 'A procurement system posts a cXML OrderRequest (new, update, delete)',
  description:
    'Authenticated by the Sender credential and SharedSecret. The answer is a cXML `Response` whose Status code the HTTP status mirrors (docs/punchout.md, "Orders from partners"): 200 placed or cancelled, 201 received and waiting for the company’s approval (HTTP 200), 400 malformed or another currency, 401 unknown sender or wrong secret, 403 partner disabled or user refused, 406 not readable XML, 409 a price outside the tolerance or the orderID sent before with other content, 417 a line we cannot supply, 450 (HTTP 501) update, 500 unexpected. The same payloadID, or the same orderID with the same content, answers the first answer.',
  security: [],
  requestBody: { required: true, content: { 'text/xml': { schema: { type: 'string' } } } },
  responses: {
    200: cxml('cXML Response, Status 200 or 201'),
    400: cxml('Status 400'),
    401: cxml('Status 401'),
    403: cxml('Status 403'),
    406: cxml('Status 406'),
    409: cxml('Status 409'),
    417: cxml('Status 417'),
    500: cxml('Status 500'),
    501: cxml('Status 450 (Not Implemented)'),
  },
});

export const cxmlOrderRoutes = new Hono<AppEnv>().post('/order', described, async (c) => {
  const { db, now } = c.var.services;
  const at = now();
  const requestId = c.var.requestId;
  const host = new URL(publicOriginOf(readConfig(c.env), c.req.url)).host;
  let body = '';
  let payloadId: string | null = null;
  let outcome: OrderAnswer;
  try {
    const read = await readCxmlBody(c);
    if (read.ok) body = read.text;
    const envelope = read.ok ? readCxml(read.text) : read;
    if (envelope.ok) payloadId = envelope.value.payloadId;
    outcome = envelope.ok
      ? await handleOrderRequest({ env: c.env, db, host, requestId, now: at }, envelope.value)
      : { code: envelope.code, xml: statusResponse(envelope.code, envelope.message, { at, host }) };
  } catch (err) {
    log('error', 'cxml order request failed', { requestId, ...describeError(err) });
    const code: CxmlStatusCode = 500;
    outcome = {
      code,
      xml: statusResponse(code, `The order could not be processed; retry later (request ${requestId})`, {
        at,
        host,
      }),
    };
  }
  const common = {
    kind: 'cxml.order',
    partnerId: outcome.partner?.id ?? null,
    companyId: outcome.partner?.companyId ?? null,
    payloadId,
    requestId,
    at,
  };
  await recordExchanges(db, [
    { ...common, direction: 'in', status: outcome.code, body },
    { ...common, direction: 'out', status: outcome.code, body: outcome.xml },
  ]);
  return cxmlReply(outcome.xml, outcome.code);
});
