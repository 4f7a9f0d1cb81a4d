import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { cxmlAnswer, postSetup, setupRequest, startCodeOf } from './punchout-cxml-helpers';
import { CXML_FIXTURES, createTestPartner, type TestPartner } from './punchout-helpers';

/**
 * Every cXML sample other implementations wrote, posted to the setup endpoint by a partner made to match its
 * Sender credential and secret: accepted, or refused for the reason stated here.
 */
const EXPECTED: Record<string, { code: number; why: RegExp }> = {
  'businesscxml-posr-create-contact-rich-shipto-returnframe.xml': { code: 200, why: /^$/ },
  'businesscxml-posr-create-useremail-firstname-lastname-no-doctype.xml': { code: 200, why: /^$/ },
  // create ignores ItemOut (only edit and inspect reopen lines)
  'cxmlphp-posr-create-useremail-shipto-selecteditem-itemout.xml': { code: 200, why: /^$/ },
  // Coupa: unknown e-mail → the partner's default user; the non-ISO timestamp is not read
  'officeluv-posr-create-coupa-extrinsics-contact.xml': { code: 200, why: /^$/ },
  // create without BrowserFormPost: the cart could never come back
  'businesscxml-posr-contact-only-no-extrinsics.xml': { code: 400, why: /BrowserFormPost\/URL is required/ },
  'businesscxml-posr-minimal-no-browserformpost.xml': { code: 400, why: /BrowserFormPost\/URL is required/ },
  // BrowserFormPost over plain http to a public host
  'officeluv-posr-create-duns-suppliersetup.xml': {
    code: 400,
    why: /BrowserFormPost\/URL is refused.*https/,
  },
  'officeluv-posr-create-shipto.xml': { code: 400, why: /BrowserFormPost\/URL is refused.*https/ },
  // order messages travel through the browser without a SharedSecret: not an authenticated sender
  'businesscxml-poom-quote-pending-tax-shipping-composite.xml': { code: 401, why: /not accepted/ },
  'businesscxml-poom-status-201-inreplyto-no-items.xml': { code: 401, why: /not accepted/ },
  'cxmlphp-poom-2-items-cdata-shortname.xml': { code: 401, why: /not accepted/ },
  'cxmlphp-poom-pricebasisquantity.xml': { code: 401, why: /not accepted/ },
  'sixmils-poom-operationallowed-edit-leadtime.xml': { code: 401, why: /not accepted/ },
  // root element `cxml`: XML names are case-sensitive
  'officeluv-poom-lowercase-root-no-items.xml': { code: 400, why: /root element must be cXML, not cxml/ },
  // responses have no Header: no Sender to authenticate
  'businesscxml-posres-200-single-line.xml': { code: 401, why: /Sender\/Credential/ },
  'businesscxml-profileresponse-punchout-transaction.xml': { code: 401, why: /Sender\/Credential/ },
  'businesscxml-response-401-unauthorized.xml': { code: 401, why: /Sender\/Credential/ },
  'businesscxml-response-450-not-implemented.xml': { code: 401, why: /Sender\/Credential/ },
  'officeluv-posres-200-startpage.xml': { code: 401, why: /Sender\/Credential/ },
  'officeluv-response-400-no-xml-decl.xml': { code: 401, why: /Sender\/Credential/ },
  'sixmils-posres-400-failure.xml': { code: 401, why: /Sender\/Credential/ },
  'businesscxml-response-malformed-xml.xml': { code: 406, why: /not well-formed/ },
  // authenticated, but an OrderRequest belongs to /punchout/cxml/order
  'cxmlphp-orderrequest-eur-billto-de-comments-attachment.xml': {
    code: 450,
    why: /OrderRequest is not handled here/,
  },
  'cxmlphp-orderrequest-payment-reference.xml': { code: 450, why: /OrderRequest is not handled here/ },
  'officeluv-orderrequest-coupa-2-lines-accounting.xml': {
    code: 450,
    why: /OrderRequest is not handled here/,
  },
  // this sample's Sender carries no SharedSecret
  'officeluv-orderrequest-coupa-comments-billto.xml': { code: 401, why: /not accepted/ },
};

async function sha256Hex(value: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

const partners = new Map<string, TestPartner>();

/** A partner for the fixture's Sender and secret (samples share senders: the secret is set each time). */
async function partnerMatching(xml: string): Promise<TestPartner | null> {
  const sender =
    /<Sender>\s*<Credential\s+domain="([^"]+)">\s*<Identity>\s*([^<]*?)\s*<\/Identity>\s*(?:<SharedSecret>([^<]*)<\/SharedSecret>)?/.exec(
      xml,
    );
  if (!sender?.[1] || !sender[2]) return null;
  const [, domain, identity, secret] = sender;
  const key = `${domain.toLowerCase()}|${identity}`;
  let partner = partners.get(key);
  if (!partner) {
    partner = await createTestPartner({
      senderDomain: domain,
      senderIdentity: identity,
      secret: secret ?? 'unused',
    });
    partners.set(key, partner);
  }
  await env.DB.prepare('UPDATE punchout_partners SET secret_hash = ? WHERE id = ?')
    .bind(await sha256Hex(secret ?? 'unused'), partner.id)
    .run();
  return partner;
}

