/** Where an import's files live in the ERP_UPLOADS bucket: one folder per day, then per job. */

export const IMPORTS_PREFIX = 'imports/';

export const dayOf = (at: number): string => new Date(at).toISOString().slice(0, 10);

export const rawKeyOf = (jobId: string, at: number): string => `${IMPORTS_PREFIX}${dayOf(at)}/${jobId}/raw`;

/** A chunk sits next to its raw upload, so both go when the day's folder goes. */
export const batchKeyOf = (rawKey: string, batchNo: number): string =>
  rawKey.replace(/\/raw$/, `/batch-${batchNo}.json`);
