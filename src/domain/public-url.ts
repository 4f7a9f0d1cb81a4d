import { isPublicIpLiteral, parseIPv4, parseIPv6 } from './ip';

/**
 * The one rule for every URL a customer or partner gives us to call (webhooks today; ERP endpoints and
 * punch-out URLs next): checked when it is saved and again for every hop when it is fetched.
 *
 * Outside development only `https` to a public host: no IP literal of a private, loopback, link-local,
 * CGNAT, unique-local, multicast, unspecified or documentation range (in any spelling — the URL parser
 * turns `2130706433`, `0x7f.1` and `[::ffff:127.0.0.1]` into their canonical forms first), no
 * single-label host, no `localhost` or names under `.localhost`, `.internal`, `.local` and the like, no
 * credentials. In development the loopback host is allowed as well, over `http` or `https` (demo
 * receivers on the developer's machine); every other rule still holds.
 */
export interface UrlPolicy {
  /** development: loopback hosts (localhost, 127.0.0.0/8, ::1), over http too */
  allowLocal: boolean;
}

export type UrlVerdict = { ok: true; url: URL } | { ok: false; reason: string };

const LOCAL_SUFFIXES = [
  '.localhost',
  '.internal',
  '.local',
  '.localdomain',
  '.home.arpa',
  '.lan',
  '.intranet',
];

function isLoopback(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const four = parseIPv4(host);
  if (four !== undefined) return Math.floor(four / 2 ** 24) === 127;
  const six = host.startsWith('[') ? parseIPv6(host) : undefined;
  return six?.join(':') === '0:0:0:0:0:0:0:1';
}

function hostProblem(host: string): string | undefined {
  const ip = isPublicIpLiteral(host);
  if (ip === false) return `${host} is not a public address`;
  if (ip === true) return undefined;
  if (host === 'localhost' || LOCAL_SUFFIXES.some((suffix) => host.endsWith(suffix)))
    return `${host} is a local name`;
  if (!host.includes('.')) return `${host} is not a public host name`;
  return undefined;
}

export function checkPublicUrl(value: string, policy: UrlPolicy): UrlVerdict {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, reason: 'not a URL' };
  }
  if (url.username || url.password)
    return { ok: false, reason: 'no credentials in the URL (put a token in the path or query)' };
  // "hooks.example.com." names the same host as "hooks.example.com"
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  const local = policy.allowLocal && isLoopback(host);
  if (url.protocol !== 'https:' && !(local && url.protocol === 'http:'))
    return {
      ok: false,
      reason: policy.allowLocal ? 'an https URL (http only to localhost)' : 'an https URL',
    };
  if (local) return { ok: true, url };
  const problem = hostProblem(host);
  return problem ? { ok: false, reason: problem } : { ok: true, url };
}
