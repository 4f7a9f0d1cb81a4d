/**
 * A least-recently-used cache bounded by bytes: reading an entry makes it the most recent, and inserting
 * (or an entry growing) evicts the least recently used until the total is within the budget. Sizes are
 * whatever `sizeOf` says at insertion or at `remeasure`, so values that grow after insertion (a part that
 * decodes more entries) are charged when the caller says so.
 */
export class ByteLru<V> {
  private readonly values = new Map<string, { value: V; bytes: number }>();
  private total = 0;

  constructor(
    private budget: number,
    private readonly sizeOf: (value: V) => number,
  ) {}

  get bytes(): number {
    return this.total;
  }

  get size(): number {
    return this.values.size;
  }

  get limit(): number {
    return this.budget;
  }

  has(key: string): boolean {
    return this.values.has(key);
  }

  /** The value, leaving its place in the order as it is (see `touch`). */
  peek(key: string): V | undefined {
    return this.values.get(key)?.value;
  }

  /** Makes an entry the most recently used and charges its current size (it may have grown). */
  touch(key: string): void {
    const found = this.values.get(key);
    if (!found) return;
    this.values.delete(key);
    this.values.set(key, found);
    this.remeasure(key);
  }

  /** The value, now the most recently used. */
  get(key: string): V | undefined {
    const found = this.values.get(key);
    if (!found) return undefined;
    this.values.delete(key);
    this.values.set(key, found);
    return found.value;
  }

  /** Inserts as the most recent; a value larger than the whole budget is not kept at all. */
  set(key: string, value: V): void {
    this.delete(key);
    const bytes = this.sizeOf(value);
    if (bytes > this.budget) return;
    this.values.set(key, { value, bytes });
    this.total += bytes;
    this.evict();
  }

  /** Charges an entry's current size (it grew or shrank since it was inserted). */
  remeasure(key: string): void {
    const found = this.values.get(key);
    if (!found) return;
    const bytes = this.sizeOf(found.value);
    this.total += bytes - found.bytes;
    found.bytes = bytes;
    this.evict();
  }

  delete(key: string): void {
    const found = this.values.get(key);
    if (!found) return;
    this.values.delete(key);
    this.total -= found.bytes;
  }

  clear(): void {
    this.values.clear();
    this.total = 0;
  }

  /** A new budget (tests and the benchmark); entries beyond it are evicted at once. */
  resize(budget: number): void {
    this.budget = budget;
    this.evict();
  }

  private evict(): void {
    for (const [key, { bytes }] of this.values) {
      if (this.total <= this.budget) return;
      this.values.delete(key);
      this.total -= bytes;
    }
  }
}
