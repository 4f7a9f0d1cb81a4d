import { AppError } from '../../../domain/errors';
import type { ImportEncoding, ImportFormat } from './head';

const FORMATS: Record<string, ImportFormat> = {
  'text/csv': 'csv',
  'application/x-ndjson': 'ndjson',
  'application/ndjson': 'ndjson',
  'application/json': 'json',
};

// WHATWG Encoding maps latin1 and iso-8859-1 to windows-1252 too: the bytes ERPs call "ANSI"
const CHARSETS: Record<string, ImportEncoding> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'us-ascii': 'utf-8',
  'windows-1252': 'windows-1252',
  cp1252: 'windows-1252',
  'iso-8859-1': 'windows-1252',
  latin1: 'windows-1252',
};

const unsupported = (why: string) => new AppError('unsupported_media_type', why);

/**
 * The format and declared charset of an upload from its Content-Type: CSV (UTF-8 or Windows-1252), NDJSON
 * or a JSON array (UTF-8). Anything else is a 415 naming what is accepted.
 */
export function uploadFormatOf(contentType: string | undefined): {
  format: ImportFormat;
  charset: ImportEncoding | null;
} {
  const [media = '', ...params] = (contentType ?? '').split(';');
  const format = FORMATS[media.trim().toLowerCase()];
  if (!format) throw unsupported('Send the import as text/csv, application/x-ndjson or application/json');
  const declared = params
    .map((p) => p.trim().split('='))
    .find(([name]) => name?.trim().toLowerCase() === 'charset')?.[1]
    ?.trim()
    .replace(/^"|"$/g, '')
    .toLowerCase();
  if (declared === undefined) return { format, charset: null };
  const charset = CHARSETS[declared];
  if (!charset || (format !== 'csv' && charset !== 'utf-8'))
    throw unsupported(
      format === 'csv'
        ? `charset=${declared} is not supported: send CSV as UTF-8 or Windows-1252`
        : 'JSON is UTF-8: drop the charset or send charset=utf-8',
    );
  return { format, charset };
}
