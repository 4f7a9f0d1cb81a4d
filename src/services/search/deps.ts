import { createDatabase, type Database } from '../../db/client';
import type { Env } from '../../env';

/** The I/O of the search services: the database, the KV namespace the index lives in, the build queue. */
export interface SearchDeps {
  db: Database;
  kv: KVNamespace;
  queue: Queue;
}

/** The search index shares the price index's KV namespace under keys of its own (`si:…`, src/lib/kv-keys.ts). */
export const searchDepsOf = (env: Env, db: Database = createDatabase(env)): SearchDeps => ({
  db,
  kv: env.PRICE_INDEX,
  queue: env.SEARCH_INDEX_QUEUE,
});
