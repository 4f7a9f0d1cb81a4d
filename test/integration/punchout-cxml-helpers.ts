import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { expect } from 'vitest';
import {
  type CxmlEnvelope,
  child,
  children,
  path,
  readCxml,
  text,
} from '../../src/domain/punchout/cxml-document';
import worker from '../../src/index';
import type { TestPartner } from './punchout-helpers';

/**
 * A procurement system speaking cXML to the Worker: setup requests written the way Ariba and Coupa write
 * them, posted as text/xml, and the answers read back with the same safe reader the service uses.
 */
export const RETURN_URL = 'https://procurement.example/punchout/return?session=42&step=cart';

export interface SetupOptions {
  operation?: 'create' | 'edit' | 'inspect';
  buyerCookie?: string | null;
  returnUrl?: string | null;
  email?: string | null;
  lang?: string;
  secret?: string;
  from?: { domain: string; identity: string };
  items?: { sku: string; quantity: number; auxiliaryId?: string }[];
}

const x = (value: string) =>
  value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

export function setupRequest(partner: TestPartner, o: SetupOptions = {}): string {
  const from = o.from ?? { domain: 'NetworkID', identity: 'AN-BUYER-1' };
  const cookie = o.buyerCookie === undefined ? `cookie-${crypto.randomUUID()}` : o.buyerCookie;
  const returnUrl = o.returnUrl === undefined ? RETURN_URL : o.returnUrl;
  const items = (o.items ?? [])
    .map(
      (i) =>
        `<ItemOut quantity="${i.quantity}"><ItemID><SupplierPartID>${x(i.sku)}</SupplierPartID>` +
        `${i.auxiliaryId ? `<SupplierPartAuxiliaryID>${x(i.auxiliaryId)}</SupplierPartAuxiliaryID>` : ''}</ItemID></ItemOut>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.060/cXML.dtd">
<cXML payloadID="${Date.now()}.${crypto.randomUUID()}@procurement.example" timestamp="2026-11-30T09:00:00+01:00" xml:lang="${o.lang ?? 'en-US'}">
<Header>
<From><Credential domain="${from.domain}"><Identity>${x(from.identity)}</Identity></Credential></From>
<To><Credential domain="DUNS"><Identity>SUPPLIER-1</Identity></Credential></To>
<Sender><Credential domain="${x(partner.senderDomain ?? '')}"><Identity>${x(partner.senderIdentity ?? '')}</Identity>
<SharedSecret>${x(o.secret ?? partner.secret)}</SharedSecret></Credential><UserAgent>Test Procurement 1.0</UserAgent></Sender>
</Header>
<Request deploymentMode="test"><PunchOutSetupRequest operation="${o.operation ?? 'create'}">
${cookie === null ? '' : `<BuyerCookie>${x(cookie)}</BuyerCookie>`}
${o.email ? `<Extrinsic name="UserEmail">${x(o.email)}</Extrinsic>` : ''}
${returnUrl === null ? '' : `<BrowserFormPost><URL>${x(returnUrl)}</URL></BrowserFormPost>`}
${items}
</PunchOutSetupRequest></Request></cXML>`;
}

/** Calls the Worker, optionally at a given instant (the Worker's TEST_CLOCK). */
export async function send(
  pathAndQuery: string,
  init: { method?: string; body?: BodyInit; headers?: Record<string, string>; token?: string } = {},
  clock?: number,
): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  const request = new Request(`https://api.test${pathAndQuery}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.body,
    redirect: 'manual',
  });
  const ctx = createExecutionContext();
  const bindings = clock === undefined ? env : { ...env, TEST_CLOCK: () => clock };
  const res = await worker.fetch(request, bindings, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

export const postSetup = (xml: string, clock?: number) =>
  send(
    '/punchout/cxml/setup',
    { method: 'POST', body: xml, headers: { 'content-type': 'text/xml; charset=utf-8' } },
    clock,
  );

/** A cXML answer: its HTTP status, the Status code and text, and the parsed envelope. */
export async function cxmlAnswer(res: Response) {
  expect(res.headers.get('content-type')).toMatch(/^text\/xml/);
  const body = await res.text();
  const read = readCxml(body);
  if (!read.ok) throw new Error(`unreadable answer: ${read.message}\n${body}`);
  const status = path(read.value.root, 'Response', 'Status');
  return {
    http: res.status,
    code: Number(status?.['@code']),
    text: text(status) ?? '',
    envelope: read.value,
    body,
  };
}

export function startCodeOf(envelope: CxmlEnvelope): string {
  const url = text(path(envelope.root, 'Response', 'PunchOutSetupResponse', 'StartPage', 'URL'));
  const match = /\/punchout\/start\/([^/?#]+)$/.exec(url ?? '');
  if (!match?.[1]) throw new Error(`no start page in the answer: ${url}`);
  return decodeURIComponent(match[1]);
}

export interface Session {
  accessToken: string;
  session: { id: string; cartId: string; operation: string; language: string; buyerCookie: string };
}

/** Setup → start code → token, as a headless storefront does it. */
export async function openCxmlSession(partner: TestPartner, o: SetupOptions = {}): Promise<Session> {
  const answer = await cxmlAnswer(await postSetup(setupRequest(partner, o)));
  expect(answer.code, answer.text).toBe(200);
  const res = await send(`/punchout/sessions/${encodeURIComponent(startCodeOf(answer.envelope))}/token`, {
    method: 'POST',
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Session;
}

const unescapeHtml = (value: string) =>
  value
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&#10;', '\n')
    .replaceAll('&#13;', '\r')
    .replaceAll('&#9;', '\t')
    .replaceAll('&amp;', '&');

/** The transfer page's form: action, target and hidden fields, as a browser would submit them. */
export function readTransferForm(html: string) {
  const form =
    /<form id="punchout-transfer" method="post" action="([^"]*)"(?: target="([^"]*)")?(?: accept-charset="UTF-8")?>/.exec(
      html,
    );
  if (!form) throw new Error(`no transfer form in\n${html}`);
  const fields = [...html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map(
    (m) => [unescapeHtml(m[1] ?? ''), unescapeHtml(m[2] ?? '')] as const,
  );
  return { action: unescapeHtml(form[1] ?? ''), target: form[2] ?? null, fields };
}

/** The PunchOutOrderMessage a transfer page carries, decoded from `cxml-urlencoded` or `cxml-base64`. */
export function decodeOrderMessage(fields: readonly (readonly [string, string])[]): CxmlEnvelope {
  const [name, value] = fields[0] ?? ['', ''];
  const xml =
    name === 'cxml-base64'
      ? new TextDecoder().decode(Uint8Array.from(atob(value), (ch) => ch.charCodeAt(0)))
      : value;
  expect(['cxml-urlencoded', 'cxml-base64']).toContain(name);
  // what the browser sends is the form urlencoded; the procurement system decodes it back
  const posted = new URLSearchParams(new URLSearchParams([[name, value]]).toString()).get(name);
  expect(posted).toBe(value);
  const read = readCxml(xml);
  if (!read.ok) throw new Error(`unreadable order message: ${read.message}`);
  return read.value;
}

export const itemsOf = (message: CxmlEnvelope) =>
  children(path(message.root, 'Message', 'PunchOutOrderMessage'), 'ItemIn');
export { child, path, text };
