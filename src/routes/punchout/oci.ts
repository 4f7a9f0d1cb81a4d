import type { Context } from 'hono';
import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { publicOriginOf, readConfig } from '../../env';
import { attemptContextOf } from '../../http/actor';
import { readCappedBody } from '../../http/capped-body';
import type { AppEnv } from '../../http/context';
import { recordExchanges } from '../../services/punchout/log';
import { ociForm, ociRefusalPage } from '../../services/punchout/oci-form';
import { answerOci } from '../../services/punchout/oci-setup';
import { transferForm, transferFormHtml } from '../../services/punchout/transfer-form';

/**
 * SAP OCI 4.0/5.0 (docs/punchout.md): `GET|POST /punchout/oci`. Parameters come from the query string and
 * an `application/x-www-form-urlencoded` (or multipart) body, names in any letter case. A browser makes
 * this call, so every answer is for a browser: a redirect to the start page, the hook form, or a short
 * HTML page saying why not (never problem+json).
 */
export const MAX_OCI_BODY_BYTES = 64 * 1024;

type Read = { ok: true; params: Map<string, string> } | { ok: false; status: 413 | 415; message: string };

/** Query first, then the body (a body value wins); the first value of a name counts. */
async function readParams(c: Context<AppEnv>): Promise<Read> {
  const params = new Map<string, string>();
  const add = (entries: Iterable<[string, string]>) => {
    const seen = new Set<string>();
    for (const [name, value] of entries) {
      const key = name.trim().toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      params.set(key, value);
    }
  };
  add(new URL(c.req.url).searchParams);
  const body = c.req.raw.body;
  if (c.req.method !== 'POST' || !body) return { ok: true, params };
  const tooLarge = {
    ok: false,
    status: 413,
    message: `The form exceeds ${MAX_OCI_BODY_BYTES / 1024} KiB`,
  } as const;
  if (Number(c.req.header('content-length') ?? '0') > MAX_OCI_BODY_BYTES) return tooLarge;
  const type = c.req.header('content-type') ?? '';
  const bytes = await readCappedBody(body, MAX_OCI_BODY_BYTES);
  if (!bytes) return tooLarge;
  if (bytes.byteLength === 0) return { ok: true, params };
  if (/^application\/x-www-form-urlencoded\s*(;|$)/i.test(type)) {
    // SAP posts UTF-8; an older sender's Latin-1 form is read as Windows-1252 rather than refused
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    } catch {
      text = new TextDecoder('windows-1252').decode(bytes);
    }
    add(new URLSearchParams(text));
    return { ok: true, params };
  }
  if (/^multipart\/form-data\s*;/i.test(type)) {
    const form = await new Response(bytes, { headers: { 'content-type': type } })
      .formData()
      .catch(() => null);
    if (!form) return { ok: false, status: 415, message: 'The multipart form could not be read' };
    add([...form.entries()].flatMap(([k, v]) => (typeof v === 'string' ? [[k, v] as [string, string]] : [])));
    return { ok: true, params };
  }
  return {
    ok: false,
    status: 415,
    message: 'Send the OCI parameters in the query or as a form (application/x-www-form-urlencoded)',
  };
}

const asLogged = (params: ReadonlyMap<string, string>) =>
  [...params].map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');

async function ociCall(c: Context<AppEnv>): Promise<Response> {
  const { services } = c.var;
  const now = services.now();
  const context = { ...attemptContextOf(c), origin: publicOriginOf(readConfig(c.env), c.req.url) };
  const read = await readParams(c);
  if (!read.ok) return ociRefusalPage(read.status, read.message);
  const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? null;
  const { answer, partner } = await answerOci(
    { env: c.env, db: services.db, config: services.config, pricing: services.pricing, now },
    read.params,
    bearer,
    context,
  );
  const fn = (read.params.get('function') ?? '').trim().toLowerCase();
  const kind = `oci.${fn === 'validate' || fn === 'background_search' || fn === 'detail' ? fn : 'setup'}`;
  const status = answer.kind === 'refused' ? answer.status : answer.kind === 'redirect' ? 303 : 200;
  const common = {
    kind,
    partnerId: partner?.id,
    companyId: partner?.companyId,
    requestId: context.requestId,
    at: now,
  };
  const sessionId = answer.kind === 'redirect' ? answer.sessionId : null;
  await recordExchanges(services.db, [
    { ...common, sessionId, direction: 'in', status, body: asLogged(read.params) },
    {
      ...common,
      sessionId,
      direction: 'out',
      status,
      body:
        answer.kind === 'form'
          ? transferFormHtml(ociForm(answer.form))
          : answer.kind === 'redirect'
            ? `Location: ${answer.location.replace(/\/start\/[^/?]+/, '/start/[code]')}`
            : answer.message,
    },
  ]);
  if (answer.kind === 'refused') return ociRefusalPage(answer.status, answer.message);
  if (answer.kind === 'form') return transferForm(ociForm(answer.form));
  return new Response(null, {
    status: 303,
    headers: { location: answer.location, 'cache-control': 'no-store' },
  });
}

const page = (description: string) => ({
  description,
  content: { 'text/html': { schema: { type: 'string' as const } } },
});

// a browser's route: answers are pages and redirects, never JSON or problem+json (docs/punchout.md)
const documented = (method: 'GET' | 'POST') =>
  describeRoute({
    tags: ['Punch-out'],
    summary: `SAP OCI: open the shop, DETAIL, VALIDATE or BACKGROUND_SEARCH (${method})`,
    description:
      'OCI 4.0/5.0 parameters (USERNAME/PASSWORD or a `punchout` API key, HOOK_URL, ~target, ~OkCode, ~caller, FUNCTION, PRODUCTID, QUANTITY, SEARCHSTRING, ~language) from the query or a form body of at most 64 KiB, names in any letter case. Without FUNCTION, and for DETAIL, a 303 to the one-time start page; VALIDATE and BACKGROUND_SEARCH answer the auto-submitting hook form with NEW_ITEM-*[n] fields. Refusals are short HTML pages. See docs/punchout.md.',
    security: [],
    ...(method === 'POST'
      ? {
          requestBody: {
            content: { 'application/x-www-form-urlencoded': { schema: { type: 'object' as const } } },
          },
        }
      : {}),
    responses: {
      200: page('The hook form (VALIDATE, BACKGROUND_SEARCH), posting the items to HOOK_URL'),
      303: { description: 'To the start page `/punchout/start/{code}` (`?sku=` for DETAIL)' },
      400: page('A missing or refused HOOK_URL, an unknown FUNCTION, a missing PRODUCTID or SEARCHSTRING'),
      401: page('Wrong user name or password, or an invalid token'),
      403: page('A token without the punchout scope, or a user the partner may not act as'),
      413: page('The form exceeds 64 KiB'),
      415: page('A body that is not a form'),
    },
  });

export const ociRoutes = new Hono<AppEnv>()
  .get('/', documented('GET'), ociCall)
  .post('/', documented('POST'), ociCall);
