import type { Database } from '../../db/client';

/** The I/O the pricing services use, handed in by the request middleware, the queue consumer or cron. */
export interface PricingDeps {
  db: Database;
  kv: KVNamespace;
  queue: Queue;
}

/** sha-256 of a text, hex, first 32 characters (128 bits: plenty to tell pricing inputs apart). */
export async function shortHash(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)]
    .slice(0, 16)
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('');
}
