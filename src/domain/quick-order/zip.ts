import { Inflate } from 'fflate';

/**
 * Reading entries of a ZIP file (an XLSX workbook is one) with the sizes bounded BEFORE anything is
 * inflated, and again while inflating: a zip bomb declares small sizes and expands to gigabytes. The central
 * directory is read first (entry count, declared sizes, offsets inside the file); an entry is then inflated
 * in small slices through fflate's streaming inflater and dropped the moment its output passes the cap.
 */
export class ZipRefused extends Error {
  override name = 'ZipRefused';
}

export interface ZipLimits {
  /** entries the central directory may list */
  maxEntries: number;
  /** bytes one inflated entry may take (declared and actual) */
  maxEntryBytes: number;
}

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** compressed input handed to the inflater at once: at most ~1,032× as much output before the next check */
const SLICE = 4096;

const u16 = (b: Uint8Array, at: number) => (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
const u32 = (b: Uint8Array, at: number) => (u16(b, at) | (u16(b, at + 2) << 16)) >>> 0;

/** The central directory: every entry's name, method, sizes and where its data is. */
export function zipEntries(bytes: Uint8Array, limits: ZipLimits): ZipEntry[] {
  let end = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (u32(bytes, at) === EOCD) {
      end = at;
      break;
    }
  }
  if (end < 0) throw new ZipRefused('not a ZIP file (no end of central directory)');
  const count = u16(bytes, end + 10);
  const size = u32(bytes, end + 12);
  const offset = u32(bytes, end + 16);
  if (count === 0xffff || offset === 0xffffffff) throw new ZipRefused('ZIP64 files are not accepted');
  if (count > limits.maxEntries)
    throw new ZipRefused(`the file holds ${count} entries; at most ${limits.maxEntries}`);
  if (offset + size > end) throw new ZipRefused('the ZIP directory points outside the file');
  const entries: ZipEntry[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || u32(bytes, at) !== CENTRAL) throw new ZipRefused('damaged ZIP directory');
    const flags = u16(bytes, at + 8);
    if (flags & 1) throw new ZipRefused('encrypted files are not accepted');
    const nameLength = u16(bytes, at + 28);
    const entry = {
      method: u16(bytes, at + 10),
      compressedSize: u32(bytes, at + 20),
      size: u32(bytes, at + 24),
      localOffset: u32(bytes, at + 42),
      name: new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength)),
    };
    if (entry.compressedSize === 0xffffffff || entry.size === 0xffffffff || entry.localOffset === 0xffffffff)
      throw new ZipRefused('ZIP64 files are not accepted');
    entries.push(entry);
    at += 46 + nameLength + u16(bytes, at + 30) + u16(bytes, at + 32);
  }
  return entries;
}

/** One entry's bytes, inflated with its output capped at `maxEntryBytes` whatever its header declares. */
export function readEntry(bytes: Uint8Array, entry: ZipEntry, limits: ZipLimits): Uint8Array {
  if (entry.size > limits.maxEntryBytes)
    throw new ZipRefused(`${entry.name} would take ${entry.size} bytes; at most ${limits.maxEntryBytes}`);
  const at = entry.localOffset;
  if (at + 30 > bytes.length || u32(bytes, at) !== LOCAL) throw new ZipRefused(`damaged entry ${entry.name}`);
  const start = at + 30 + u16(bytes, at + 26) + u16(bytes, at + 28);
  const data = bytes.subarray(start, start + entry.compressedSize);
  if (start + entry.compressedSize > bytes.length) throw new ZipRefused(`${entry.name} runs past the file`);
  if (entry.method === 0) {
    if (data.length > limits.maxEntryBytes) throw new ZipRefused(`${entry.name} is too large`);
    return data;
  }
  if (entry.method !== 8) throw new ZipRefused(`${entry.name} uses an unknown compression (${entry.method})`);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const inflater = new Inflate((chunk) => {
    total += chunk.length;
    if (total > limits.maxEntryBytes)
      throw new ZipRefused(`${entry.name} expands beyond ${limits.maxEntryBytes} bytes`);
    chunks.push(chunk);
  });
  try {
    for (let i = 0; i < data.length; i += SLICE) {
      inflater.push(data.subarray(i, i + SLICE), i + SLICE >= data.length);
    }
  } catch (err) {
    if (err instanceof ZipRefused) throw err;
    throw new ZipRefused(`${entry.name} is not valid deflate data`);
  }
  const out = new Uint8Array(total);
  let pos = 0;
  for (const c of chunks) {
    out.set(c, pos);
    pos += c.length;
  }
  return out;
}
