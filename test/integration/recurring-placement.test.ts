import { beforeAll, describe, expect, it } from 'vitest';
import { json, loginAs } from './harness';
import { all, buildFor, first } from './pricing-helpers';
import {
  acmeSkus,
  clock,
  type DueMessage,
  deliver,
  fireCron,
  iso,
  occurrencesOf,
  ordersOf,
  runDue,
  send,
} from './recurring-helpers';

interface Schedule {
  id: string;
  status: string;
  pausedReason: string | null;
  nextDueAt: number | null;
  occurrenceCount: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// Monday 2 November 2026, 07:00 in Paris (CET, UTC+1)
const MONDAY = Date.UTC(2026, 10, 2, 6, 0);

let buyer: string;
let admin: string;
let skus: string[];

beforeAll(async () => {
  clock.now = MONDAY;
  buyer = await loginAs('buyer@acme.example');
  admin = await loginAs('admin@acme.example');
  await buildFor('co_acme');
  skus = await acmeSkus(8);
});

async function schedule(body: Record<string, unknown>, token = buyer): Promise<Schedule> {
  const res = await send('/v1/recurring-orders', {
    method: 'POST',
    token,
    body: {
      name: 'Weekly',
      source: { kind: 'lines', lines: [{ sku: skus[0], quantity: 2 }] },
      frequency: { kind: 'weekly', weekdays: ['mon'] },
      timeOfDay: '09:30',
      ...body,
    },
  });
  if (res.status !== 201) throw new Error(`create: ${res.status} ${await res.text()}`);
  return json<Schedule>(res);
}
const read = async (id: string) => json<Schedule>(await send(`/v1/recurring-orders/${id}`, { token: admin }));
const notices = (scheduleId: string) =>
  all<{ event: string; subject: string; text: string }>(
    `SELECT json_extract(payload, '$.event') AS event, json_extract(payload, '$.payload.subject') AS subject,
            json_extract(payload, '$.payload.text') AS text
     FROM outbox WHERE topic = 'notification' AND json_extract(payload, '$.payload.scheduleId') = ? ORDER BY created_at`,
    scheduleId,
  );

describe('placing a due occurrence', () => {
  it('places it as the owner (channel recurring, the schedule as reference, PO from the pattern) and moves on', async () => {
    clock.now = MONDAY;
    const s = await schedule({ name: 'Gloves', poPattern: 'REC-{yyyy}{mm}-{n}' });
    const due = s.nextDueAt ?? 0;
    expect(iso(due)).toBe('2026-11-02T08:30:00.000Z');
    expect(await fireCron(due - 60_000)).toEqual([]);
    const messages = await fireCron(due);
    expect(messages).toEqual([{ scheduleId: s.id, occurrence: iso(due) }]);
    const result = await deliver(messages, due + 5_000);
    expect(result.explicitAcks).toHaveLength(1);

    const orders = await ordersOf(s.id);
    expect(orders).toEqual([
      expect.objectContaining({
        channel: 'recurring',
        channel_ref: s.id,
        placed_by: 'usr_acme_buyer',
        po_number: 'REC-202611-1',
      }),
    ]);
    const [occurrence] = await occurrencesOf(s.id);
    expect(occurrence).toMatchObject({
      status: orders[0]?.status,
      order_id: orders[0]?.id,
      missed_slots: 0,
      number: 1,
    });
    const after = await read(s.id);
    expect(after.occurrenceCount).toBe(1);
    expect(after.nextDueAt).toBe(due + 7 * DAY);
    const [notice] = await notices(s.id);
    expect(notice).toMatchObject({ event: 'recurring.placed', subject: 'Recurring order “Gloves” placed' });
    expect(notice?.text).toContain(`was placed as order ${orders[0]?.id}`);
  });

  it('the cron fired twice for the same minute, and a message redelivered: one order each time', async () => {
    clock.now = MONDAY;
    const s = await schedule({ name: 'Twice' });
    const due = s.nextDueAt ?? 0;
    const firstRun = await fireCron(due);
    expect(await fireCron(due)).toEqual([]); // the second fire finds the occurrence claimed
    await deliver(firstRun, due + 1_000);
    await deliver(firstRun, due + 2_000); // redelivered after it was placed
    expect(await ordersOf(s.id)).toHaveLength(1);
    // past the claim's lease the same occurrence is handed over again; it still places nothing new
    const again: DueMessage[] = [{ scheduleId: s.id, occurrence: iso(due) }];
    await deliver(again, due + 20 * 60_000, 3);
    expect(await ordersOf(s.id)).toHaveLength(1);
    expect(await occurrencesOf(s.id)).toHaveLength(1);
  });

  it('two overlapping cron runs hand the occurrence over once; two consumers racing place one order', async () => {
    clock.now = MONDAY;
    const s = await schedule({ name: 'Overlap' });
    const due = s.nextDueAt ?? 0;
    const [a, b] = await Promise.all([fireCron(due), fireCron(due)]);
    expect([...(a ?? []), ...(b ?? [])]).toHaveLength(1);
    const message = [...(a ?? []), ...(b ?? [])];
    // the lease is gone (a crashed run): both runs' messages race in two consumers at once
    const [x, y] = await Promise.all([deliver(message, due + 1_000), deliver(message, due + 1_000)]);
    const retried = [...x.retryMessages, ...y.retryMessages];
    if (retried.length > 0) await deliver(message, due + 30_000, 2); // the loser retries later, finds it done
    expect(await ordersOf(s.id)).toHaveLength(1);
    expect((await occurrencesOf(s.id)).map((o) => o.status)).toEqual([
      expect.stringMatching(/^(placed|pending_approval)$/),
    ]);
  });
});

describe('the end of a schedule', () => {
  it('an end date reached: the last occurrence on it, then ended', async () => {
    clock.now = MONDAY;
    const s = await schedule({ name: 'Two weeks', endDate: '2026-11-09' });
    const due = s.nextDueAt ?? 0;
    await runDue(due);
    await runDue(due + 7 * DAY);
    expect(await ordersOf(s.id)).toHaveLength(2);
    expect(await read(s.id)).toMatchObject({ status: 'ended', nextDueAt: null });
    expect(await fireCron(due + 14 * DAY)).not.toContainEqual(expect.objectContaining({ scheduleId: s.id }));
  });

  it('a count reached: ended after that many occurrences (a skipped one counts)', async () => {
    clock.now = MONDAY;
    const s = await schedule({ name: 'Three times', maxOccurrences: 3 });
    const due = s.nextDueAt ?? 0;
    await runDue(due);
    clock.now = due + HOUR;
    await send(`/v1/recurring-orders/${s.id}/skip-next`, { method: 'POST', token: buyer });
    await runDue(due + 14 * DAY);
    expect(await ordersOf(s.id)).toHaveLength(2);
    expect(await read(s.id)).toMatchObject({ status: 'ended', nextDueAt: null, occurrenceCount: 3 });
  });

  it('a paused schedule is not placed; resumed, it goes on from then', async () => {
    clock.now = MONDAY;
    const s = await schedule({ name: 'Paused' });
    await send(`/v1/recurring-orders/${s.id}/pause`, { method: 'POST', token: buyer, body: {} });
    expect(await runDue((s.nextDueAt ?? 0) + 30 * DAY)).not.toContainEqual(
      expect.objectContaining({ scheduleId: s.id }),
    );
    expect(await ordersOf(s.id)).toHaveLength(0);
  });
});

describe('a missed run', () => {
  it('is caught up once, not once per missed slot, and says so', async () => {
    clock.now = MONDAY;
    const s = await schedule({
      name: 'Every day',
      frequency: { kind: 'weekly', weekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] },
      timeOfDay: '09:00',
    });
    const due = s.nextDueAt ?? 0;
    // the platform was down from Monday morning until Friday 10:00
    const friday = due + 4 * DAY + HOUR;
    const messages = await runDue(friday);
    expect(messages.filter((m) => m.scheduleId === s.id)).toEqual([
      { scheduleId: s.id, occurrence: iso(due) },
    ]);
    expect(await ordersOf(s.id)).toHaveLength(1);
    const [occurrence] = await occurrencesOf(s.id);
    expect(occurrence?.missed_slots).toBe(4);
    expect((await read(s.id)).nextDueAt).toBe(due + 5 * DAY); // Saturday 09:00, the first slot after now
    const [notice] = await notices(s.id);
    expect(notice?.text).toContain('5 occurrences fell due and were placed once');
  });
});

