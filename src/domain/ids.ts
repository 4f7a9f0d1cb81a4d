const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** A prefixed, URL-safe id with 100 bits of randomness, e.g. `usr_3k9x...`. Bytes are passed in (domain is pure). */
export function formatId(prefix: string, random: Uint8Array): string {
  let out = '';
  for (let i = 0; i < 20; i++) out += ALPHABET[(random[i] ?? 0) & 31];
  return `${prefix}_${out}`;
}
