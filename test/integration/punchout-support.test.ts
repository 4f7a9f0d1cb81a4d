import { createExecutionContext, createScheduledController, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createDatabase } from '../../src/db/client';
import { PUNCHOUT_LOG_RETENTION_MS, SESSION_TTL_MS } from '../../src/domain/punchout-terms';
import type { Env } from '../../src/env';
import worker from '../../src/index';
import { CRONS } from '../../src/queues/cron';
import { recordExchanges } from '../../src/services/punchout/log';
import type { PartnerRow } from '../../src/services/punchout/partners';
import { openSession } from '../../src/services/punchout/sessions';
import { installErpSimulator } from './erp-sim';
import { call, expectProblem, json, loginAs } from './harness';
import { createTestPartner } from './punchout-helpers';

interface LogItem {
  id: string;
  partnerId: string | null;
  kind: string;
  payloadId: string | null;
  buyerCookie: string | null;
  createdAt: number;
  bodyLength: number;
  body?: string;
}
interface SessionItem {
  id: string;
  partnerId: string;
  state: string;
  cartId: string;
}
type Page<T> = { items: T[]; nextCursor: string | null };

const db = createDatabase(env);
let ops: string;

const partnerRow = async (id: string): Promise<PartnerRow> => {
  const row = await db.query.punchoutPartners.findFirst({ where: (p, { eq }) => eq(p.id, id) });
  if (!row) throw new Error(`no partner ${id}`);
  return row;
};

async function newSession(partnerId: string, buyerCookie: string, now: number) {
  const opened = await openSession(env as Env, db, {
    partner: await partnerRow(partnerId),
    userId: 'usr_acme_buyer',
    operation: 'create',
    buyerCookie,
    returnUrl: 'https://procurement.example/return',
    returnFields: {},
    language: 'en',
    payloadId: `${buyerCookie}@buyer`,
    lines: [],
    now,
  });
  return opened.session;
}

beforeAll(async () => {
  ops = await loginAs('ops@supplier.example');
});

const get = async <T>(path: string) => {
  const res = await call(`/v1/admin/punchout${path}`, { token: ops });
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return json<T>(res);
};

