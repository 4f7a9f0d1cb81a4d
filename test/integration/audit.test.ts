import { describe, expect, it } from 'vitest';
import { call, expectProblem, json, loginAs } from './harness';

interface Entry {
  actorId: string;
  action: string;
  targetId: string;
  companyId: string;
  requestId: string;
  summary: string;
  at: string;
}

describe('audit log', () => {
  it('every mutation writes actor, company, action, target, summary and the request id', async () => {
    const admin = await loginAs('admin@acme.example');
    const res = await call('/v1/company/cost-centers', {
      method: 'POST',
      token: admin,
      body: { code: 'CC-AUDIT', name: 'Audited' },
    });
    const created = await json<{ id: string }>(res);
    const log = await json<{ items: Entry[] }>(
      await call(`/v1/audit?target=${created.id}`, { token: admin }),
    );
    expect(log.items).toEqual([
      expect.objectContaining({
        actorId: 'usr_acme_admin',
        companyId: 'co_acme',
        action: 'cost_center.create',
        targetId: created.id,
        requestId: res.headers.get('x-request-id'),
        summary: expect.stringContaining('CC-AUDIT'),
      }),
    ]);
  });

  it('filters by actor, action and date range, and pages newest first', async () => {
    const admin = await loginAs('admin@acme.example');
    await new Promise((resolve) => setTimeout(resolve, 5));
    const since = new Date().toISOString();
    for (const code of ['CC-P1', 'CC-P2', 'CC-P3']) {
      await call('/v1/company/cost-centers', { method: 'POST', token: admin, body: { code, name: code } });
    }
    const seen: Entry[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/v1/audit?action=cost_center.create&actor=usr_acme_admin&from=${since}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page: { items: Entry[]; nextCursor: string | null } = await json(
        await call(query, { token: admin }),
      );
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.map((e) => e.summary.slice(-5))).toEqual(['CC-P3', 'CC-P2', 'CC-P1']);
    const future = await json<{ items: Entry[] }>(
      await call(`/v1/audit?from=${new Date(Date.now() + 60_000).toISOString()}`, { token: admin }),
    );
    expect(future.items).toEqual([]);
  });

  it('needs audit.view, and rejects an inverted range', async () => {
    await expectProblem(await call('/v1/audit', { token: await loginAs('buyer@acme.example') }), 403);
    const finance = await loginAs('finance@acme.example');
    const problem = await expectProblem(
      await call('/v1/audit?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', { token: finance }),
      400,
    );
    expect(problem.errors?.[0]?.path).toBe('to');
  });

  it('logins are audited too', async () => {
    await loginAs('approver@acme.example');
    const log = await json<{ items: Entry[] }>(
      await call('/v1/audit?action=auth.login&actor=usr_acme_approver', {
        token: await loginAs('finance@acme.example'),
      }),
    );
    expect(log.items.length).toBeGreaterThan(0);
  });
});
