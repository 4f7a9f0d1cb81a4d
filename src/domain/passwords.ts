// PBKDF2-SHA256 through WebCrypto: available in workerd and in Node, so seeds and the Worker agree.
// 100,000 iterations is the most the Workers runtime accepts.
const ITERATIONS = 100_000;
const KEY_BITS = 256;
const encoder = new TextEncoder();

export const toBase64 = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes));
export const fromBase64 = (text: string): Uint8Array => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(password), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations },
    key,
    KEY_BITS,
  );
  return new Uint8Array(bits);
}

/** Hash a password with the given 16 random bytes of salt: `pbkdf2-sha256$<iterations>$<salt>$<hash>`. */
export async function hashPassword(password: string, salt: Uint8Array): Promise<string> {
  const hash = await derive(password, salt, ITERATIONS);
  return `pbkdf2-sha256$${ITERATIONS}$${toBase64(salt)}$${toBase64(hash)}`;
}

/** Compares in constant time over equal-length inputs: the time never tells how many bytes matched. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

/**
 * Verify a password against a stored hash. Callers with no user to check against pass `DUMMY_PASSWORD_HASH`
 * so that an unknown email costs the same PBKDF2 work as a wrong password.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iterations, salt, hash] = stored.split('$');
  if (scheme !== 'pbkdf2-sha256' || !iterations || !salt || !hash) return false;
  const derived = await derive(password, fromBase64(salt), Number(iterations));
  return constantTimeEqual(derived, fromBase64(hash));
}

/** A well-formed hash that no password matches in practice (random salt and hash, same iteration count). */
export const DUMMY_PASSWORD_HASH = `pbkdf2-sha256$${ITERATIONS}$AAECAwQFBgcICQoLDA0ODw==$7m9y8mY1TdPtY0Cw1yW9YqFh9b0H3q0V3l9n2m1QZ0o=`;
