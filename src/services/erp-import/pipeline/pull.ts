import * as v from 'valibot';
import { insertAudit } from '../../../db/queries/audit';
import { insertImportJob, readErpState, writeErpState } from '../../../db/queries/imports';
import { IMPORT_KINDS, type ImportKind } from '../../../domain/erp-terms';
import { AppError } from '../../../domain/errors';
import type { Env } from '../../../env';
import { newId } from '../../../lib/ids';
import { log } from '../../../lib/log';
import { type FetchLike, fetchPublic, urlPolicyFor } from '../../public-fetch';
import type { PipelineDeps } from './deps';
import { startSplit } from './jobs';
import { rawKeyOf } from './keys';
import { MAX_ROWS } from './limits';
import { R2PartWriter } from './upload';

/** Rows asked for per page of `GET {ERP_BASE_URL}/deltas/{kind}`. */
export const PULL_PAGE_ROWS = 1_000;
export const PULL_ACTOR = 'system:erp-pull';

const DeltaPage = v.object({
  rows: v.array(v.record(v.string(), v.unknown())),
  nextCursor: v.nullable(v.string()),
  hasMore: v.boolean(),
});

export const cursorKey = (kind: ImportKind) => `pull.cursor.${kind}`;

type PullEnv = Pick<Env, 'ERP_BASE_URL' | 'ERP_API_TOKEN' | 'ENVIRONMENT'>;

async function page(env: PullEnv, kind: ImportKind, cursor: string | null, fetcher: FetchLike) {
  const url = new URL(`${env.ERP_BASE_URL.replace(/\/$/, '')}/deltas/${kind}`);
  url.searchParams.set('limit', String(PULL_PAGE_ROWS));
  if (cursor) url.searchParams.set('cursor', cursor);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (env.ERP_API_TOKEN) headers.authorization = `Bearer ${env.ERP_API_TOKEN}`;
  const got = await fetchPublic(
    url.toString(),
    { headers, signal: AbortSignal.timeout(30_000) },
    urlPolicyFor(env.ENVIRONMENT),
    fetcher,
  );
  if (!got.ok) throw new AppError('upstream_failed', `ERP deltas for ${kind} refused: ${got.refused}`);
  if (!got.response.ok) {
    await got.response.body?.cancel();
    throw new AppError('upstream_failed', `ERP deltas for ${kind} answered ${got.response.status}`);
  }
  const parsed = v.safeParse(DeltaPage, await got.response.json().catch(() => undefined));
  if (!parsed.success)
    throw new AppError('upstream_failed', `ERP deltas for ${kind}: not { rows, nextCursor, hasMore }`);
  return parsed.output;
}

/**
 * One kind's deltas since the stored cursor, page by page, as one NDJSON object in R2 (written as the
 * pages come), then an import job of source `pull` through the same split and apply as an upload. The
 * cursor is stored only after the job exists: a crash before pulls the same rows again, which their
 * versions make harmless. At most MAX_ROWS rows per night and kind; the rest follow the next night.
 */
export async function pullKind(
  deps: PipelineDeps,
  env: PullEnv,
  kind: ImportKind,
  fetcher: FetchLike = fetch,
): Promise<string | null> {
  const start = await readErpState(deps.db, cursorKey(kind));
  const at = deps.now();
  const id = newId('imp');
  const writer = new R2PartWriter(deps.bucket, rawKeyOf(id, at));
  const encoder = new TextEncoder();
  let cursor = start;
  let rows = 0;
  let bytes = 0;
  try {
    for (;;) {
      const got = await page(env, kind, cursor, fetcher);
      if (got.rows.length > 0) {
        const lines = encoder.encode(`${got.rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
        await writer.write(lines);
        bytes += lines.length;
      }
      rows += got.rows.length;
      cursor = got.nextCursor ?? cursor;
      if (!got.hasMore || got.rows.length === 0 || rows + PULL_PAGE_ROWS > MAX_ROWS) break;
    }
  } catch (err) {
    await writer.abort();
    throw err;
  }
  if (rows === 0) {
    await writer.abort();
    if (cursor !== start && cursor !== null) await writeErpState(deps.db, cursorKey(kind), cursor, at);
    return null;
  }
  await writer.complete();
  await deps.db.batch([
    insertImportJob(deps.db, {
      id,
      kind,
      source: 'pull',
      status: 'received',
      format: 'ndjson',
      encoding: 'utf-8',
      objectKey: writer.key,
      bytes,
      createdBy: PULL_ACTOR,
      createdAt: at,
      updatedAt: at,
    }),
    insertAudit(deps.db, {
      id: newId('aud'),
      at,
      actorId: PULL_ACTOR,
      actorKind: 'system',
      actingForId: null,
      companyId: null,
      action: 'erp.import.pulled',
      targetType: 'import_job',
      targetId: id,
      summary: `${kind} deltas pulled from the ERP: ${rows} rows`,
      requestId: `cron:${at}`,
    }),
  ]);
  await startSplit(deps, id);
  if (cursor !== null) await writeErpState(deps.db, cursorKey(kind), cursor, at);
  log('info', 'ERP deltas pulled', { kind, jobId: id, rows });
  return id;
}

/** The nightly pull of every kind; one kind failing does not keep the others from being pulled. */
export async function pullErpDeltas(deps: PipelineDeps, env: PullEnv, fetcher: FetchLike = fetch) {
  if (!env.ERP_BASE_URL) {
    log('info', 'nightly ERP pull: no ERP configured (ERP_BASE_URL is empty)');
    return;
  }
  const failures: unknown[] = [];
  for (const kind of IMPORT_KINDS) {
    try {
      await pullKind(deps, env, kind, fetcher);
    } catch (err) {
      failures.push(err);
      log('error', 'ERP deltas pull failed', {
        kind,
        message: err instanceof Error ? err.message : String(err),
      });
    }
  }
  if (failures.length > 0) throw failures[0];
}
