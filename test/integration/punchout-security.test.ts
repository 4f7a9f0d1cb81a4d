import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, expectProblem, loginAs } from './harness';
import {
  cxmlAnswer,
  openCxmlSession,
  postSetup,
  send,
  setupRequest,
  startCodeOf,
} from './punchout-cxml-helpers';
import { createTestPartner, type TestPartner } from './punchout-helpers';

/**
 * What a hostile or broken caller meets: every refusal is a cXML Status with its 4xx code and text/xml,
 * never a 500; start codes work once and briefly; a session token stays inside its cart.
 */
let partner: TestPartner;
beforeAll(async () => {
  partner = await createTestPartner();
});

const refusal = async (res: Response, code: number, why: RegExp) => {
  const answer = await cxmlAnswer(res);
  expect(answer.code, answer.text).toBe(code);
  expect(answer.text).toMatch(why);
};

describe('setup refusals', () => {
  it('wrong secret or unknown sender → 401, disabled partner → 403, another buying organisation → 403', async () => {
    await refusal(await postSetup(setupRequest(partner, { secret: 'guess' })), 401, /not accepted/);
    const stranger = { ...partner, senderIdentity: 'nobody-we-know' };
    await refusal(await postSetup(setupRequest(stranger)), 401, /not accepted/);
    const disabled = await createTestPartner({ status: 'disabled' });
    await refusal(await postSetup(setupRequest(disabled)), 403, /disabled/);
    const bound = await createTestPartner();
    await env.DB.prepare(
      "UPDATE punchout_partners SET from_domain = 'NetworkID', from_identity = 'AN-OURS' WHERE id = ?",
    )
      .bind(bound.id)
      .run();
    await refusal(await postSetup(setupRequest(bound)), 403, /Header\/From/);
    const ours = { domain: 'networkid', identity: 'AN-OURS' };
    expect((await cxmlAnswer(await postSetup(setupRequest(bound, { from: ours })))).code).toBe(200);
  });

  it('malformed XML, a wrong root, no BuyerCookie, another request type, a private return URL', async () => {
    await refusal(await postSetup('<cXML payloadID="1" timestamp="t"><Header>'), 406, /not well-formed/);
    await refusal(
      await postSetup('<?xml version="1.0"?><Order payloadID="1" timestamp="t"/>'),
      400,
      /root element must be cXML, not Order/,
    );
    await refusal(
      await postSetup(setupRequest(partner, { buyerCookie: null })),
      400,
      /BuyerCookie is required/,
    );
    await refusal(
      await postSetup(setupRequest(partner, { buyerCookie: '   ' })),
      400,
      /BuyerCookie is required/,
    );
    const profile = setupRequest(partner).replace(
      /<PunchOutSetupRequest[\s\S]*<\/PunchOutSetupRequest>/,
      '<ProfileRequest/>',
    );
    const notImplemented = await postSetup(profile);
    expect(notImplemented.status).toBe(501);
    await refusal(notImplemented, 450, /ProfileRequest is not handled here/);
    await refusal(
      await postSetup(setupRequest(partner, { returnUrl: 'https://10.0.0.8/return' })),
      400,
      /not a public address/,
    );
    await refusal(
      await postSetup(setupRequest(partner, { returnUrl: 'http://buyer.example/return' })),
      400,
      /https/,
    );
    await refusal(
      await postSetup(setupRequest(partner, { operation: 'edit', items: [{ sku: 'X', quantity: 1.5 }] })),
      400,
      /ItemOut 1/,
    );
    const json = await send('/punchout/cxml/setup', {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    await refusal(json, 406, /text\/xml/);
  });

  it('refuses external entities and entity expansion before parsing', async () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE cXML [<!ENTITY e SYSTEM "file:///etc/passwd">]><cXML payloadID="1" timestamp="t"><Header>&e;</Header></cXML>`;
    await refusal(await postSetup(xxe), 406, /Entity declarations are not accepted/);
    const lol = Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join(
      '',
    );
    const laughs = `<?xml version="1.0"?><!DOCTYPE cXML [<!ENTITY lol0 "lol">${lol}]><cXML payloadID="1" timestamp="t">&lol9;</cXML>`;
    await refusal(await postSetup(laughs), 406, /Entity declarations/);
    const subset =
      '<?xml version="1.0"?><!DOCTYPE cXML [<!ELEMENT cXML ANY>]><cXML payloadID="1" timestamp="t"/>';
    await refusal(await postSetup(subset), 406, /internal DTD subset/);
  });

  it('refuses a 20 MB document streamed with its Content-Length, before reading it', async () => {
    const size = 20 * 1024 * 1024;
    const chunk = new TextEncoder().encode(`<Extrinsic name="x">${'y'.repeat(1000)}</Extrinsic>`);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= size) return controller.close();
        const part = chunk.subarray(0, Math.min(chunk.byteLength, size - sent));
        sent += part.byteLength;
        controller.enqueue(part);
      },
    });
    const { readable, writable } = new FixedLengthStream(size);
    body.pipeTo(writable).catch(() => undefined);
    const res = await send('/punchout/cxml/setup', {
      method: 'POST',
      body: readable,
      headers: { 'content-type': 'text/xml', 'content-length': String(size) },
    });
    await refusal(res, 406, /exceeds 4 MiB/);
    // the same without a declared length is cut off while reading
    const unsized = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 5_000; i += 1) controller.enqueue(chunk);
        controller.close();
      },
    });
    await refusal(
      await send('/punchout/cxml/setup', {
        method: 'POST',
        body: unsized,
        headers: { 'content-type': 'text/xml' },
      }),
      406,
      /exceeds 4 MiB/,
    );
  });
});

describe('unexpected failures', () => {
  it('answer a cXML 500 Status, not problem+json', async () => {
    // a clock that cannot be read makes writing the session and the answer throw mid-request
    const res = await postSetup(setupRequest(partner), Number.NaN);
    expect(res.status).toBe(500);
    await refusal(res, 500, /could not be handled/);
  });
});

describe('start codes', () => {
  it('the start page redirects once to the shop; a reused or expired code is refused', async () => {
    const t0 = Date.UTC(2027, 2, 1, 9, 0, 0);
    const code = startCodeOf((await cxmlAnswer(await postSetup(setupRequest(partner), t0))).envelope);
    const first = await send(`/punchout/start/${code}`, {}, t0 + 60_000);
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toMatch(/^\/punchout\/shop\/[\w-]+\/$/);
    expect(first.headers.get('referrer-policy')).toBe('no-referrer');
    expect(first.headers.get('cache-control')).toBe('no-store');
    const again = await send(`/punchout/start/${code}`, {}, t0 + 61_000);
    expect(again.status).toBe(401);
    expect(again.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await again.text()).toContain('This link has expired');
    await expectProblem(await send(`/punchout/sessions/${code}/token`, { method: 'POST' }, t0 + 62_000), 401);

    const late = startCodeOf((await cxmlAnswer(await postSetup(setupRequest(partner), t0))).envelope);
    expect((await send(`/punchout/start/${late}`, {}, t0 + 5 * 60_000 + 1)).status).toBe(401);
    await expectProblem(
      await send(`/punchout/sessions/${late}/token`, { method: 'POST' }, t0 + 5 * 60_000 + 1),
      401,
    );
    expect((await send('/punchout/start/not-a-code')).status).toBe(401);
  });
});

describe('a session token stays in its cart', () => {
  it('cannot reach another cart, orders, company routes or a new cart (403)', async () => {
    const s = await openCxmlSession(partner);
    const buyer = await loginAs('buyer@acme.example');
    const other = (await (await call('/v1/carts/current', { token: buyer })).json()) as { id: string };
    const order = await env.DB.prepare("SELECT id FROM orders WHERE company_id = 'co_acme' LIMIT 1").first<{
      id: string;
    }>();
    for (const [method, path] of [
      ['GET', `/v1/carts/${other.id}`],
      ['POST', `/v1/carts/${other.id}/lines`],
      ['GET', '/v1/carts'],
      ['POST', '/v1/carts'],
      ['GET', '/v1/orders'],
      ['GET', `/v1/orders/${order?.id ?? 'ord_x'}`],
      ['GET', '/v1/company/users'],
      ['GET', '/v1/company'],
      ['POST', `/v1/carts/${s.session.cartId}/checkout`],
    ] as const) {
      const res = await call(path, {
        method,
        token: s.accessToken,
        body: method === 'POST' ? { lines: [] } : undefined,
      });
      expect(res.status, `${method} ${path}`).toBe(403);
    }
    expect((await call(`/v1/carts/${s.session.cartId}`, { token: s.accessToken })).status).toBe(200);
    // a user's token is not a session token: the transfer refuses it
    await expectProblem(
      await send('/punchout/sessions/current/transfer', { method: 'POST', token: buyer }),
      401,
    );
    await expectProblem(await send('/punchout/sessions/current/transfer', { method: 'POST' }), 401);
  });

  it('a session without a return address (inspect without BrowserFormPost) cannot transfer', async () => {
    const s = await openCxmlSession(partner, { operation: 'inspect', returnUrl: null });
    const res = await send('/punchout/sessions/current/transfer', { method: 'POST', token: s.accessToken });
    expect((await expectProblem(res, 409)).detail).toMatch(/no return address/);
  });
});
