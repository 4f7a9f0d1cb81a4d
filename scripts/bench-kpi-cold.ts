/**
 * KPI answers cold: the first request of each scope after a recompute that wrote rows (so the isolate's
 * cached sums no longer match the data generation and the sums are read from D1 again). Each round moves
 * one seeded order's `updated_at` to now, fires the cron (which recomputes that company-day and its month,
 * bumping the generation), then times one rep and one admin request, one at a time.
 */
export interface ColdFigures {
  rounds: number;
  repP50Ms: number;
  adminP50Ms: number;
  repMaxMs: number;
  adminMaxMs: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] ?? 0;
};

async function timed(url: string, headers: Record<string, string>): Promise<number> {
  const started = performance.now();
  const res = await fetch(url, { headers });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  return Math.round(performance.now() - started);
}

export async function measureCold(
  base: string,
  paths: { rep: string; admin: string },
  headers: { rep: Record<string, string>; admin: Record<string, string> },
  touchOrder: (round: number) => void,
  rounds = 7,
): Promise<ColdFigures> {
  const rep: number[] = [];
  const admin: number[] = [];
  for (let round = 0; round < rounds; round++) {
    touchOrder(round);
    const cron = await fetch(
      `${base}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent('*/5 * * * *')}&time=${Date.now()}`,
    );
    if (cron.status !== 200) throw new Error(`cron answered ${cron.status}`);
    rep.push(await timed(`${base}${paths.rep}`, headers.rep));
    admin.push(await timed(`${base}${paths.admin}`, headers.admin));
  }
  return {
    rounds,
    repP50Ms: median(rep),
    adminP50Ms: median(admin),
    repMaxMs: Math.max(...rep),
    adminMaxMs: Math.max(...admin),
  };
}
