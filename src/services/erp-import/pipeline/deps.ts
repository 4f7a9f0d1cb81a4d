import { createDatabase, type Database } from '../../../db/client';
import type { Env } from '../../../env';
import type { PricingDeps } from '../../pricing/deps';
import { type SearchDeps, searchDepsOf } from '../../search/deps';

/** The I/O of the import pipeline, handed in by the route, the queue consumer or cron. */
export interface PipelineDeps {
  db: Database;
  /** raw uploads and chunks (ERP_UPLOADS) */
  bucket: R2Bucket;
  /** the `erp-import` queue */
  queue: Queue;
  now: () => number;
}

export interface ApplyDeps extends PipelineDeps {
  pricing: PricingDeps;
  /** the catalog search index follows product and stock imports */
  search: SearchDeps;
}

export function pipelineDepsOf(env: Env): ApplyDeps {
  const db = createDatabase(env);
  return {
    db,
    bucket: env.ERP_UPLOADS,
    queue: env.ERP_IMPORT_QUEUE,
    now: () => Date.now(),
    pricing: { db, kv: env.PRICE_INDEX, queue: env.PRICE_INDEX_QUEUE },
    search: searchDepsOf(env, db),
  };
}
