/**
 * Growable typed arrays for the index build: one number per document (or per posting) costs one to four
 * bytes here, where a JS array of numbers costs eight and an object per entry far more. The build of a large
 * catalog keeps only these and the final string tables, never the documents.
 */
type Typed = Uint8Array | Uint32Array | Int32Array;

class Growing<T extends Typed> {
  private array: T;
  length = 0;

  constructor(private readonly make: (size: number) => T) {
    this.array = make(64);
  }

  push(value: number): void {
    if (this.length === this.array.length) {
      const grown = this.make(this.array.length * 2);
      grown.set(this.array);
      this.array = grown;
    }
    this.array[this.length++] = value;
  }

  get(i: number): number {
    return this.array[i] ?? 0;
  }

  set(i: number, value: number): void {
    this.array[i] = value;
  }

  /** The values so far, in an array of their own length. */
  finish(): T {
    return this.array.slice(0, this.length) as T;
  }
}

export const growingU8 = () => new Growing((n) => new Uint8Array(n));
export const growingU32 = () => new Growing((n) => new Uint32Array(n));
export const growingI32 = () => new Growing((n) => new Int32Array(n));
