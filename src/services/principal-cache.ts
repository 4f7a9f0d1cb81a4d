import type { Principal } from '../domain/principal';

/**
 * Resolved principals, per isolate, for a few seconds. Reading the user (or API key) from D1 on every
 * request would put a database round trip — far from most buyers — in front of every cached price read.
 * Bound: disabling a user, changing roles or revoking a key applies at once in the isolate that made the
 * change (it forgets everything) and within PRINCIPAL_CACHE_MS everywhere else.
 */
export const PRINCIPAL_CACHE_MS = 5_000;
const MAX_ENTRIES = 10_000;

const cache = new Map<string, { principal: Principal; at: number }>();

export async function cachedPrincipal(
  key: string,
  now: number,
  load: () => Promise<Principal>,
): Promise<Principal> {
  const hit = cache.get(key);
  if (hit && now - hit.at < PRINCIPAL_CACHE_MS && now >= hit.at) return hit.principal;
  const principal = await load();
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(key, { principal, at: now });
  return principal;
}

/** After any change to users, roles, permissions, companies or API keys. */
export function forgetPrincipals(): void {
  cache.clear();
}

// "last used" of an API key is for people reading the key list: minute precision is plenty, and a D1
// write on every integration call is not
const TOUCH_INTERVAL_MS = 60_000;
const touched = new Map<string, number>();

export function touchDue(apiKeyId: string, now: number): boolean {
  const last = touched.get(apiKeyId);
  if (last !== undefined && now - last < TOUCH_INTERVAL_MS) return false;
  if (touched.size >= MAX_ENTRIES) touched.clear();
  touched.set(apiKeyId, now);
  return true;
}
