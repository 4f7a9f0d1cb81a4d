import { beforeAll, describe, expect, it } from 'vitest';
import { call, expectProblem, loginAs } from './harness';
import { insertCompany, insertOrder, MIN, recompute, t, WRITTEN } from './kpi-helpers';

const TRICKY = '=HYPERLINK("http://x"),Inc';

beforeAll(async () => {
  await insertCompany('co_kpi_csv', TRICKY, 'usr_rep');
  await insertOrder({
    id: 'ord_kpi_csv1',
    companyId: 'co_kpi_csv',
    placedBy: 'usr_kpi_csv',
    status: 'placed',
    channel: 'web',
    currency: 'EUR',
    totalMinor: 1_234,
    createdAt: t('03-03T10:00'),
  });
  await recompute(WRITTEN + MIN);
});

const rep = () => loginAs('rep@supplier.example');

describe('KPI CSV export', () => {
  it('downloads the figures as RFC 4180 CSV with ?format=csv', async () => {
    const res = await call('/v1/rep/kpis?period=month&at=2025-03-15&format=csv', { token: await rep() });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="rep-kpis-figures-month-2025-03-01.csv"',
    );
    const text = await res.text();
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('kpi,unit,currency,current,previous');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(lines).toContain('orders,count,,1,0');
    expect(lines).toContain('order_value,minor,EUR,1234,0');
    // an empty figure is an empty cell, not "null"
    expect(lines).toContain('approval_lead_time_p50,minutes,,,');
  });

  it('downloads the accounts table with Accept: text/csv, quoting and defusing a formula-like name', async () => {
    const res = await call('/v1/rep/kpis?period=month&at=2025-03-15&table=accounts', {
      token: await rep(),
      headers: { accept: 'text/csv' },
    });
    expect(res.status).toBe(200);
    const lines = (await res.text()).split('\r\n');
    expect(lines[0]).toBe(
      'company_id,company_name,orders,orders_previous,autonomous_orders,autonomous_orders_previous,autonomy_rate,autonomy_rate_previous,active_users,active_users_previous,used_quick_order,used_quick_order_previous,used_lists,used_lists_previous,used_recurring,used_recurring_previous',
    );
    expect(lines).toContain(
      `co_kpi_csv,"'=HYPERLINK(""http://x""),Inc",1,0,1,0,1,,1,0,false,false,false,false,false,false`,
    );
    // one line per account of the rep, the header, and the empty string after the last CRLF
    const json = await call('/v1/rep/kpis?period=month&at=2025-03-15', { token: await rep() });
    const accounts = ((await json.json()) as { accounts: unknown[] }).accounts;
    expect(lines).toHaveLength(accounts.length + 2);
  });
});

describe('KPI bad input', () => {
  const bad = async (query: string, path: string) => {
    const problem = await expectProblem(await call(`/v1/rep/kpis?${query}`, { token: await rep() }), 400);
    expect(problem.errors?.map((e) => [e.in, e.path])).toContainEqual(['query', path]);
  };

  it('names the field: an unknown period, a date that is not one, a format, a table', async () => {
    await bad('period=decade', 'period');
    await bad('at=2025-02-30', 'at');
    await bad('at=yesterday', 'at');
    await bad('format=xlsx', 'format');
    await bad('table=orders', 'table');
    await bad('companyId=not%20an%20id', 'companyId');
  });

  it('refuses parameters it does not take, a 20-year range among them (periods only; no from/to)', async () => {
    await bad('from=2005-01-01&to=2025-01-01', 'from');
    await bad('perod=month', 'perod');
    const admin = await loginAs('ops@supplier.example');
    const problem = await expectProblem(await call('/v1/admin/kpis?repId=usr_rep', { token: admin }), 400);
    expect(problem.errors?.map((e) => e.path)).toEqual(['repId']);
    const company = await loginAs('admin@acme.example');
    const own = await expectProblem(
      await call('/v1/company/kpis?companyId=co_globex', { token: company }),
      400,
    );
    expect(own.errors?.map((e) => e.path)).toEqual(['companyId']);
  });
});
