/**
 * Durations of a request's phases, answered as a `Server-Timing` header (docs/performance.md) so the next
 * bottleneck is visible from outside. Under `wrangler dev` the clock runs continuously; deployed, a
 * Worker's clock only moves on I/O, so there a phase without I/O reads 0 and its CPU time shows in the
 * next phase that awaits something.
 */
export interface Phase {
  name: string;
  ms: number;
}

export class PhaseClock {
  readonly phases: Phase[] = [];
  private readonly started = performance.now();
  private mark = this.started;

  /** Ends the phase running since the last lap (or since the clock started) under `name`. */
  lap(name: string): void {
    const now = performance.now();
    this.phases.push({ name, ms: now - this.mark });
    this.mark = now;
  }

  /** Records how long `work` takes under `name`, whatever else runs meanwhile (for work done in parallel). */
  async measure<T>(name: string, work: Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work;
    } finally {
      this.phases.push({ name, ms: performance.now() - started });
    }
  }

  add(phases: readonly Phase[]): void {
    this.phases.push(...phases);
  }

  total(): number {
    return performance.now() - this.started;
  }
}

/** `name;dur=1.2, …`: names are tokens (letters, digits, `-`, `.`), durations in ms with one decimal. */
export const serverTiming = (phases: readonly Phase[]): string =>
  phases.map((p) => `${p.name};dur=${Math.max(0, p.ms).toFixed(1)}`).join(', ');
