import { createDatabase, type Database } from '../../db/client';
import type { Env } from '../../env';

/** The I/O the pricing services use, handed in by the request middleware, the queue consumer or cron. */
export interface PricingDeps {
  db: Database;
  kv: KVNamespace;
  queue: Queue;
}

export const pricingDepsOf = (env: Env): PricingDeps => ({
  db: createDatabase(env),
  kv: env.PRICE_INDEX,
  queue: env.PRICE_INDEX_QUEUE,
});

/** sha-256 of a text, hex, first 32 characters (128 bits: plenty to tell pricing inputs apart). */
export async function shortHash(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)]
    .slice(0, 16)
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('');
}
