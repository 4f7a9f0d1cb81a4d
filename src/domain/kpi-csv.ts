import type { AccountFigures, AccountPeriod, Figure } from './kpi-figures';

/**
 * CSV (RFC 4180: comma separated, CRLF line ends, a field with a comma, quote or line break quoted and its
 * quotes doubled). A text cell starting with = + - or @ gets a leading apostrophe, so a spreadsheet shows it
 * rather than running it as a formula; numbers are written as they are.
 */
export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export const csvTable = (rows: readonly (readonly (string | number | boolean | null)[])[]): string =>
  rows.map((r) => `${r.map(csvCell).join(',')}\r\n`).join('');

export function figuresCsv(figures: readonly Figure[]): string {
  return csvTable([
    ['kpi', 'unit', 'currency', 'current', 'previous'],
    ...figures.map((f) => [f.kpi, f.unit, f.currency, f.current, f.previous]),
  ]);
}

const ACCOUNT_COLUMNS: [string, (p: AccountPeriod) => number | boolean | null][] = [
  ['orders', (p) => p.orders],
  ['autonomous_orders', (p) => p.autonomousOrders],
  ['autonomy_rate', (p) => p.autonomyRate],
  ['active_users', (p) => p.activeUsers],
  ['used_quick_order', (p) => p.usedQuickOrder],
  ['used_lists', (p) => p.usedLists],
  ['used_recurring', (p) => p.usedRecurring],
];

export function accountsCsv(accounts: readonly AccountFigures[]): string {
  return csvTable([
    ['company_id', 'company_name', ...ACCOUNT_COLUMNS.flatMap(([name]) => [name, `${name}_previous`])],
    ...accounts.map((a) => [
      a.companyId,
      a.companyName,
      ...ACCOUNT_COLUMNS.flatMap(([, pick]) => [pick(a.current), pick(a.previous)]),
    ]),
  ]);
}
