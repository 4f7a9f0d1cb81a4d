import { checkPublicUrl, type UrlPolicy } from '../domain/public-url';

/** The subset of `fetch` outbound calls use; tests hand in a fake. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** Development allows loopback receivers (over http too); anything else (production, staging) does not. */
export const urlPolicyFor = (environment: string | undefined): UrlPolicy => ({
  allowLocal: environment === 'development',
});

export const MAX_REDIRECTS = 3;

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'an invalid URL';
  }
}

export type PublicFetchResult =
  | { ok: true; response: Response; url: string }
  | { ok: false; refused: string };

// 307 and 308 repeat the request as it was; 301, 302 and 303 turn a POST into a GET without its body,
// which for a webhook or an export would "succeed" without delivering anything
const METHOD_KEEPING = new Set([307, 308]);
const METHOD_CHANGING = new Set([301, 302, 303]);
const CROSS_ORIGIN_DROPPED = ['authorization', 'cookie', 'proxy-authorization'];

/**
 * The only way to call a URL a customer or partner gave us. Every hop is checked with `checkPublicUrl`
 * before it is requested; redirects are never followed by the runtime but here, at most MAX_REDIRECTS
 * times: 307/308 always, 301/302/303 only for GET and HEAD. Credentials headers are not carried to
 * another origin. A refused hop is a value (`refused` says why), not an exception: retrying cannot fix it.
 *
 * Names are checked, not the addresses they resolve to (a Worker cannot resolve DNS before connecting);
 * in production Cloudflare's egress does not reach private networks, which covers a public name that
 * resolves to a private address.
 */
export async function fetchPublic(
  url: string,
  init: Omit<RequestInit, 'redirect' | 'body'> & { body?: string },
  policy: UrlPolicy,
  fetcher: FetchLike = fetch,
): Promise<PublicFetchResult> {
  let current = url;
  const headers = new Headers(init.headers);
  const method = (init.method ?? 'GET').toUpperCase();
  for (let hop = 0; ; hop++) {
    const verdict = checkPublicUrl(current, policy);
    if (!verdict.ok) {
      // the origin only: the path or query may carry the receiver's token
      const where = hop === 0 ? '' : `redirect to ${originOf(current)}: `;
      return { ok: false, refused: `${where}${verdict.reason}` };
    }
    const response = await fetcher(current, { ...init, headers, redirect: 'manual' });
    const location = response.headers.get('location');
    const follows =
      location !== null &&
      (METHOD_KEEPING.has(response.status) ||
        (METHOD_CHANGING.has(response.status) && (method === 'GET' || method === 'HEAD')));
    if (!follows) return { ok: true, response, url: current };
    await response.body?.cancel();
    if (hop >= MAX_REDIRECTS) return { ok: false, refused: `more than ${MAX_REDIRECTS} redirects` };
    let next: URL;
    try {
      next = new URL(location, current);
    } catch {
      return { ok: false, refused: 'redirect to an invalid URL' };
    }
    if (next.origin !== new URL(current).origin)
      for (const name of CROSS_ORIGIN_DROPPED) headers.delete(name);
    current = next.toString();
  }
}
