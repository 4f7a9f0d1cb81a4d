/** The limits of an import (docs/erp.md, "ERP → platform: imports"), in one place. */

/** 50 MiB: a larger Content-Length is refused before the body is read, a longer stream when it passes it. */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
/** data rows per import; a longer file fails its job before anything is applied */
export const MAX_ROWS = 200_000;
/**
 * Rejected rows per import before the job fails as a whole (nothing applied): a file where one row in ten
 * is wrong has a systematic fault, and storing 200,000 copies of it helps nobody.
 */
export const MAX_REJECTS = 20_000;
/**
 * rows per chunk: one queue message, one R2 object, one atomic apply. Each chunk costs about five round
 * trips (job, chunk object, the kind's write, its counts) whatever its size; 2,000 rows keep that under a
 * third of the time of a stock chunk while a chunk stays ~150 kB and well inside a consumer's CPU time.
 */
export const CHUNK_ROWS = 2_000;
/**
 * R2 multipart part size: R2 wants every part but the last at least 5 MiB and all of one size, and the
 * route holds one part in memory at a time.
 */
export const PART_BYTES = 5 * 1024 * 1024;
/** the header (CSV) or first record (JSON) must arrive within this many bytes */
export const MAX_HEADER_BYTES = 1024 * 1024;
/** one record (a CSV row, an NDJSON line, an array element) */
export const MAX_RECORD_CHARS = 1024 * 1024;
/** how much of a rejected row is kept to show it */
export const RAW_CHARS = 1_000;
/** raw uploads and chunks are deleted after this many days by the nightly cron */
export const RETENTION_DAYS = 30;
