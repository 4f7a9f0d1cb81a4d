import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/domain/api-keys';
import { secretMatches } from '../../src/services/punchout/partners';
import { call, expectProblem, json, loginAs } from './harness';
import { createTestPartner } from './punchout-helpers';

interface Partner {
  id: string;
  name: string;
  protocol: string;
  companyId: string;
  status: string;
  senderDomain: string | null;
  senderIdentity: string | null;
  ociUsername: string | null;
  defaultUserId: string | null;
  priceToleranceBp: number;
  provisionUsers: boolean;
  ociFieldMap: Record<string, string>;
  defaultLanguage: string;
  secretRotatedAt: number | null;
  secret?: string;
}

const rows = async <T>(sql: string, ...binds: unknown[]): Promise<T[]> =>
  (
    await env.DB.prepare(sql)
      .bind(...binds)
      .all<T>()
  ).results;

const storedHash = async (id: string) =>
  (await rows<{ secret_hash: string }>('SELECT secret_hash FROM punchout_partners WHERE id = ?', id))[0]
    ?.secret_hash;

let ops: string;
let n = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++n}`;

beforeAll(async () => {
  ops = await loginAs('ops@supplier.example');
});

const post = (path: string, body?: unknown, token = ops) =>
  call(`/v1/admin/punchout${path}`, { method: 'POST', token, body });
const patch = (id: string, body: unknown) =>
  call(`/v1/admin/punchout/partners/${id}`, { method: 'PATCH', token: ops, body });

const cxml = (overrides: Record<string, unknown> = {}) => ({
  name: 'Coupa',
  protocol: 'cxml',
  companyId: 'co_acme',
  senderDomain: 'NetworkID',
  senderIdentity: unique('acme-coupa'),
  defaultUserId: 'usr_acme_buyer',
  provisionUsers: true,
  priceToleranceBp: 100,
  ...overrides,
});
const oci = (overrides: Record<string, unknown> = {}) => ({
  name: 'SAP SRM',
  protocol: 'oci',
  companyId: 'co_acme',
  ociUsername: unique('acme-srm'),
  ociFieldMap: { MATGROUP: 'unspsc', CUST_FIELD1: 'brand', CUST_FIELD2: 'attributes.material' },
  defaultLanguage: 'de',
  ...overrides,
});

async function created(body: Record<string, unknown>): Promise<Partner> {
  const res = await post('/partners', body);
  if (res.status !== 201) throw new Error(`partner: ${res.status} ${await res.text()}`);
  return json<Partner>(res);
}

const paths = async (res: Response, status: number) =>
  (await expectProblem(res, status)).errors?.map((e) => e.path);

describe('punch-out partners administration', () => {
  it('creates a cXML partner whose secret is answered once, stored as SHA-256 and audited without it', async () => {
    const partner = await created(cxml());
    const secret = partner.secret ?? '';
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(partner).toMatchObject({
      protocol: 'cxml',
      status: 'active',
      priceToleranceBp: 100,
      provisionUsers: true,
    });
    expect(await storedHash(partner.id)).toBe(await sha256Hex(secret));
    const read = await call(`/v1/admin/punchout/partners/${partner.id}`, { token: ops });
    const text = await read.text();
    expect(read.status).toBe(200);
    expect(text).not.toContain(secret);
    expect(text).not.toContain('secret"');
    expect(text).not.toContain(await sha256Hex(secret));
    const audit = await rows<{ action: string; summary: string; company_id: string }>(
      'SELECT action, summary, company_id FROM audit_log WHERE target_id = ?',
      partner.id,
    );
    expect(audit.map((a) => [a.action, a.company_id])).toEqual([['punchout_partner.create', 'co_acme']]);
    expect(JSON.stringify(audit)).not.toContain(secret);
  });

  it('creates an OCI partner with a field map, and lists partners by company, protocol and status, paged', async () => {
    // Initech has no other partner: the pages hold exactly these two
    const first = await created(oci({ companyId: 'co_initech' }));
    const second = await created(oci({ companyId: 'co_initech', name: 'SAP SRM 2' }));
    expect(first).toMatchObject({
      ociFieldMap: { MATGROUP: 'unspsc' },
      defaultLanguage: 'de',
      senderDomain: null,
    });
    const page = await json<{ items: Partner[]; nextCursor: string | null }>(
      await call('/v1/admin/punchout/partners?companyId=co_initech&protocol=oci&status=active&limit=1', {
        token: ops,
      }),
    );
    expect(page.items).toHaveLength(1);
    expect(page.items[0]?.id).toBe(first.id);
    const next = await json<{ items: Partner[]; nextCursor: string | null }>(
      await call(
        `/v1/admin/punchout/partners?companyId=co_initech&protocol=oci&limit=1&cursor=${page.nextCursor}`,
        {
          token: ops,
        },
      ),
    );
    expect(next.items.map((p) => p.id)).toEqual([second.id]);
    expect(next.nextCursor).toBeNull();
    expect(JSON.stringify([page, next])).not.toMatch(/"secret"|secretHash|secret_hash/);
  });

  it('refuses bad input with the field named: missing credential, other protocol’s fields, unknown references, field map', async () => {
    const countPartners = async () =>
      (await rows<{ n: number }>('SELECT count(*) AS n FROM punchout_partners'))[0]?.n;
    const before = await countPartners();
    expect(await paths(await post('/partners', cxml({ senderIdentity: undefined })), 400)).toEqual([
      'senderIdentity',
    ]);
    expect(await paths(await post('/partners', oci({ ociUsername: undefined })), 400)).toEqual([
      'ociUsername',
    ]);
    expect(await paths(await post('/partners', cxml({ ociUsername: 'x' })), 400)).toEqual(['ociUsername']);
    expect(await paths(await post('/partners', oci({ formEncoding: 'cxml-base64' })), 400)).toEqual([
      'formEncoding',
    ]);
    expect(await paths(await post('/partners', cxml({ companyId: 'co_nowhere' })), 400)).toEqual([
      'companyId',
    ]);
    // a user of another company, and no user at all
    expect(await paths(await post('/partners', cxml({ defaultUserId: 'usr_globex_buyer' })), 400)).toEqual([
      'defaultUserId',
    ]);
    expect(await paths(await post('/partners', cxml({ defaultUserId: 'usr_nobody' })), 400)).toEqual([
      'defaultUserId',
    ]);
    expect(
      await paths(await post('/partners', oci({ ociFieldMap: { PRICE: 'sku', MATGROUP: 'password' } })), 400),
    ).toEqual(['ociFieldMap.PRICE', 'ociFieldMap.MATGROUP']);
    expect(await paths(await post('/partners', cxml({ priceToleranceBp: 1.5 })), 400)).toEqual([
      'priceToleranceBp',
    ]);
    expect(await paths(await post('/partners', cxml({ defaultLanguage: 'es' })), 400)).toEqual([
      'defaultLanguage',
    ]);
    expect(await paths(await post('/partners', cxml({ secretHash: 'x' })), 400)).toEqual(['secretHash']);
    expect(await countPartners()).toBe(before);
  });

  it('a cXML sender (domain without case) or an OCI username used by another partner is a 409', async () => {
    const partner = await created(cxml());
    await expectProblem(
      await post('/partners', cxml({ senderDomain: 'networkid', senderIdentity: partner.senderIdentity })),
      409,
    );
    const other = await created(oci());
    await expectProblem(await post('/partners', oci({ ociUsername: other.ociUsername })), 409);
    const third = await created(oci());
    await expectProblem(await patch(third.id, { ociUsername: other.ociUsername }), 409);
  });

  it('changes settings with an audit row; protocol and company are fixed; a credential cannot be cleared', async () => {
    const partner = await created(cxml());
    const changed = await json<Partner>(
      await patch(partner.id, {
        name: 'Coupa EU',
        priceToleranceBp: 250,
        defaultUserId: null,
        formEncoding: 'cxml-base64',
      }),
    );
    expect(changed).toMatchObject({ name: 'Coupa EU', priceToleranceBp: 250, defaultUserId: null });
    expect(await paths(await patch(partner.id, { protocol: 'oci' }), 400)).toEqual(['protocol']);
    expect(await paths(await patch(partner.id, { companyId: 'co_globex' }), 400)).toEqual(['companyId']);
    expect(await paths(await patch(partner.id, { senderIdentity: null }), 400)).toEqual(['senderIdentity']);
    expect(await paths(await patch(partner.id, { fromDomain: 'DUNS' }), 400)).toEqual(['fromIdentity']);
    await expectProblem(await patch('pop_nothing_here', { name: 'x' }), 404);
    const [audit] = await rows<{ summary: string }>(
      "SELECT summary FROM audit_log WHERE target_id = ? AND action = 'punchout_partner.update'",
      partner.id,
    );
    expect(audit?.summary).toContain('priceToleranceBp=250');
  });

  it('rotates the secret: the new one is answered once and matches, the old one stops matching', async () => {
    const partner = await created(cxml());
    const res = await post(`/partners/${partner.id}/rotate-secret`);
    expect(res.status).toBe(200);
    const rotated = await json<Partner>(res);
    expect(rotated.secret).not.toBe(partner.secret);
    const stored = await rows<Record<string, unknown>>(
      'SELECT * FROM punchout_partners WHERE id = ?',
      partner.id,
    );
    const asRow = { secretHash: String(stored[0]?.secret_hash) } as Parameters<typeof secretMatches>[0];
    expect(await secretMatches(asRow, rotated.secret ?? '')).toBe(true);
    expect(await secretMatches(asRow, partner.secret ?? '')).toBe(false);
    const [audit] = await rows<{ summary: string }>(
      "SELECT summary FROM audit_log WHERE target_id = ? AND action = 'punchout_partner.rotate_secret'",
      partner.id,
    );
    expect(audit?.summary).not.toContain(rotated.secret ?? '');
  });

  it('disables (ending its open sessions now) and enables a partner; twice is a 409', async () => {
    const partner = await createTestPartner();
    const now = Date.now();
    await env.DB.prepare(
      `INSERT INTO punchout_sessions (id, partner_id, company_id, user_id, protocol, operation, state, cart_id,
        language, code_expires_at, created_at, expires_at) VALUES (?, ?, 'co_acme', 'usr_acme_buyer', 'cxml',
        'create', 'active', 'crt_none', 'en', ?, ?, ?)`,
    )
      .bind(`pos_${partner.id}`, partner.id, now + 300_000, now, now + 3_600_000)
      .run();
    const disabled = await json<Partner>(await post(`/partners/${partner.id}/disable`));
    expect(disabled.status).toBe('disabled');
    const [session] = await rows<{ expires_at: number }>(
      'SELECT expires_at FROM punchout_sessions WHERE partner_id = ?',
      partner.id,
    );
    expect(session?.expires_at).toBeLessThanOrEqual(Date.now());
    await expectProblem(await post(`/partners/${partner.id}/disable`), 409);
    expect((await json<Partner>(await post(`/partners/${partner.id}/enable`))).status).toBe('active');
    await expectProblem(await post(`/partners/${partner.id}/enable`), 409);
    const actions = await rows<{ action: string }>(
      'SELECT action FROM audit_log WHERE target_id = ? ORDER BY at, id',
      partner.id,
    );
    expect(actions.map((a) => a.action)).toEqual(['punchout_partner.disable', 'punchout_partner.enable']);
  });

  it('the demo data holds Acme’s Coupa (demo) and SAP SRM (demo) partners with the printed secrets', async () => {
    const { cxml: demoCxml, oci: demoOci } = env.TEST_CREDENTIALS.punchout;
    const coupa = await json<Partner>(
      await call(`/v1/admin/punchout/partners/${demoCxml.partnerId}`, { token: ops }),
    );
    expect(coupa).toMatchObject({
      name: 'Coupa (demo)',
      companyId: 'co_acme',
      senderDomain: 'NetworkID',
      senderIdentity: 'acme-coupa',
      provisionUsers: true,
      priceToleranceBp: 100,
      defaultUserId: 'usr_acme_buyer',
    });
    expect(await storedHash(demoCxml.partnerId)).toBe(await sha256Hex(demoCxml.sharedSecret));
    const srm = await json<Partner>(
      await call(`/v1/admin/punchout/partners/${demoOci.partnerId}`, { token: ops }),
    );
    expect(srm).toMatchObject({ name: 'SAP SRM (demo)', protocol: 'oci', ociUsername: 'acme-srm' });
    expect(await storedHash(demoOci.partnerId)).toBe(await sha256Hex(demoOci.password));
  });

  it('is for supplier staff who manage accounts: customers and sales reps get 403', async () => {
    for (const email of ['admin@acme.example', 'buyer@acme.example', 'rep@supplier.example']) {
      const token = await loginAs(email);
      await expectProblem(await call('/v1/admin/punchout/partners', { token }), 403);
      await expectProblem(await post('/partners', cxml(), token), 403);
      await expectProblem(await call('/v1/admin/punchout/log', { token }), 403);
    }
  });
});
