import { toBase64, typedFromBase64 } from './codec';
import type { IndexData } from './index-data';

/**
 * The index as text parts (KV values): a one-line JSON header naming each section, its kind and its length,
 * then the sections back to back — typed arrays as base64, string tables joined by newlines (build keeps
 * newlines out of them). Opening reads the header and slices: no JSON parse over megabytes, no object per
 * document. The text is cut into parts of a bounded length.
 */
const FORMAT = 3;

type Kind = 'u8' | 'u16' | 'u32' | 'i32' | 'f64';
type TypedArray = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array;

const TYPED = [
  'nameLength',
  'brandOf',
  'familyOf',
  'categoryOf',
  'categoryParent',
  'obsolete',
  'inStock',
  'nameOrder',
  'termDf',
  'postingStart',
  'postings',
  'stemStart',
  'stemTerms',
  'refDoc',
  'refKind',
  'attrStart',
  'attrKey',
  'attrValue',
  'attrNumbers',
] as const satisfies readonly (keyof IndexData)[];

const STRINGS = [
  'skus',
  'names',
  'brands',
  'families',
  'categoryPaths',
  'categoryNames',
  'terms',
  'stems',
  'refKeys',
  'attrKeys',
  'attrValues',
] as const satisfies readonly (keyof IndexData)[];

const MAKERS: Record<Kind, (b: ArrayBuffer) => TypedArray> = {
  u8: (b) => new Uint8Array(b),
  u16: (b) => new Uint16Array(b),
  u32: (b) => new Uint32Array(b),
  i32: (b) => new Int32Array(b),
  f64: (b) => new Float64Array(b),
};

function kindOf(array: TypedArray): Kind {
  if (array instanceof Uint8Array) return 'u8';
  if (array instanceof Uint16Array) return 'u16';
  if (array instanceof Uint32Array) return 'u32';
  if (array instanceof Int32Array) return 'i32';
  return 'f64';
}

/** [name, kind ('s' for a string table), count of strings or 0, length in characters] */
type Section = [string, Kind | 's', number, number];

// a section's body is produced in pieces of about this many characters: never a whole section at once
const PIECE_BYTES = 3 * 65_536;
const PIECE_STRINGS = 8_192;

/** The body of a section in pieces: base64 cut at multiples of 3 bytes, a string table a slice at a time. */
function* bodyPieces(value: TypedArray | readonly string[]): Generator<string> {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += PIECE_STRINGS)
      yield (i > 0 ? '\n' : '') + value.slice(i, i + PIECE_STRINGS).join('\n');
    return;
  }
  const typed = value as TypedArray;
  const bytes = new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
  for (let at = 0; at < bytes.length; at += PIECE_BYTES) yield toBase64(bytes.subarray(at, at + PIECE_BYTES));
}

const base64Length = (bytes: number) => 4 * Math.ceil(bytes / 3);
const joinedLength = (strings: readonly string[]) =>
  strings.reduce((n, s) => n + s.length, 0) + Math.max(0, strings.length - 1);

/** Pieces of text cut again into parts of exactly `size` characters (the last one shorter). */
function* cut(pieces: Iterable<string>, size: number): Generator<string> {
  let pending: string[] = [];
  let length = 0;
  for (let piece of pieces) {
    while (length + piece.length >= size) {
      const take = size - length;
      pending.push(piece.slice(0, take));
      yield pending.join('');
      pending = [];
      length = 0;
      piece = piece.slice(take);
    }
    if (piece.length > 0) {
      pending.push(piece);
      length += piece.length;
    }
  }
  if (length > 0) yield pending.join('');
}

/**
 * The serialized index one part at a time: the header's lengths are computed from the arrays, then each
 * section is encoded a piece at a time, so the build holds one part (and one piece) of text at once, never
 * the whole text.
 */
export function* serializedParts(data: IndexData, maxPartChars: number): Generator<string> {
  const sections: Section[] = [
    ...TYPED.map((key): Section => [key, kindOf(data[key]), 0, base64Length(data[key].byteLength)]),
    ...STRINGS.map((key): Section => [key, 's', data[key].length, joinedLength(data[key])]),
  ];
  const header = `${JSON.stringify({ format: FORMAT, docCount: data.docCount, sections })}\n`;
  const size = Math.max(1024, Math.floor(Number.isFinite(maxPartChars) ? maxPartChars : 1024));
  function* pieces(): Generator<string> {
    yield header;
    for (const key of TYPED) yield* bodyPieces(data[key]);
    for (const key of STRINGS) yield* bodyPieces(data[key]);
  }
  yield* cut(pieces(), size);
}

/** Reads serializedParts back; throws when they are not a whole index of this format. */
export function openIndexData(parts: readonly string[]): IndexData {
  const text = parts.join('');
  const headerEnd = text.indexOf('\n');
  if (headerEnd < 0) throw new Error('search index without a header');
  const header = JSON.parse(text.slice(0, headerEnd)) as {
    format: number;
    docCount: number;
    sections: Section[];
  };
  if (header.format !== FORMAT) throw new Error(`search index format ${header.format}, expected ${FORMAT}`);
  const out: Record<string, unknown> = { docCount: header.docCount };
  let at = headerEnd + 1;
  for (const [name, kind, count, length] of header.sections) {
    const body = text.slice(at, at + length);
    at += length;
    if (body.length !== length) throw new Error(`search index section ${name} truncated`);
    if (kind === 's') out[name] = count === 0 ? [] : body.split('\n');
    else out[name] = typedFromBase64(body, MAKERS[kind]);
  }
  for (const key of [...TYPED, ...STRINGS])
    if (out[key] === undefined) throw new Error(`search index section ${key} missing`);
  return out as unknown as IndexData;
}

/** Bytes the opened index takes, roughly: typed arrays plus strings (two bytes a character, a header each). */
export function approximateBytesOf(data: IndexData): number {
  let bytes = 0;
  for (const key of TYPED) bytes += data[key].byteLength;
  for (const key of STRINGS) for (const s of data[key]) bytes += 16 + s.length * 2;
  return bytes;
}
