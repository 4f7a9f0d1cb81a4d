import { deleteImportDetailsBefore } from '../../../db/queries/imports';
import { log } from '../../../lib/log';
import type { PipelineDeps } from './deps';
import { dayOf, IMPORTS_PREFIX } from './keys';
import { RETENTION_DAYS } from './limits';

const DAY_MS = 86_400_000;

/**
 * Deletes the raw uploads and chunks of days older than RETENTION_DAYS (listed by their day folder, so
 * nothing newer is ever listed), and the chunk and reject rows of those jobs; the job rows stay as history.
 */
export async function deleteOldImports(
  deps: Pick<PipelineDeps, 'db' | 'bucket'>,
  now: number,
): Promise<number> {
  const cutoffDay = dayOf(now - RETENTION_DAYS * DAY_MS);
  let deleted = 0;
  let cursor: string | undefined;
  do {
    const days = await deps.bucket.list({ prefix: IMPORTS_PREFIX, delimiter: '/', cursor });
    for (const folder of days.delimitedPrefixes) {
      const day = folder.slice(IMPORTS_PREFIX.length, -1);
      if (day >= cutoffDay) continue;
      deleted += await deleteFolder(deps.bucket, folder);
    }
    cursor = days.truncated ? days.cursor : undefined;
  } while (cursor);
  await deleteImportDetailsBefore(deps.db, Date.parse(`${cutoffDay}T00:00:00Z`));
  if (deleted > 0) log('info', 'old import files deleted', { deleted, before: cutoffDay });
  return deleted;
}

async function deleteFolder(bucket: R2Bucket, prefix: string): Promise<number> {
  let deleted = 0;
  for (;;) {
    // what is deleted is not listed again: list the start of the folder until it is empty
    const page = await bucket.list({ prefix, limit: 1000 });
    const keys = page.objects.map((o) => o.key);
    if (keys.length === 0) return deleted;
    await bucket.delete(keys);
    deleted += keys.length;
  }
}
