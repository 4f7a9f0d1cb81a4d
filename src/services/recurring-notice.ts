import type { OccurrenceRow, ScheduleRow } from '../db/queries/recurring';

/**
 * What the owner is told after an occurrence, shaped like an email (recipient, subject, plain text) so the
 * company's webhook receiver can mail it as is: `recurring.placed` when the order went through as set up,
 * `recurring.problem` when a line was replaced or left out, the order failed or the schedule paused itself.
 */
export type RecurringEvent = 'recurring.placed' | 'recurring.problem';

interface Recipient {
  id: string;
  name: string;
  email: string;
}

export function occurrenceNotice(s: ScheduleRow, owner: Recipient | undefined, o: OccurrenceRow) {
  const changed = o.lines.filter((l) => l.outcome !== 'ordered');
  const problem = o.status === 'failed' || changed.length > 0;
  const event: RecurringEvent = problem ? 'recurring.problem' : 'recurring.placed';
  const when = new Date(o.scheduledAt).toISOString();
  const outcome =
    o.status === 'failed'
      ? 'was not placed'
      : o.status === 'pending_approval'
        ? `was placed as order ${o.orderId} and waits for approval`
        : `was placed as order ${o.orderId}`;
  const subject = `Recurring order “${s.name}” ${o.status === 'failed' ? 'not placed' : 'placed'}${problem ? ': needs your attention' : ''}`;
  const text = [
    `Hello ${owner?.name ?? ''},`.trim(),
    '',
    `Occurrence ${o.number} of your recurring order “${s.name}” (due ${when}) ${outcome}.`,
    ...(o.missedSlots > 0
      ? [
          `It was due while the platform was not running; ${o.missedSlots + 1} occurrences fell due and were placed once, now.`,
        ]
      : []),
    ...o.lines.map((l) =>
      l.outcome === 'ordered'
        ? `- ${l.sku} × ${l.quantity}: ordered${l.reason ? ` (${l.reason})` : ''}`
        : l.outcome === 'replaced'
          ? `- ${l.sku} × ${l.quantity}: replaced by ${l.replacement} (${l.reason})`
          : `- ${l.sku} × ${l.quantity}: left out (${l.reason})`,
    ),
    ...o.problems.map((p) => `Problem: ${p}`),
  ].join('\n');
  return {
    event,
    payload: {
      to: owner ? { userId: owner.id, name: owner.name, email: owner.email } : null,
      subject,
      text,
      scheduleId: s.id,
      occurrenceId: o.id,
      scheduledAt: when,
      number: o.number,
      status: o.status,
      orderId: o.orderId,
      missedSlots: o.missedSlots,
    },
  };
}
