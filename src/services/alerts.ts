import type { Env } from '../env';
import { log } from '../lib/log';
import { type FetchLike, fetchPublic, urlPolicyFor } from './public-fetch';

export interface Alert {
  /** what went wrong, machine-readable: `erp_export.failed`, `erp_export.dead_lettered`, … */
  kind: string;
  /** what it is about: an export id, an import job id */
  subject: string;
  detail: string;
}

const ALERT_TIMEOUT_MS = 5_000;

/**
 * Something a person at the supplier must look at. Always logged (`alert: true`, which log alerting
 * filters on); also POSTed as JSON to the supplier's `ALERT_WEBHOOK_URL` when one is set. The webhook is
 * best effort: an alert that cannot be posted is logged as such and never fails the work that raised it.
 */
export async function raiseAlert(
  env: Pick<Env, 'ALERT_WEBHOOK_URL' | 'ENVIRONMENT'>,
  alert: Alert,
  at: number = Date.now(),
  fetcher?: FetchLike,
): Promise<void> {
  log('error', `alert: ${alert.kind}`, { alert: true, ...alert });
  const url = env.ALERT_WEBHOOK_URL ?? '';
  if (url === '') return;
  try {
    const outcome = await fetchPublic(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...alert, at: new Date(at).toISOString() }),
        signal: AbortSignal.timeout(ALERT_TIMEOUT_MS),
      },
      urlPolicyFor(env.ENVIRONMENT),
      fetcher,
    );
    if (!outcome.ok) log('warn', 'alert webhook refused', { kind: alert.kind, reason: outcome.refused });
    else {
      await outcome.response.body?.cancel();
      if (!outcome.response.ok)
        log('warn', 'alert webhook answered an error', { kind: alert.kind, status: outcome.response.status });
    }
  } catch (err) {
    log('warn', 'alert webhook unreachable', { kind: alert.kind, message: String(err) });
  }
}
