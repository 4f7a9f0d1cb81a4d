import { afterEach, describe, expect, it, vi } from 'vitest';
import { declaredCrons, scheduledUrl, startCronScheduler } from '../../scripts/cron-scheduler';

afterEach(() => {
  vi.useRealTimers();
});

describe('npm start fires the Cron Triggers on their schedule', () => {
  it('calls the local scheduled handler at each declared cron’s times, with the cron and its instant', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 10, 2, 8, 58, 30) });
    const calls: string[] = [];
    const scheduler = startCronScheduler({
      base: 'http://127.0.0.1:8787',
      crons: ['* * * * *', '*/5 * * * *', '30 2 * * *'],
      fetch: async (url) => {
        calls.push(url);
        return new Response('ok');
      },
    });
    await vi.advanceTimersByTimeAsync(3 * 60_000); // 08:58:30 → 09:01:30
    scheduler.stop();
    // two crons due at the same instant fire in either order
    expect([...calls].sort()).toEqual(
      [
        scheduledUrl('http://127.0.0.1:8787', '* * * * *', Date.UTC(2026, 10, 2, 8, 59)),
        scheduledUrl('http://127.0.0.1:8787', '* * * * *', Date.UTC(2026, 10, 2, 9, 0)),
        scheduledUrl('http://127.0.0.1:8787', '*/5 * * * *', Date.UTC(2026, 10, 2, 9, 0)),
        scheduledUrl('http://127.0.0.1:8787', '* * * * *', Date.UTC(2026, 10, 2, 9, 1)),
      ].sort(),
    );
    expect(calls[0]).toBe(
      `http://127.0.0.1:8787/cdn-cgi/handler/scheduled?cron=*%20*%20*%20*%20*&time=${Date.UTC(2026, 10, 2, 8, 59)}`,
    );
    // stopped: nothing more
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(calls).toHaveLength(4);
  });

  it('a failing call is reported and the schedule goes on', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 10, 2, 8, 59, 30) });
    const lines: string[] = [];
    let n = 0;
    const scheduler = startCronScheduler({
      base: 'http://127.0.0.1:8787',
      crons: ['* * * * *'],
      fetch: async () => {
        n++;
        if (n === 1) throw new Error('connection refused');
        return new Response('boom', { status: 500 });
      },
      log: (line) => lines.push(line),
    });
    await vi.advanceTimersByTimeAsync(2 * 60_000);
    scheduler.stop();
    expect(n).toBe(2);
    expect(lines).toEqual([
      expect.stringContaining('connection refused'),
      expect.stringContaining('answered 500: boom'),
    ]);
  });

  it('reads the crons wrangler.toml declares', async () => {
    expect(await declaredCrons()).toContain('* * * * *');
  });
});
