import type { Database } from '../../../db/client';
import { listRejects } from '../../../db/queries/imports';
import { csvLine } from './csv';

const PAGE = 1_000;

/**
 * A job's rejected rows as CSV (`rowNo,column,reason,raw`), read from SQL a page at a time while the
 * answer streams: 20,000 rejects never sit in memory at once.
 */
export function rejectsCsv(db: Database, jobId: string): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after = 0;
  let headerSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode('rowNo,column,reason,raw\r\n'));
        return;
      }
      const rows = await listRejects(db, jobId, after, PAGE);
      const text = rows
        .map((r) => `${csvLine([String(r.rowNo), r.column ?? '', r.reason, r.raw ?? ''])}\r\n`)
        .join('');
      if (text) controller.enqueue(encoder.encode(text));
      const last = rows.at(-1);
      if (!last || rows.length < PAGE) controller.close();
      else after = last.rowNo;
    },
  });
}
