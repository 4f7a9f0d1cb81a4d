import { Cron } from 'croner';

/**
 * `wrangler dev` does not fire Cron Triggers by itself; `npm start` runs this beside it. Each cron declared
 * in wrangler.toml `[triggers]` is read with croner (the library the Worker's schedules use), and at each
 * of its times the local Worker's scheduled handler is called, as the platform would:
 *   GET http://127.0.0.1:8787/cdn-cgi/handler/scheduled?cron=<expression>&time=<scheduled epoch ms>
 * Cron Triggers run in UTC. A call that fails (the Worker still starting, a job failing) is printed.
 */
export interface Scheduler {
  stop(): void;
}

export const scheduledUrl = (base: string, cron: string, at: number): string =>
  `${base}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent(cron)}&time=${at}`;

export function startCronScheduler(options: {
  base: string;
  crons: readonly string[];
  fetch?: (url: string) => Promise<Response>;
  log?: (line: string) => void;
}): Scheduler {
  const call = options.fetch ?? ((url: string) => fetch(url));
  const log = options.log ?? ((line: string) => console.warn(line));
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let stopped = false;

  const fire = async (cron: string, at: number) => {
    try {
      const res = await call(scheduledUrl(options.base, cron, at));
      if (!res.ok)
        log(
          `[cron ${cron}] the scheduled handler answered ${res.status}: ${(await res.text()).slice(0, 200)}`,
        );
    } catch (err) {
      log(
        `[cron ${cron}] not fired (is the Worker up?): ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  };
  const plan = (cron: string) => {
    const next = new Cron(cron, { timezone: 'UTC', paused: true, mode: '5-part' }).nextRun();
    if (!next || stopped) return;
    const at = next.getTime();
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        plan(cron);
        void fire(cron, at);
      },
      Math.max(0, at - Date.now()),
    );
    timers.add(timer);
  };
  for (const cron of options.crons) plan(cron);
  return {
    stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}

/** The crons wrangler.toml declares, read by wrangler's own config reader. */
export async function declaredCrons(configPath = 'wrangler.toml'): Promise<string[]> {
  const { unstable_readConfig } = await import('wrangler');
  const config = unstable_readConfig({ config: configPath }) as { triggers?: { crons?: string[] } };
  return config.triggers?.crons ?? [];
}
