import { describe, expect, it, vi } from 'vitest';
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
    // The Worker runs in this isolate, so faking Date sets its clock: each entry gets a known, distinct
    // instant (order and range bounds are exact, no waiting for the clock to move). A minute ahead of
    // anything earlier tests wrote, well inside the token's lifetime.
    const base = Date.now() + 60_000;
    const at = (offsetMs: number) => new Date(base + offsetMs).toISOString();
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      for (const [offsetMs, code] of [
        [-1, 'CC-P0'],
        [0, 'CC-P1'],
        [1000, 'CC-P2'],
        [2000, 'CC-P3'],
      ] as const) {
        vi.setSystemTime(base + offsetMs);
        const res = await call('/v1/company/cost-centers', {
          method: 'POST',
          token: admin,
          body: { code, name: code },
        });
        expect(res.status, code).toBe(201);
      }
    } finally {
      vi.useRealTimers();
    }
    const codes = async (range: string) => {
      const seen: Entry[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `/v1/audit?action=cost_center.create&actor=usr_acme_admin&${range}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const page: { items: Entry[]; nextCursor: string | null } = await json(
          await call(query, { token: admin }),
        );
        seen.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return seen.map((e) => e.summary.slice(-5));
    };
    // both bounds inclusive, to the millisecond; pages of two, newest first
    expect(await codes(`from=${at(0)}`)).toEqual(['CC-P3', 'CC-P2', 'CC-P1']);
    expect(await codes(`from=${at(-1)}&to=${at(1000)}`)).toEqual(['CC-P2', 'CC-P1', 'CC-P0']);
    expect(await codes(`from=${at(2001)}`)).toEqual([]);
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
