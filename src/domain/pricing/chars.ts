/**
 * A compact binary format carried in a text value. KV's bulk `get` returns text only, and text is stored
 * as UTF-8, so every char written here is 7-bit ASCII (0–127): one byte in KV, one byte in a V8 string.
 *
 * - unsigned integers: 6 bits per char, low group first, bit 6 set on every char but the last
 *   (0–63 in one char, up to 4,095 in two, 262,143 in three);
 * - signed integers: zig-zag, then unsigned;
 * - fixed-width numbers (offsets a reader jumps to): 7 bits per char, low group first;
 * - strings: length × 2 (+1 when a char is not ASCII) then the chars as they are, or each UTF-16 code
 *   unit as an unsigned integer when one is not ASCII.
 */
const CONTINUE = 64;
const GROUP = 64;
/** checksum widths: a block's fits 2 chars, a part header's 3 */
export const BLOCK_CHECKSUM_BITS = 14;
export const HEADER_CHECKSUM_BITS = 21;

/** Thrown for anything a well-formed part cannot contain; the reader treats the part as missing. */
export class CorruptPart extends Error {
  constructor(what: string) {
    super(`price index part is corrupt: ${what}`);
  }
}

const isAscii = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) return false;
  return true;
};

export const uintChars = (value: number): number => {
  let n = 1;
  for (let v = value; v >= GROUP; v = Math.floor(v / GROUP)) n++;
  return n;
};

export const intChars = (value: number): number => uintChars(zigzag(value));

const zigzag = (value: number): number => (value >= 0 ? value * 2 : -value * 2 - 1);

export const stringChars = (s: string): number => {
  if (isAscii(s)) return uintChars(s.length * 2) + s.length;
  let n = uintChars(s.length * 2 + 1);
  for (let i = 0; i < s.length; i++) n += uintChars(s.charCodeAt(i));
  return n;
};

export class CharWriter {
  private readonly codes: number[] = [];

  get length(): number {
    return this.codes.length;
  }

  code(c: number): void {
    this.codes.push(c);
  }

  uint(value: number): void {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`not an unsigned integer: ${value}`);
    let v = value;
    while (v >= GROUP) {
      this.codes.push((v % GROUP) | CONTINUE);
      v = Math.floor(v / GROUP);
    }
    this.codes.push(v);
  }

  int(value: number): void {
    this.uint(zigzag(value));
  }

  fixed(value: number, width: number): void {
    let v = value;
    for (let i = 0; i < width; i++) {
      this.codes.push(v % 128);
      v = Math.floor(v / 128);
    }
    if (v !== 0) throw new RangeError(`${value} does not fit ${width} chars`);
  }

  /** Overwrites a fixed-width number written earlier (an offset known only later). */
  fixedAt(position: number, value: number, width: number): void {
    let v = value;
    for (let i = 0; i < width; i++) {
      this.codes[position + i] = v % 128;
      v = Math.floor(v / 128);
    }
    if (v !== 0) throw new RangeError(`${value} does not fit ${width} chars`);
  }

  string(s: string): void {
    if (isAscii(s)) {
      this.uint(s.length * 2);
      for (let i = 0; i < s.length; i++) this.codes.push(s.charCodeAt(i));
      return;
    }
    this.uint(s.length * 2 + 1);
    for (let i = 0; i < s.length; i++) this.uint(s.charCodeAt(i));
  }

  append(other: CharWriter): void {
    for (const c of other.codes) this.codes.push(c);
  }

  checksum(from: number, to: number, bits: number): number {
    const mask = 2 ** bits - 1;
    let h = 0;
    for (let i = from; i < to; i++) h = (h + (this.codes[i] ?? 0) * (2 * (i - from) + 1)) & mask;
    return h;
  }

  text(): string {
    let out = '';
    for (let i = 0; i < this.codes.length; i += 8192) {
      out += String.fromCharCode(...this.codes.slice(i, i + 8192));
    }
    return out;
  }
}

/**
 * A position-weighted sum of a range of chars (char × an odd weight, modulo 2^bits): one multiply-add a
 * char, and any single changed char, or two neighbours swapped, always changes it.
 */
export function checksumOf(text: string, from: number, to: number, bits: number): number {
  const mask = 2 ** bits - 1;
  let h = 0;
  for (let i = from; i < to; i++) h = (h + text.charCodeAt(i) * (2 * (i - from) + 1)) & mask;
  return h;
}

/** A fixed-width number at a position (an offset in a part's index), without a cursor. */
export function fixedAt(text: string, pos: number, width: number): number {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < width; i++) {
    const c = text.charCodeAt(pos + i);
    if (!(c < 128)) throw new CorruptPart(`char ${c} at ${pos + i}`);
    value += c * scale;
    scale *= 128;
  }
  return value;
}

/** A cursor over a part's text; every read is bounds- and range-checked. */
export class CharReader {
  constructor(
    readonly text: string,
    public pos = 0,
  ) {}

  code(): number {
    const c = this.text.charCodeAt(this.pos++);
    if (!(c < 128)) throw new CorruptPart(`char ${c} at ${this.pos - 1}`);
    return c;
  }

  uint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      const c = this.code();
      value += (c & (GROUP - 1)) * scale;
      if ((c & CONTINUE) === 0) return value;
      scale *= GROUP;
      if (scale > Number.MAX_SAFE_INTEGER) throw new CorruptPart('integer too long');
    }
  }

  int(): number {
    const z = this.uint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  /** Skips one unsigned or signed integer without computing it. */
  skipInt(): void {
    while ((this.code() & CONTINUE) !== 0);
  }

  fixed(width: number): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < width; i++) {
      value += this.code() * scale;
      scale *= 128;
    }
    return value;
  }

  string(): string {
    const head = this.uint();
    const length = Math.floor(head / 2);
    if (head % 2 === 0) {
      const end = this.pos + length;
      if (end > this.text.length) throw new CorruptPart('string past the end');
      const s = this.text.substring(this.pos, end);
      this.pos = end;
      return s;
    }
    let s = '';
    for (let i = 0; i < length; i++) s += String.fromCharCode(this.uint());
    return s;
  }

  skipString(): void {
    const head = this.uint();
    const length = Math.floor(head / 2);
    if (head % 2 === 0) this.pos += length;
    else for (let i = 0; i < length; i++) this.skipInt();
    if (this.pos > this.text.length) throw new CorruptPart('string past the end');
  }
}
