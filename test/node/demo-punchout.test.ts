import { describe, expect, it } from 'vitest';
import { demoCredentials, demoPunchoutSql } from '../../scripts/demo-data';
import { punchoutBanner } from '../../scripts/demo-punchout';
import { sha256Hex } from '../../src/domain/api-keys';
import { path, readCxml, text } from '../../src/domain/punchout/cxml-document';

const BASE = 'http://127.0.0.1:8787';

/** The heredoc of the printed curl, with the shell's $(date …) substitutions done as a shell would. */
function printedSetupRequest(lines: string[]): string {
  const start = lines.findIndex((l) => l.includes('<<XML'));
  const end = lines.indexOf('XML');
  return lines
    .slice(start + 1, end)
    .join('\n')
    .replaceAll('$(date +%s)', '1767261600')
    .replaceAll('$(date -u +%Y-%m-%dT%H:%M:%S+00:00)', '2026-01-01T10:00:00+00:00');
}

describe('demo punch-out partners', () => {
  const { punchout } = demoCredentials();

  it('have fixed secrets of at least 32 random characters, stored as their SHA-256', async () => {
    expect(demoCredentials().punchout).toEqual(punchout);
    expect(punchout.cxml.sharedSecret.length).toBeGreaterThanOrEqual(32 + 'demo-coupa-'.length);
    expect(punchout.oci.password.length).toBeGreaterThanOrEqual(32 + 'demo-srm-'.length);
    const sql = (await demoPunchoutSql()).join('\n');
    expect(sql).toContain(await sha256Hex(punchout.cxml.sharedSecret));
    expect(sql).toContain(await sha256Hex(punchout.oci.password));
    expect(sql).not.toContain(punchout.cxml.sharedSecret);
    expect(sql).not.toContain(punchout.oci.password);
  });

  it('npm start prints a setup request that is a valid cXML document with the demo credentials', () => {
    const lines = punchoutBanner(BASE, punchout);
    const read = readCxml(printedSetupRequest(lines));
    if (!read.ok) throw new Error(`refused: ${read.code} ${read.message}`);
    const { root } = read.value;
    expect(read.value.payloadId).toBe('1767261600.demo@coupa.example');
    const sender = path(root, 'Header', 'Sender', 'Credential');
    expect(text(path(sender, 'Identity'))).toBe('acme-coupa');
    expect(text(path(sender, 'SharedSecret'))).toBe(punchout.cxml.sharedSecret);
    const setup = path(root, 'Request', 'PunchOutSetupRequest');
    expect(text(path(setup, 'BuyerCookie'))).toBe('demo-cookie-1767261600');
    expect(text(path(setup, 'BrowserFormPost', 'URL'))).toBe(`${BASE}/health`);
    const oci = lines.find((l) => l.includes('/punchout/oci?')) ?? '';
    const url = new URL(oci.trim());
    expect(url.searchParams.get('USERNAME')).toBe(punchout.oci.username);
    expect(url.searchParams.get('PASSWORD')).toBe(punchout.oci.password);
    expect(url.searchParams.get('HOOK_URL')).toBe(`${BASE}/health`);
  });
});
