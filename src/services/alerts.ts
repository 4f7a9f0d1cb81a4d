import type { Env } from '../env';
import { describeError, log } from '../lib/log';
import { fetchPublic, urlPolicyFor } from './public-fetch';

export interface Alert {
  /** what happened, machine-readable: `import.failed`, `export.failed` … */
  event: string;
  message: string;
  details?: Record<string, unknown>;
}

/**
 * Something needs a person: logged with `alert: true` (what log alerting filters on) and, when the
 * supplier set ALERT_WEBHOOK_URL, posted there as JSON through `fetchPublic`. A webhook that fails is
 * logged, never thrown: the alert is in the logs either way.
 */
export async function raiseAlert(
  env: Pick<Env, 'ALERT_WEBHOOK_URL' | 'ENVIRONMENT'>,
  alert: Alert,
  at: number = Date.now(),
): Promise<void> {
  log('error', `alert: ${alert.message}`, { alert: true, event: alert.event, ...alert.details });
  const url = env.ALERT_WEBHOOK_URL;
  if (!url) return;
  try {
    const sent = await fetchPublic(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...alert, at: new Date(at).toISOString() }),
        signal: AbortSignal.timeout(10_000),
      },
      urlPolicyFor(env.ENVIRONMENT),
    );
    if (!sent.ok) log('warn', 'alert webhook refused', { reason: sent.refused });
    else {
      await sent.response.body?.cancel();
      if (!sent.response.ok) log('warn', 'alert webhook failed', { status: sent.response.status });
    }
  } catch (err) {
    log('warn', 'alert webhook failed', describeError(err));
  }
}
