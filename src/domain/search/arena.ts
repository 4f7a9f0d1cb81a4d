/**
 * Per-document work arrays, reused from one query to the next: a query over 50,000 documents needs a dozen
 * of them, and allocating (then collecting) megabytes per keystroke costs more than the query. A search
 * runs synchronously, so one arena per index is never shared by two queries at once.
 */
const KEEP = 24;

export class Arena {
  private readonly floats: Float32Array[] = [];
  private readonly ints: Int32Array[] = [];
  private usedFloats = 0;
  private usedInts = 0;

  constructor(private readonly size: number) {}

  /** A zeroed Float32Array of the index's document count. */
  floats32(): Float32Array {
    const kept = this.floats[this.usedFloats];
    if (kept) {
      this.usedFloats++;
      return kept.fill(0);
    }
    const fresh = new Float32Array(this.size);
    if (this.floats.length < KEEP) {
      this.floats.push(fresh);
      this.usedFloats++;
    }
    return fresh;
  }

  /** A zeroed Int32Array of the index's document count. */
  ints32(): Int32Array {
    const kept = this.ints[this.usedInts];
    if (kept) {
      this.usedInts++;
      return kept.fill(0);
    }
    const fresh = new Int32Array(this.size);
    if (this.ints.length < KEEP) {
      this.ints.push(fresh);
      this.usedInts++;
    }
    return fresh;
  }

  /** Everything taken is free again (the caller keeps no reference past its query). */
  release(): void {
    this.usedFloats = 0;
    this.usedInts = 0;
  }
}

const arenas = new WeakMap<object, Arena>();

/** The arena of an index, emptied: call at the start of a query. */
export function arenaFor(owner: object, size: number): Arena {
  let arena = arenas.get(owner);
  if (!arena) {
    arena = new Arena(size);
    arenas.set(owner, arena);
  }
  arena.release();
  return arena;
}
