import { percentile } from './bench-measure';

/**
 * The `Server-Timing` of checkout answers, aggregated: p50/p99 per phase, and every phase of the slowest
 * answers, so the next bottleneck (and the tail) is visible. `outside` is what the client waited beyond the
 * route's handler: the wrangler proxy, the middleware (authentication) and the local network.
 */
export type Phases = Record<string, number>;

export interface Answer {
  ms: number;
  phases: Phases;
}

export interface PhaseFigures {
  scenario: string;
  phases: { phase: string; 'p50 ms': number; 'p99 ms': number; answers: number }[];
  /** answers slower than SLOW_FACTOR × the p50, slowest first, each with its phases */
  slow: { ms: number; phases: Phases }[];
}

const SLOW_FACTOR = 3;
const MAX_SLOW = 10;

export function parseServerTiming(header: string | null): Phases {
  const phases: Phases = {};
  for (const entry of (header ?? '').split(',')) {
    const [name, ...params] = entry.trim().split(';');
    const dur = params.map((p) => p.trim()).find((p) => p.startsWith('dur='));
    if (name && dur) phases[name] = Number(dur.slice(4));
  }
  return phases;
}

export function phaseFigures(scenario: string, answers: readonly Answer[]): PhaseFigures {
  const withOutside = answers.map((a): Answer => {
    const handler = a.phases.handler;
    return { ms: a.ms, phases: handler === undefined ? a.phases : { ...a.phases, outside: a.ms - handler } };
  });
  const names = [...new Set(withOutside.flatMap((a) => Object.keys(a.phases)))];
  const phases = names.map((phase) => {
    const samples = withOutside.flatMap((a) => {
      const ms = a.phases[phase];
      return ms === undefined ? [] : [ms];
    });
    return {
      phase,
      'p50 ms': percentile(samples, 0.5),
      'p99 ms': percentile(samples, 0.99),
      answers: samples.length,
    };
  });
  const p50 = percentile(
    answers.map((a) => a.ms),
    0.5,
  );
  const slow = withOutside
    .filter((a) => a.ms > SLOW_FACTOR * p50)
    .sort((a, b) => b.ms - a.ms)
    .slice(0, MAX_SLOW)
    .map((a) => ({
      ms: Math.round(a.ms * 10) / 10,
      phases: Object.fromEntries(Object.entries(a.phases).map(([k, v]) => [k, Math.round(v * 10) / 10])),
    }));
  return { scenario, phases, slow };
}

export function printPhases(figures: readonly PhaseFigures[]): void {
  for (const f of figures) {
    console.log(
      `Phases of "${f.scenario}" (Server-Timing; facts, products and index run in parallel within plan)`,
    );
    console.table(f.phases);
    if (f.slow.length === 0) continue;
    console.log(`Answers slower than ${SLOW_FACTOR}× the p50, with their phases:`);
    for (const s of f.slow) console.log(`  ${s.ms} ms  ${JSON.stringify(s.phases)}`);
  }
}