describe('the punch-out log for support', () => {
  it('searches by partner, BuyerCookie, payloadID, kind and time, newest first and paged, bodies one at a time', async () => {
    const partner = await createTestPartner();
    const other = await createTestPartner();
    const t0 = Date.UTC(2026, 0, 10, 9);
    const body =
      '<cXML><Header><Sender><Credential domain="NetworkID"><Identity>x</Identity><SharedSecret>hunter2-very-secret</SharedSecret></Credential></Sender></Header></cXML>';
    await recordExchanges(db, [
      {
        kind: 'cxml.setup',
        direction: 'in',
        status: 200,
        body,
        partnerId: partner.id,
        companyId: 'co_acme',
        payloadId: 'p1@buyer',
        buyerCookie: 'cookie-1',
        at: t0,
      },
      {
        kind: 'cxml.setup',
        direction: 'out',
        status: 200,
        body: '<cXML/>',
        partnerId: partner.id,
        companyId: 'co_acme',
        payloadId: 'p1@buyer',
        buyerCookie: 'cookie-1',
        at: t0 + 1,
      },
      {
        kind: 'cxml.order',
        direction: 'in',
        status: 200,
        body: '<cXML/>',
        partnerId: partner.id,
        companyId: 'co_acme',
        payloadId: 'o1@buyer',
        at: t0 + 60_000,
      },
      {
        kind: 'cxml.setup',
        direction: 'in',
        status: 401,
        body: '<cXML/>',
        partnerId: other.id,
        companyId: 'co_acme',
        payloadId: 'p2@buyer',
        buyerCookie: 'cookie-2',
        at: t0 + 2,
      },
    ]);
    const all = await get<Page<LogItem>>(`/log?partnerId=${partner.id}`);
    expect(all.items.map((i) => [i.kind, i.createdAt])).toEqual([
      ['cxml.order', t0 + 60_000],
      ['cxml.setup', t0 + 1],
      ['cxml.setup', t0],
    ]);
    expect(all.items.every((i) => i.body === undefined && i.bodyLength > 0)).toBe(true);
    const byCookie = await get<Page<LogItem>>('/log?buyerCookie=cookie-1');
    expect(byCookie.items).toHaveLength(2);
    expect((await get<Page<LogItem>>('/log?payloadId=p2%40buyer')).items.map((i) => i.partnerId)).toEqual([
      other.id,
    ]);
    expect((await get<Page<LogItem>>(`/log?partnerId=${partner.id}&kind=cxml.order`)).items).toHaveLength(1);
    const window = await get<Page<LogItem>>(
      `/log?companyId=co_acme&from=${new Date(t0 + 1).toISOString()}&to=${new Date(t0 + 2).toISOString()}`,
    );
    expect(window.items.map((i) => i.createdAt)).toEqual([t0 + 2, t0 + 1]);
    // pages of one follow each other without repeats or gaps
    const seen: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page: Page<LogItem> = await get(
        `/log?partnerId=${partner.id}&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(all.items.map((i) => i.id));
    const oldest = all.items.at(-1)?.id ?? '';
    const entry = await get<LogItem>(`/log/${oldest}`);
    expect(entry.body).toContain('<SharedSecret>[redacted]</SharedSecret>');
    expect(entry.body).not.toContain('hunter2');
    expect(entry.bodyLength).toBe(entry.body?.length);
    await expectProblem(await call('/v1/admin/punchout/log/plog_nothing', { token: ops }), 404);
    await expectProblem(
      await call('/v1/admin/punchout/log?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z', { token: ops }),
      400,
    );
  });

  it('lists sessions by partner and state; a session past its end reads as expired', async () => {
    const partner = await createTestPartner();
    const now = Date.now();
    const live = await newSession(partner.id, 'live-cookie', now);
    const ended = await newSession(partner.id, 'ended-cookie', now - SESSION_TTL_MS - 1000);
    const listed = await get<Page<SessionItem>>(`/sessions?partnerId=${partner.id}`);
    expect(listed.items.map((s) => [s.id, s.state])).toEqual([
      [live.id, 'open'],
      [ended.id, 'expired'],
    ]);
    expect(JSON.stringify(listed)).not.toMatch(/codeHash|shopKeyHash/);
    expect(
      (await get<Page<SessionItem>>(`/sessions?partnerId=${partner.id}&state=expired`)).items.map(
        (s) => s.id,
      ),
    ).toEqual([ended.id]);
    expect(
      (await get<Page<SessionItem>>(`/sessions?partnerId=${partner.id}&state=open`)).items.map((s) => s.id),
    ).toEqual([live.id]);
  });
});

describe('the nightly punch-out retention', () => {
  it('deletes log rows past 30 days, expires ended sessions and deletes their carts; keeps the rest', async () => {
    const erp = await installErpSimulator();
    onTestFinished(() => erp.restore());
    const partner = await createTestPartner();
    const night = Date.now() + SESSION_TTL_MS + 60_000;
    const ended = await newSession(partner.id, 'nightly-ended', Date.now());
    const live = await newSession(partner.id, 'nightly-live', night - 60_000);
    // more old rows than one deletion slice, and than D1 binds in one statement
    const old = Array.from({ length: 620 }, (_, i) => ({
      kind: 'cxml.setup',
      direction: 'in' as const,
      status: 200,
      body: `old ${i}`,
      partnerId: partner.id,
      at: night - PUNCHOUT_LOG_RETENTION_MS - 1 - i,
    }));
    for (let i = 0; i < old.length; i += 50) await recordExchanges(db, old.slice(i, i + 50));
    await recordExchanges(db, [
      {
        kind: 'cxml.setup',
        direction: 'in',
        status: 200,
        body: 'recent',
        partnerId: partner.id,
        at: night - PUNCHOUT_LOG_RETENTION_MS + 1000,
      },
    ]);
    const buyer = await loginAs('buyer@acme.example');
    expect((await call(`/v1/carts/${ended.cartId}`, { token: buyer })).status).toBe(200);

    await worker.scheduled(
      createScheduledController({ cron: CRONS.nightlyErpPull, scheduledTime: night }),
      env as Env,
      createExecutionContext(),
    );

    const bodies = await env.DB.prepare('SELECT body FROM punchout_log WHERE partner_id = ?')
      .bind(partner.id)
      .all<{ body: string }>();
    expect(bodies.results.map((r) => r.body)).toEqual(['recent']);
    const states = await env.DB.prepare(
      'SELECT id, state, code_hash FROM punchout_sessions WHERE partner_id = ? ORDER BY created_at',
    )
      .bind(partner.id)
      .all<{ id: string; state: string; code_hash: string | null }>();
    expect(states.results.map((s) => [s.id, s.state])).toEqual([
      [ended.id, 'expired'],
      [live.id, 'open'],
    ]);
    expect(states.results[0]?.code_hash).toBeNull();
    expect((await call(`/v1/carts/${ended.cartId}`, { token: buyer })).status).toBe(404);
    expect((await call(`/v1/carts/${live.cartId}`, { token: buyer })).status).toBe(200);
  });
});
