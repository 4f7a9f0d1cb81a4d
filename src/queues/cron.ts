import { createDatabase } from '../db/client';
import { AppError } from '../domain/errors';
import type { Env } from '../env';
import { log } from '../lib/log';
import { pipelineDepsOf } from '../services/erp-import/pipeline/deps';
import { pullErpDeltas } from '../services/erp-import/pipeline/pull';
import { deleteOldImports } from '../services/erp-import/pipeline/retention';
import { recomputeChangedKpis } from '../services/kpi/recompute';
import { relayOutbox } from '../services/outbox-relay';
import { pricingDepsOf } from '../services/pricing/deps';
import { sweepPriceIndexes } from '../services/pricing/sweep';
import { punchoutRetention } from '../services/punchout/retention';
import { expireDueQuotes } from '../services/quotes/decide';
import { enqueueDueOccurrences } from '../services/recurring-due';
import { searchDepsOf } from '../services/search/deps';
import { sweepSearchIndex } from '../services/search/sweep';

/** Cron expressions as declared in wrangler.toml `[triggers]`; handlers only find due work and enqueue it. */
export const CRONS = {
  outboxRelaySweep: '*/5 * * * *',
  // every minute: recurring orders are due at a minute of the day (one indexed query when nothing is due)
  dueWork: '* * * * *',
  nightlyErpPull: '30 2 * * *',
} as const;

type Job = { name: string; run: (env: Env, scheduledTime: number) => Promise<void> };

/** Several small jobs may share a schedule; one failing does not keep the others from running. */
const jobs: Record<string, Job[]> = {
  [CRONS.outboxRelaySweep]: [
    {
      name: 'price index sweep',
      run: async (env, scheduledTime) => {
        const swept = await sweepPriceIndexes(pricingDepsOf(env), scheduledTime);
        if (swept.reassigned.length + swept.expired.length + swept.lost.length > 0)
          log('info', 'price index sweep', { ...swept });
      },
    },
    {
      // a missing, failed or lost build of the catalog's search index is asked for again
      name: 'search index sweep',
      run: async (env, scheduledTime) => {
        const why = await sweepSearchIndex(searchDepsOf(env), scheduledTime);
        if (why) log('info', 'search index sweep', { why });
      },
    },
    {
      // quoted quotes past their validity expire (before the relay, so their events go out in this run)
      name: 'quote expiry',
      run: async (env, scheduledTime) => {
        const expired = await expireDueQuotes(createDatabase(env), scheduledTime, `cron:${scheduledTime}`);
        if (expired > 0) log('info', 'quotes expired', { expired });
      },
    },
    {
      // notifications, and ERP exports when an ERP is configured (services/outbox-relay.ts)
      name: 'outbox relay',
      run: async (env, scheduledTime) => {
        const sent = await relayOutbox(env, scheduledTime);
        if (sent > 0) log('info', 'outbox relayed', { sent });
      },
    },
    {
      // the KPI rows of the company-days whose orders or quotes changed, recomputed (services/kpi/recompute.ts)
      name: 'kpi recompute',
      run: async (env, scheduledTime) => {
        const done = await recomputeChangedKpis(createDatabase(env), scheduledTime);
        if (done.orderDays + done.quoteDays > 0) log('info', 'kpi recomputed', { ...done });
      },
    },
  ],
  [CRONS.dueWork]: [
    {
      name: 'recurring orders',
      run: async (env, scheduledTime) => {
        const enqueued = await enqueueDueOccurrences(env, scheduledTime);
        if (enqueued > 0) log('info', 'recurring orders due', { enqueued });
      },
    },
  ],
  [CRONS.nightlyErpPull]: [
    {
      name: 'nightly ERP pull',
      run: (env) => pullErpDeltas(pipelineDepsOf(env), env),
    },
    {
      name: 'import retention',
      run: async (env, scheduledTime) => {
        await deleteOldImports(pipelineDepsOf(env), scheduledTime);
      },
    },
    {
      // the punch-out log's 30 days, and sessions past their end (expired, their carts deleted)
      name: 'punch-out retention',
      run: async (env, scheduledTime) => {
        await punchoutRetention(env, createDatabase(env), scheduledTime);
      },
    },
  ],
};

/** The schedules that have jobs; tests hold them equal to wrangler.toml's `[triggers] crons`. */
export const cronsWithJobs = (): string[] => Object.keys(jobs);

export async function handleScheduled(controller: ScheduledController, env: Env): Promise<void> {
  const due = jobs[controller.cron];
  if (!due) throw new AppError('not_found', `No job is registered for cron "${controller.cron}"`);
  const failures: unknown[] = [];
  for (const job of due) {
    try {
      await job.run(env, controller.scheduledTime);
    } catch (err) {
      failures.push(err);
      log('error', 'cron job failed', {
        cron: controller.cron,
        job: job.name,
        code: err instanceof AppError ? err.code : 'unexpected',
        message: err instanceof Error ? err.message : String(err),
      });
    }
  }
  // the run is reported failed when any job failed, so the platform shows it
  if (failures.length > 0) throw failures[0];
}
