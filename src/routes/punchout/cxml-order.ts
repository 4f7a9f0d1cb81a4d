import { Hono } from 'hono';
import { type CxmlStatusCode, readCxml, statusResponse } from '../../domain/punchout/cxml-document';
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
export const cxmlOrderRoutes = new Hono<AppEnv>().post('/order', async (c) => {
  const { db, now } = c.var.services;
  const at = now();
  const requestId = c.var.requestId;
  const host = new URL(c.req.url).host;
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