describe('a schedule pauses itself', () => {
  it('when its owner is disabled', async () => {
    clock.now = MONDAY;
    const created = await send('/v1/company/users', {
      method: 'POST',
      token: admin,
      body: { email: 'temp.buyer@acme.example', name: 'Temp Buyer', roleIds: ['role_builtin_buyer'] },
    });
    const { acceptToken, id: invitation } = await json<{ acceptToken: string; id: string }>(created);
    expect(invitation).toBeTruthy();
    const accepted = await json<{ id: string }>(
      await send('/v1/auth/accept-invitation', {
        method: 'POST',
        token: 'none',
        body: { token: acceptToken, password: 'temp-pass-1234' },
      }),
    );
    const temp = await loginAs('temp.buyer@acme.example').catch(async () => {
      const res = await send('/v1/auth/login', {
        method: 'POST',
        token: 'none',
        body: { email: 'temp.buyer@acme.example', password: 'temp-pass-1234' },
      });
      return (await json<{ accessToken: string }>(res)).accessToken;
    });
    const s = await schedule({ name: 'Owner leaves' }, temp);
    await send(`/v1/company/users/${accepted.id}`, {
      method: 'PATCH',
      token: admin,
      body: { status: 'disabled' },
    });
    await runDue(s.nextDueAt ?? 0);
    expect(await ordersOf(s.id)).toHaveLength(0);
    expect(await read(s.id)).toMatchObject({
      status: 'paused',
      pausedReason: 'its owner is disabled',
      nextDueAt: null,
    });
    expect((await notices(s.id)).map((n) => n.event)).toEqual(['recurring.problem']);
  });

  it('when its ship-to address was removed', async () => {
    clock.now = MONDAY;
    const s = await schedule({ name: 'Ship-to goes', shipToSiteId: 'site_acme_stock' });
    await send('/v1/company/addresses/site_acme_stock', {
      method: 'PATCH',
      token: admin,
      body: { status: 'archived' },
    });
    await runDue(s.nextDueAt ?? 0);
    expect(await ordersOf(s.id)).toHaveLength(0);
    expect(await read(s.id)).toMatchObject({
      status: 'paused',
      pausedReason: 'its ship-to address was removed',
    });
    await send('/v1/company/addresses/site_acme_stock', {
      method: 'PATCH',
      token: admin,
      body: { status: 'active' },
    });
  });
});

