/**
 * A KV namespace held in memory, for the in-process read-path benchmark and Node tests: the subset of
 * `KVNamespace` the price index uses (get of one key or up to 100, put, delete), counting what is read.
 * Values are kept as UTF-8 bytes and decoded on every read, as the runtime hands KV text to a Worker, so the
 * decoding cost of a value grows with its size here too.
 */
export class MemoryKv {
  private readonly values = new Map<string, Uint8Array>();
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder();
  /** every key read since the last reset (a bulk get counts each key, as KV bills it) and its bytes */
  readLog: { key: string; bytes: number }[] = [];

  resetCounters(): void {
    this.readLog = [];
  }

  /** Keys and bytes read since the last reset, of the keys `which` accepts. */
  reads(which: (key: string) => boolean = () => true): { keys: number; bytes: number } {
    const matching = this.readLog.filter((r) => which(r.key));
    return { keys: matching.length, bytes: matching.reduce((n, r) => n + r.bytes, 0) };
  }

  /** Total bytes stored under keys that start with `prefix`. */
  bytesUnder(prefix: string): number {
    let n = 0;
    for (const [key, value] of this.values) if (key.startsWith(prefix)) n += value.length;
    return n;
  }

  keys(prefix = ''): string[] {
    return [...this.values.keys()].filter((k) => k.startsWith(prefix));
  }

  async put(key: string, value: string | ArrayBuffer | ArrayBufferView): Promise<void> {
    const bytes =
      typeof value === 'string'
        ? this.encoder.encode(value)
        : value instanceof ArrayBuffer
          ? new Uint8Array(value)
          : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    this.values.set(key, bytes.slice());
  }

  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }

  get(key: string, options?: unknown): Promise<unknown>;
  get(keys: string[], options?: unknown): Promise<Map<string, unknown>>;
  async get(keyOrKeys: string | string[], options?: unknown): Promise<unknown> {
    const type = typeOf(options);
    if (Array.isArray(keyOrKeys)) {
      if (keyOrKeys.length > 100) throw new Error('KV bulk get takes at most 100 keys');
      return new Map(keyOrKeys.map((k) => [k, this.read(k, type)]));
    }
    return this.read(keyOrKeys, type);
  }

  private read(key: string, type: 'text' | 'json'): unknown {
    const bytes = this.values.get(key);
    this.readLog.push({ key, bytes: bytes?.length ?? 0 });
    if (bytes === undefined) return null;
    const text = this.decoder.decode(bytes);
    return type === 'json' ? JSON.parse(text) : text;
  }

  /** This store as the binding type the services take. */
  asNamespace(): KVNamespace {
    return this as unknown as KVNamespace;
  }
}

function typeOf(options: unknown): 'text' | 'json' {
  const type =
    typeof options === 'string'
      ? options
      : typeof options === 'object' && options !== null && 'type' in options
        ? options.type
        : 'text';
  if (type !== 'text' && type !== 'json') throw new Error(`MemoryKv reads text or json, not ${String(type)}`);
  return type;
}

/** A queue that keeps what is sent (the build and the reader's rebuild requests). */
export class MemoryQueue {
  readonly sent: unknown[] = [];

  async send(body: unknown): Promise<void> {
    this.sent.push(body);
  }

  async sendBatch(messages: Iterable<{ body: unknown }>): Promise<void> {
    for (const m of messages) this.sent.push(m.body);
  }

  asQueue(): Queue {
    return this as unknown as Queue;
  }
}
