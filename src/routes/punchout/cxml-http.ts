import type { Context } from 'hono';
import {
  type CxmlRefusal,
  type CxmlStatusCode,
  refuse,
  statusResponse,
} from '../../domain/punchout/cxml-document';
import { MAX_PUNCHOUT_DOCUMENT_BYTES } from '../../domain/punchout-terms';
import { publicOriginOf, readConfig } from '../../env';
import { readCappedBody } from '../../http/capped-body';
import type { AppEnv } from '../../http/context';

/**
 * HTTP around cXML: bodies are read with a size cap before any parsing, and every answer, refusals
 * included, is a cXML document. The HTTP status mirrors the cXML code where HTTP defines it, so both a
 * procurement system reading the Status and a proxy reading the status line see the same outcome.
 */
const HTTP_STATUS: Partial<
  Record<CxmlStatusCode, 200 | 400 | 401 | 403 | 406 | 409 | 412 | 417 | 500 | 501 | 503>
> = {
  400: 400,
  401: 401,
  403: 403,
  406: 406,
  409: 409,
  412: 412,
  417: 417,
  450: 501,
  500: 500,
  550: 503,
  560: 503,
};

const XML_TYPES = /^(text|application)\/xml\s*(;|$)/i;

/** The cXML document of a request: XML media type, at most MAX_PUNCHOUT_DOCUMENT_BYTES, UTF-8 text. */
export async function readCxmlBody(c: Context<AppEnv>): Promise<{ ok: true; text: string } | CxmlRefusal> {
  const type = c.req.header('content-type') ?? '';
  if (!XML_TYPES.test(type)) return refuse(406, 'Send the cXML document as text/xml or application/xml');
  const declared = Number(c.req.header('content-length') ?? 'NaN');
  if (declared > MAX_PUNCHOUT_DOCUMENT_BYTES) return tooLarge();
  const body = c.req.raw.body;
  if (!body) return refuse(400, 'The request has no cXML document');
  const bytes = await readCappedBody(body, MAX_PUNCHOUT_DOCUMENT_BYTES);
  if (!bytes) return tooLarge();
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes) };
  } catch {
    return refuse(406, 'The document is not valid UTF-8');
  }
}

const tooLarge = () =>
  refuse(
    406,
    `The document exceeds ${MAX_PUNCHOUT_DOCUMENT_BYTES / 1024 / 1024} MiB; punch-out documents are smaller`,
  );

/** A cXML answer with the HTTP status that mirrors its code. */
export function cxmlReply(xml: string, code: CxmlStatusCode): Response {
  return new Response(xml, {
    status: code < 300 ? 200 : (HTTP_STATUS[code] ?? 400),
    headers: { 'content-type': 'text/xml; charset=utf-8', 'cache-control': 'no-store' },
  });
}

/** A refusal as a cXML Response with only a Status. */
export function cxmlStatusReply(
  c: Context<AppEnv>,
  code: CxmlStatusCode,
  message: string,
  at: number,
): Response {
  return cxmlReply(
    statusResponse(code, message, { at, host: new URL(publicOriginOf(readConfig(c.env), c.req.url)).host }),
    code,
  );
}
