import { AppError, notImplemented } from '../domain/errors';
import type { Env } from '../env';
import { log } from '../services/log';

/** Cron expressions as declared in wrangler.toml `[triggers]`; handlers only find due work and enqueue it. */
export const CRONS = {
  outboxRelaySweep: '*/5 * * * *',
  hourlyDueWork: '7 * * * *',
  nightlyErpPull: '30 2 * * *',
} as const;

const jobs: Record<string, (env: Env, scheduledTime: number) => Promise<void>> = {
  [CRONS.outboxRelaySweep]: async () => {
    throw notImplemented('Outbox relay sweep');
  },
  [CRONS.hourlyDueWork]: async () => {
    throw notImplemented('Recurring orders and promotion windows');
  },
  [CRONS.nightlyErpPull]: async () => {
    throw notImplemented('Nightly ERP pull');
  },
};

export async function handleScheduled(controller: ScheduledController, env: Env): Promise<void> {
  const job = jobs[controller.cron];
  if (!job) throw new AppError('not_found', `No job is registered for cron "${controller.cron}"`);
  try {
    await job(env, controller.scheduledTime);
  } catch (err) {
    log('error', 'cron job failed', {
      cron: controller.cron,
      code: err instanceof AppError ? err.code : 'unexpected',
      message: err instanceof Error ? err.message : String(err),
    });
    throw err;
  }
}
