import type { Database } from '../db/client';
import { deadLetters } from '../db/schema';
import { newId } from '../lib/ids';
import { log } from '../lib/log';

export interface DeadLetter {
  queue: string;
  messageId: string;
  body: unknown;
  attempts: number;
  reason: string;
}

/**
 * Records a message that will not be processed, then raises an alert. Idempotent per (queue, message id):
 * a redelivered dead letter is recorded once.
 */
export async function recordDeadLetter(db: Database, letter: DeadLetter, now: number): Promise<void> {
  const inserted = await db
    .insert(deadLetters)
    .values({
      id: newId('dlq'),
      queue: letter.queue,
      messageId: letter.messageId,
      body: JSON.stringify({ body: letter.body, reason: letter.reason }),
      attempts: letter.attempts,
      receivedAt: now,
    })
    .onConflictDoNothing()
    .returning({ id: deadLetters.id });
  if (inserted.length === 0) return; // a redelivery: recorded and alerted the first time
  log('error', 'alert: message dead-lettered', {
    alert: true,
    queue: letter.queue,
    messageId: letter.messageId,
    attempts: letter.attempts,
    reason: letter.reason,
  });
}