describe('a schedule pauses itself (cost center)', () => {
  it('when its cost center was removed', async () => {
    clock.now = MONDAY;
    const s = await schedule({ name: 'Cost center goes', costCenterId: 'cc_acme_it' });
    await send('/v1/company/cost-centers/cc_acme_it', {
      method: 'PATCH',
      token: admin,
      body: { status: 'archived' },
    });
    await runDue(s.nextDueAt ?? 0);
    expect(await ordersOf(s.id)).toHaveLength(0);
    expect(await read(s.id)).toMatchObject({ status: 'paused', pausedReason: 'its cost center was removed' });
    const [occurrence] = await occurrencesOf(s.id);
    expect(occurrence).toMatchObject({
      status: 'failed',
      problems: '["paused: its cost center was removed"]',
    });
    await send('/v1/company/cost-centers/cc_acme_it', {
      method: 'PATCH',
      token: admin,
      body: { status: 'active' },
    });
  });
});

describe('problems do not stop the schedule', () => {
  it('a budget that refuses the order: the occurrence failed with the reason, the schedule goes on', async () => {
    clock.now = MONDAY;
    const budget = await json<{ id: string }>(
      await send('/v1/company/budgets', {
        method: 'POST',
        token: admin,
        body: {
          costCenterId: 'cc_acme_hse',
          period: 'month',
          amountMinor: 1,
          currency: 'EUR',
          onExceed: 'refuse',
        },
      }),
    );
    const s = await schedule({ name: 'Over budget', costCenterId: 'cc_acme_hse' });
    await runDue(s.nextDueAt ?? 0);
    await send(`/v1/company/budgets/${budget.id}`, { method: 'DELETE', token: admin });
    expect(await ordersOf(s.id)).toHaveLength(0);
    const [occurrence] = await occurrencesOf(s.id);
    expect(occurrence?.status).toBe('failed');
    expect(occurrence?.problems).toContain('budget');
    expect(await read(s.id)).toMatchObject({ status: 'active', nextDueAt: (s.nextDueAt ?? 0) + 7 * DAY });
    expect((await notices(s.id)).map((n) => n.event)).toEqual(['recurring.problem']);
  });

  it('an obsolete item is replaced when allowed and in the same pack, otherwise left out; both recorded', async () => {
    clock.now = MONDAY;
    const obsolete = await first<{ sku: string; replacement_sku: string }>(
      `SELECT o.sku, o.replacement_sku FROM products o JOIN products r ON r.sku = o.replacement_sku
       WHERE o.status = 'obsolete' AND r.status = 'active' AND r.min_order_qty = 1 AND r.order_multiple = 1
       AND r.pack_size = o.pack_size AND r.unit_of_measure = o.unit_of_measure
       AND r.sku IN (${skus.map(() => '?').join(',')}) IS NOT 1
       AND (SELECT sum(on_hand) FROM stock s WHERE s.sku = r.sku) > 10
       AND r.category_path NOT LIKE (SELECT target FROM assortment_rules WHERE company_id = 'co_acme' AND effect = 'exclude') || '%'
       AND r.family NOT IN (SELECT target FROM assortment_rules WHERE effect = 'not_orderable')
       ORDER BY o.sku LIMIT 1`,
      ...skus,
    );
    const source = {
      kind: 'lines',
      lines: [
        { sku: skus[1], quantity: 1 },
        { sku: obsolete.sku, quantity: 3 },
      ],
    };
    const allowed = await schedule({ name: 'Replace', source, autoReplace: true });
    const refused = await schedule({ name: 'Keep', source, autoReplace: false });
    await runDue(allowed.nextDueAt ?? 0);
    const [replaced] = await occurrencesOf(allowed.id);
    expect(JSON.parse(replaced?.lines ?? '[]')).toEqual([
      expect.objectContaining({ sku: skus[1], outcome: 'ordered' }),
      expect.objectContaining({
        sku: obsolete.sku,
        outcome: 'replaced',
        replacement: obsolete.replacement_sku,
      }),
    ]);
    const lines = await all<{ sku: string; quantity: number }>(
      'SELECT sku, quantity FROM order_lines WHERE order_id = ? ORDER BY line_no',
      replaced?.order_id,
    );
    expect(lines).toEqual([
      { sku: skus[1], quantity: 1 },
      { sku: obsolete.replacement_sku, quantity: 3 },
    ]);
    const [leftOut] = await occurrencesOf(refused.id);
    expect(JSON.parse(leftOut?.lines ?? '[]')[1]).toMatchObject({
      outcome: 'left_out',
      reason: expect.stringContaining('automatic replacement is off'),
    });
    expect(leftOut?.status).toMatch(/placed|pending_approval/);
    expect((await notices(refused.id)).map((n) => n.event)).toEqual(['recurring.problem']);
    expect((await read(refused.id)).status).toBe('active');
  });

  it('a saved cart is read at each occurrence and stays', async () => {
    clock.now = MONDAY;
    const cart = await json<{ id: string }>(
      await send('/v1/carts', { method: 'POST', token: buyer, body: { name: 'Standing order' } }),
    );
    await send(`/v1/carts/${cart.id}/lines`, {
      method: 'POST',
      token: buyer,
      body: { lines: [{ sku: skus[2], quantity: 5 }] },
    });
    const s = await schedule({ name: 'From a cart', source: { kind: 'cart', cartId: cart.id } });
    await send(`/v1/carts/${cart.id}/lines`, {
      method: 'POST',
      token: buyer,
      body: { lines: [{ sku: skus[3], quantity: 1 }] },
    });
    await runDue(s.nextDueAt ?? 0);
    const [occurrence] = await occurrencesOf(s.id);
    const lines = await all<{ sku: string }>(
      'SELECT sku FROM order_lines WHERE order_id = ? ORDER BY line_no',
      occurrence?.order_id,
    );
    expect(lines.map((l) => l.sku)).toEqual([skus[2], skus[3]]);
    expect((await send(`/v1/carts/${cart.id}`, { token: buyer })).status).toBe(200);
  });
});