describe('POST /punchout/cxml/setup with the sample documents', () => {
  it('has an expected outcome for every sample', () => {
    expect(Object.keys(CXML_FIXTURES).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [file, expected] of Object.entries(EXPECTED)) {
    it(`${file} → ${expected.code}`, async () => {
      const xml = CXML_FIXTURES[file] ?? '';
      await partnerMatching(xml);
      const answer = await cxmlAnswer(await postSetup(xml));
      expect(answer.code, answer.text).toBe(expected.code);
      expect(answer.text).toMatch(expected.why);
      expect(answer.http).toBe(expected.code === 450 ? 501 : expected.code);
      if (expected.code === 200) expect(startCodeOf(answer.envelope).length).toBeGreaterThan(30);
    });
  }

  it('accepts a document without BrowserFormPost when it only inspects', async () => {
    const xml = (CXML_FIXTURES['businesscxml-posr-minimal-no-browserformpost.xml'] ?? '').replace(
      'operation="create"',
      'operation="inspect"',
    );
    await partnerMatching(xml);
    expect((await cxmlAnswer(await postSetup(xml))).code).toBe(200);
  });
});

describe('the setup answer and the session it opens', () => {
  it('answers a PunchOutSetupResponse with a start page, logs both documents and keeps the request facts', async () => {
    const partner = await createTestPartner({ defaultLanguage: 'de' });
    const xml = setupRequest(partner, {
      buyerCookie: '  cookie-facts  ',
      lang: 'fr-FR',
      email: 'buyer@acme.example',
    });
    const answer = await cxmlAnswer(await postSetup(xml));
    expect(answer.code).toBe(200);
    expect(answer.body).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<!DOCTYPE cXML SYSTEM "http:\/\/xml\.cxml\.org\/schemas\/cXML\/[\d.]+\/cXML\.dtd">/,
    );
    expect(answer.envelope.timestamp).toMatch(/[+-]\d{2}:\d{2}$/);
    const url = answer.body.match(/<URL>([^<]+)<\/URL>/)?.[1];
    expect(url).toMatch(/^https:\/\/api\.test\/punchout\/start\/[\w-]+$/);
    const session = await env.DB.prepare(
      'SELECT id, user_id, operation, buyer_cookie, language, return_url, payload_id, state FROM punchout_sessions WHERE partner_id = ?',
    )
      .bind(partner.id)
      .first<Record<string, string>>();
    expect(session).toMatchObject({
      user_id: 'usr_acme_buyer',
      operation: 'create',
      buyer_cookie: 'cookie-facts',
      language: 'fr',
      return_url: 'https://procurement.example/punchout/return?session=42&step=cart',
      state: 'open',
    });
    const logged = await env.DB.prepare(
      "SELECT direction, status, body, buyer_cookie, company_id FROM punchout_log WHERE kind = 'cxml.setup' AND session_id = ? ORDER BY direction",
    )
      .bind(session?.id)
      .all<{ direction: string; status: number; body: string; buyer_cookie: string; company_id: string }>();
    expect(logged.results.map((r) => [r.direction, r.status, r.buyer_cookie, r.company_id])).toEqual([
      ['in', 200, 'cookie-facts', 'co_acme'],
      ['out', 200, 'cookie-facts', 'co_acme'],
    ]);
    const audit = await env.DB.prepare(
      "SELECT actor_kind, company_id FROM audit_log WHERE action = 'punchout.session_opened' AND target_id = ?",
    )
      .bind(session?.id)
      .first<{ actor_kind: string; company_id: string }>();
    expect(audit).toEqual({ actor_kind: 'system', company_id: 'co_acme' });
    // the shared secret is never kept in the log
    expect(logged.results[0]?.body).toContain('<SharedSecret>[redacted]</SharedSecret>');
    expect(logged.results[0]?.body).not.toContain(partner.secret);
  });

  it('falls back to the partner’s language when the document names one the shop does not speak', async () => {
    const partner = await createTestPartner({ defaultLanguage: 'de' });
    const answer = await cxmlAnswer(await postSetup(setupRequest(partner, { lang: 'ja-JP' })));
    expect(answer.code).toBe(200);
    const row = await env.DB.prepare('SELECT language FROM punchout_sessions WHERE partner_id = ?')
      .bind(partner.id)
      .first<{ language: string }>();
    expect(row?.language).toBe('de');
  });

  it('refuses an operation other than create, edit or inspect, and a user it may not act as', async () => {
    const partner = await createTestPartner({ defaultUserId: null });
    const odd = setupRequest(partner).replace('operation="create"', 'operation="delete"');
    expect((await cxmlAnswer(await postSetup(odd))).code).toBe(400);
    const nobody = await cxmlAnswer(
      await postSetup(setupRequest(partner, { email: 'stranger@nowhere.example' })),
    );
    expect(nobody.code).toBe(403);
    expect(nobody.text).toMatch(/No user stranger@nowhere\.example/);
    const other = await env.DB.prepare(
      "SELECT email FROM users WHERE company_id IS NOT NULL AND company_id != 'co_acme' LIMIT 1",
    ).first<{ email: string }>();
    const foreign = await cxmlAnswer(await postSetup(setupRequest(partner, { email: other?.email ?? '' })));
    expect(foreign.code).toBe(403);
    expect(foreign.text).toMatch(/not a user of this company/);
  });

  it('provisions an unknown user with the punch-out role when the partner allows it', async () => {
    const partner = await createTestPartner({ provisionUsers: true, defaultUserId: null });
    const email = `new-${crypto.randomUUID()}@acme.example`;
    expect((await cxmlAnswer(await postSetup(setupRequest(partner, { email })))).code).toBe(200);
    const user = await env.DB.prepare(
      "SELECT u.company_id FROM users u JOIN user_roles r ON r.user_id = u.id WHERE u.email = ? AND r.role_id LIKE '%punchout_buyer%'",
    )
      .bind(email)
      .first<{ company_id: string }>();
    expect(user?.company_id).toBe('co_acme');
  });
});
