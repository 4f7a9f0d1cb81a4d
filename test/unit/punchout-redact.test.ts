import { describe, expect, it } from 'vitest';
import { MAX_LOGGED_BODY } from '../../src/domain/punchout-terms';
import { redact } from '../../src/services/punchout/log';

const SECRET = 'Sup3r-S3cret_value-0123456789abcdefXYZ';

const setupRequest = (secret: string) => `<?xml version="1.0" encoding="UTF-8"?>
<cXML payloadID="1@buyer" timestamp="2026-01-01T10:00:00+01:00">
  <Header>
    <From><Credential domain="NetworkID"><Identity>AN01</Identity></Credential></From>
    <To><Credential domain="DUNS"><Identity>123</Identity></Credential></To>
    <Sender>
      <Credential domain="NetworkID">
        <Identity>acme-coupa</Identity>
        <SharedSecret>${secret}</SharedSecret>
      </Credential>
      <UserAgent>Coupa</UserAgent>
    </Sender>
  </Header>
  <Request><PunchOutSetupRequest operation="create"><BuyerCookie>c1</BuyerCookie></PunchOutSetupRequest></Request>
</cXML>`;

describe('punch-out log redaction', () => {
  it('replaces the cXML SharedSecret and keeps the rest of the document', () => {
    const out = redact(setupRequest(SECRET));
    expect(out).not.toContain(SECRET);
    expect(out).toContain('<SharedSecret>[redacted]</SharedSecret>');
    expect(out).toContain('<Identity>acme-coupa</Identity>');
    expect(out).toContain('<BuyerCookie>c1</BuyerCookie>');
  });

  it('replaces a SharedSecret with attributes, spread over lines, or in CDATA, and a CredentialMac', () => {
    const out = redact(
      `<SharedSecret xml:lang="en">\n  ${SECRET}\n</SharedSecret>` +
        `<sharedsecret><![CDATA[${SECRET}1]]></sharedsecret>` +
        `<CredentialMac type="FromSenderCredentials" algorithm="HMAC-SHA1-96">${SECRET}2</CredentialMac>`,
    );
    expect(out).not.toContain(SECRET);
  });

  it('replaces a SharedSecret that travels HTML-escaped or URL-encoded (a form post of a cXML document)', () => {
    const escaped = setupRequest(SECRET).replaceAll('<', '&lt;').replaceAll('>', '&gt;');
    expect(redact(`<input type="hidden" name="cxml-urlencoded" value="${escaped}">`)).not.toContain(SECRET);
    expect(redact(`cxml-urlencoded=${encodeURIComponent(setupRequest(SECRET))}`)).not.toContain(SECRET);
  });

  it('replaces the OCI PASSWORD in a query string and in a form body, whatever its case', () => {
    const query = `/punchout/oci?USERNAME=acme-srm&PASSWORD=${SECRET}&HOOK_URL=https%3A%2F%2Fsrm.example%2Fhook&~caller=CTLG`;
    const out = redact(query);
    expect(out).not.toContain(SECRET);
    expect(out).toContain('USERNAME=acme-srm');
    expect(out).toContain('HOOK_URL=https%3A%2F%2Fsrm.example%2Fhook');
    expect(redact(`USERNAME=acme-srm&password=${SECRET}`)).not.toContain(SECRET);
    expect(redact(`PASSWORD=${SECRET}&USERNAME=x`)).toBe('PASSWORD=[redacted]&USERNAME=x');
    expect(redact(`USERNAME=x\nPASSWORD=${SECRET}\n`)).not.toContain(SECRET);
  });

  it('replaces a password or token in a URL written inside XML (&amp;) or in other parameter names', () => {
    expect(redact(`<URL>https://shop.example/oci?USERNAME=a&amp;PASSWORD=${SECRET}</URL>`)).not.toContain(
      SECRET,
    );
    expect(redact(`https://x.example/?sap-user=a&sap-password=${SECRET}`)).not.toContain(SECRET);
    expect(redact(`https://x.example/?access_token=${SECRET}`)).not.toContain(SECRET);
  });

  it('replaces secrets in JSON bodies, escaped quotes included, and keeps other fields', () => {
    const out = redact(
      JSON.stringify({
        sharedSecret: SECRET,
        password: `${SECRET}"quoted"${SECRET}`,
        accessToken: SECRET,
        client_secret: SECRET,
        poNumber: 'PO-1',
      }),
    );
    expect(out).not.toContain(SECRET);
    expect(out).toContain('"poNumber":"PO-1"');
  });

  it('replaces the one-time start code of a setup answer (a credential for the session)', () => {
    const code = 'aB3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh';
    const response = `<PunchOutSetupResponse><StartPage><URL>https://shop.example/punchout/start/${code}</URL></StartPage></PunchOutSetupResponse>`;
    expect(redact(response)).not.toContain(code);
    expect(redact(`https://shop.example/punchout/start?code=${code}`)).not.toContain(code);
    expect(redact(`https://shop.example/punchout/sessions/${code}/token`)).not.toContain(code);
  });

  it('cuts long bodies, says so, and never leaves a secret whose closing tag was cut off', () => {
    const head = 'x'.repeat(MAX_LOGGED_BODY - 40);
    const body = `${head}<SharedSecret>${SECRET}${'y'.repeat(100)}</SharedSecret>`;
    const out = redact(body);
    expect(out).not.toContain(SECRET.slice(0, 12));
    expect(out.length).toBeLessThan(MAX_LOGGED_BODY + 100);
    expect(out.endsWith(`[cut: ${body.length} characters in all]`)).toBe(true);
    // a password cut in the middle of its value is still replaced
    const query = `${'q'.repeat(MAX_LOGGED_BODY - 20)}&PASSWORD=${SECRET}`;
    expect(redact(query)).not.toContain(SECRET.slice(0, 8));
  });

  it('leaves a body without secrets as it is', () => {
    const body = '<cXML><Response><Status code="200" text="OK"/></Response></cXML>';
    expect(redact(body)).toBe(body);
  });
});
