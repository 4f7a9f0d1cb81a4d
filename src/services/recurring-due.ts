import { createDatabase } from '../db/client';
import { chunks } from '../db/queries/bulk';
import { claimDue } from '../db/queries/recurring';
import type { Env } from '../env';

/**
 * The cron's half of recurring orders: one indexed statement claims every schedule due at the run's
 * instant and not handed over within the lease, and one message per occurrence goes to `recurring-orders`.
 * A double fire or an overlapping run finds the occurrences claimed and sends nothing; an occurrence whose
 * message was lost (a failed send, a crashed run) is handed over again once the lease ran out, and its
 * placement is idempotent anyway (the consumer).
 */
export const CLAIM_LEASE_MS = 15 * 60_000;
const CLAIM_LIMIT = 5_000;
const SEND_BATCH = 100;

export async function enqueueDueOccurrences(env: Env, now: number): Promise<number> {
  const claimed = await claimDue(createDatabase(env), now, CLAIM_LEASE_MS, CLAIM_LIMIT);
  for (const part of chunks(claimed, SEND_BATCH)) {
    await env.RECURRING_ORDERS_QUEUE.sendBatch(
      part.flatMap((c) =>
        c.nextDueAt === null
          ? []
          : [
              {
                body: { scheduleId: c.id, occurrence: new Date(c.nextDueAt).toISOString() },
                contentType: 'json' as const,
              },
            ],
      ),
    );
  }
  return claimed.length;
}