describe('1,000 schedules due in the same minute', () => {
  it('all placed, none twice', { timeout: 600_000 }, async () => {
    const due = Date.UTC(2026, 11, 7, 8, 0); // Monday 7 December 2026, 09:00 in Paris
    const rows = Array.from({ length: 1000 }, (_, i) => i);
    const statements = rows.map(
      (i) =>
        `('rec_bulk_${i}', 'co_acme', 'usr_acme_buyer', 'Bulk ${i}', 'active', '${JSON.stringify({ kind: 'lines', lines: [{ sku: skus[i % skus.length], quantity: 1 + (i % 3) }] })}', 'site_acme_usine', 'standard', '{"kind":"weekly","weekdays":["mon"],"everyWeeks":1}', '2026-12-01', 'Europe/Paris', '09:00', ${due}, ${due - DAY})`,
    );
    for (let i = 0; i < statements.length; i += 100)
      await all(
        `INSERT INTO recurring_orders (id, company_id, owner_id, name, status, source, ship_to_site_id, delivery_mode, frequency, start_date, time_zone, time_of_day, next_due_at, updated_at) VALUES ${statements.slice(i, i + 100).join(',')}`,
      );
    const started = performance.now();
    const messages = await fireCron(due);
    const doubled = await fireCron(due); // and the cron fired twice
    expect(messages.filter((m) => m.scheduleId.startsWith('rec_bulk_'))).toHaveLength(1000);
    expect(doubled).toEqual([]);
    for (let i = 0; i < messages.length; i += 10) await deliver(messages.slice(i, i + 10), due + 10_000);
    const ms = performance.now() - started;
    const placed = await all<{ n: number; refs: number }>(
      "SELECT count(*) AS n, count(DISTINCT channel_ref) AS refs FROM orders WHERE channel_ref LIKE 'rec_bulk_%'",
    );
    expect(placed[0]).toEqual({ n: 1000, refs: 1000 });
    const left = await all<{ n: number }>(
      "SELECT count(*) AS n FROM recurring_orders WHERE id LIKE 'rec_bulk_%' AND next_due_at <= ?",
      due,
    );
    expect(left[0]?.n).toBe(0);
    console.info(
      `1,000 occurrences placed in ${Math.round(ms)} ms (${Math.round((1000 / ms) * 1000)} orders/s) in workerd`,
    );
  });
});
