/**
 * Binary helpers of the index: growable varint byte buffers (delta-coded postings) and base64 for typed
 * arrays in the serialized parts (KV values are strings). Written by hand: the same code runs in workerd and
 * Node, without Buffer, and decodes ~10 MB in a few milliseconds.
 */

export class ByteWriter {
  private bytes: Uint8Array;
  length = 0;

  /** `initial` bytes at first, doubled as needed (a term's postings start small: most terms are rare). */
  constructor(initial = 1024) {
    this.bytes = new Uint8Array(Math.max(8, initial));
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + extra));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  /** An unsigned integer below 2^35 in 7-bit groups, low first. */
  varint(value: number): void {
    this.ensure(5);
    let v = value;
    while (v >= 0x80) {
      this.bytes[this.length++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.bytes[this.length++] = v;
  }

  append(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.bytes.set(bytes, this.length);
    this.length += bytes.length;
  }

  finish(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }

  /** The bytes written so far, without a copy (valid until the next write). */
  written(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Uint8Array(128);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

export function toBase64(bytes: Uint8Array): string {
  const chunks: string[] = [];
  let line = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] ?? 0;
    const b = bytes[i + 1] ?? 0;
    const c = bytes[i + 2] ?? 0;
    const triple = (a << 16) | (b << 8) | c;
    line +=
      ALPHABET.charAt(triple >> 18) +
      ALPHABET.charAt((triple >> 12) & 63) +
      (i + 1 < bytes.length ? ALPHABET.charAt((triple >> 6) & 63) : '=') +
      (i + 2 < bytes.length ? ALPHABET.charAt(triple & 63) : '=');
    if (line.length >= 8192) {
      chunks.push(line);
      line = '';
    }
  }
  chunks.push(line);
  return chunks.join('');
}

export function fromBase64(text: string): Uint8Array {
  let padding = 0;
  if (text.endsWith('==')) padding = 2;
  else if (text.endsWith('=')) padding = 1;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const triple =
      ((DECODE[text.charCodeAt(i)] ?? 0) << 18) |
      ((DECODE[text.charCodeAt(i + 1)] ?? 0) << 12) |
      ((DECODE[text.charCodeAt(i + 2)] ?? 0) << 6) |
      (DECODE[text.charCodeAt(i + 3)] ?? 0);
    if (o < out.length) out[o++] = triple >> 16;
    if (o < out.length) out[o++] = (triple >> 8) & 255;
    if (o < out.length) out[o++] = triple & 255;
  }
  return out;
}

/** The bytes of base64 text, copied into a fresh, aligned buffer of the wanted element type. */
export function typedFromBase64<T>(text: string, make: (buffer: ArrayBuffer) => T): T {
  const bytes = fromBase64(text);
  const buffer = new ArrayBuffer(bytes.length);
  new Uint8Array(buffer).set(bytes);
  return make(buffer);
}
