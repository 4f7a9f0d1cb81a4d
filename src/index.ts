import { createApp } from './app';
import type { Env } from './env';
import { handleQueue } from './queues/consumer';
import { handleScheduled } from './queues/cron';

export { OrganizationDO } from './durable/organization';
export { RateLimiterDO } from './durable/rate-limiter';

const app = createApp();

// The Workers runtime requires a default export for the entry module.
export default {
  fetch: app.fetch,
  queue: (batch, env, _ctx) => handleQueue(batch, env),
  scheduled: (controller, env, _ctx) => handleScheduled(controller, env),
} satisfies ExportedHandler<Env>;
