const KEY_PATTERN = /^b2bk_([0-9a-z]{12})_([0-9a-z]{32})$/;
const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

const encode = (bytes: Uint8Array): string => Array.from(bytes, (b) => ALPHABET[b % 36]).join('');

/** `b2bk_<12 public chars>_<32 secret chars>`; the public part finds the row, the hash of the whole key proves it. */
export function formatApiKey(random: Uint8Array): { key: string; prefix: string } {
  const prefix = encode(random.subarray(0, 12));
  const secret = encode(random.subarray(12, 44));
  return { key: `b2bk_${prefix}_${secret}`, prefix };
}

export function parseApiKey(key: string): { prefix: string } | undefined {
  const match = KEY_PATTERN.exec(key);
  return match?.[1] ? { prefix: match[1] } : undefined;
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
