/**
 * IP address literals: parsing canonical forms and telling public unicast addresses from everything a
 * customer-supplied URL must not reach (loopback, private, link-local, CGNAT, unique-local, multicast,
 * unspecified, documentation and other special-purpose ranges). Pure.
 *
 * Input is what the WHATWG URL parser leaves in `hostname`: it already turns `2130706433`, `0x7f.1` or
 * `0177.0.0.1` into `127.0.0.1`, and IPv6 into its compressed lower-case form in brackets.
 */

/** A dotted-decimal IPv4 address as a 32-bit unsigned number. */
export function parseIPv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = value * 256 + n;
  }
  return value;
}

/** An IPv6 address (with or without brackets, `::` compression, a dotted IPv4 tail) as 8 16-bit groups. */
export function parseIPv6(text: string): number[] | undefined {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (bare.includes('%') || !/^[0-9a-fA-F:.]+$/.test(bare)) return undefined;
  const halves = bare.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (half: string): number[] | undefined => {
    if (half === '') return [];
    const out: number[] = [];
    const pieces = half.split(':');
    for (const [i, piece] of pieces.entries()) {
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIPv4(piece);
        if (v4 === undefined) return undefined;
        out.push(Math.floor(v4 / 65536), v4 % 65536);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) out.push(Number.parseInt(piece, 16));
      else return undefined;
    }
    return out;
  };
  const head = groupsOf(halves[0] ?? '');
  const tail = halves.length === 2 ? groupsOf(halves[1] ?? '') : [];
  if (!head || !tail) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  const missing = 8 - head.length - tail.length;
  return missing >= 1 ? [...head, ...new Array<number>(missing).fill(0), ...tail] : undefined;
}

const v4 = (a: number, b: number, c: number, d: number) => ((a * 256 + b) * 256 + c) * 256 + d;
const inV4 = (address: number, base: number, bits: number) =>
  Math.floor(address / 2 ** (32 - bits)) === Math.floor(base / 2 ** (32 - bits));

// RFC 6890 special-purpose IPv4 ranges that are not globally reachable, plus multicast and reserved.
const NON_PUBLIC_V4: [number, number][] = [
  [v4(0, 0, 0, 0), 8], // "this network", unspecified
  [v4(10, 0, 0, 0), 8], // private
  [v4(100, 64, 0, 0), 10], // carrier-grade NAT
  [v4(127, 0, 0, 0), 8], // loopback
  [v4(169, 254, 0, 0), 16], // link-local (cloud metadata endpoints live here)
  [v4(172, 16, 0, 0), 12], // private
  [v4(192, 0, 0, 0), 24], // IETF protocol assignments
  [v4(192, 0, 2, 0), 24], // documentation
  [v4(192, 88, 99, 0), 24], // 6to4 relay anycast
  [v4(192, 168, 0, 0), 16], // private
  [v4(198, 18, 0, 0), 15], // benchmarking
  [v4(198, 51, 100, 0), 24], // documentation
  [v4(203, 0, 113, 0), 24], // documentation
  [v4(224, 0, 0, 0), 4], // multicast
  [v4(240, 0, 0, 0), 4], // reserved, broadcast
];

export const isPublicIPv4 = (address: number): boolean =>
  !NON_PUBLIC_V4.some(([base, bits]) => inV4(address, base, bits));

/**
 * Only global unicast (2000::/3) counts, minus its special blocks; addresses that embed an IPv4 one
 * (v4-mapped, NAT64 well-known prefix, 6to4) are judged by that IPv4 address.
 */
export function isPublicIPv6(groups: readonly number[]): boolean {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = groups;
  const embedded = (hi: number, lo: number) => isPublicIPv4(hi * 65536 + lo);
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0xffff) return embedded(g6, g7);
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return embedded(g6, g7);
  if (g0 === 0x2002) return embedded(g1, g2);
  if (g0 < 0x2000 || g0 > 0x3fff) return false; // ::, ::1, v4-compatible, fc00::/7, fe80::/10, ff00::/8, …
  if (g0 === 0x2001 && g1 < 0x0200) return false; // 2001::/23 IETF protocol assignments (Teredo, ORCHID, …)
  if (g0 === 0x2001 && g1 === 0x0db8) return false; // documentation
  if (g0 === 0x3fff && g1 < 0x1000) return false; // documentation (2024)
  return true;
}

/** A literal IP host (as in `URL.hostname`): whether it is public; undefined when it is not an IP. */
export function isPublicIpLiteral(host: string): boolean | undefined {
  const four = parseIPv4(host);
  if (four !== undefined) return isPublicIPv4(four);
  const six = host.includes(':') ? parseIPv6(host) : undefined;
  if (six) return isPublicIPv6(six);
  return host.includes(':') ? false : undefined;
}

/**
 * The key a client address is limited under: the IPv4 address, or the /64 of an IPv6 one (a subscriber
 * usually holds a whole /64, so counting single addresses would give an attacker 2^64 allowances).
 */
export function clientAddressKey(address: string | undefined): string {
  const text = (address ?? '').trim();
  if (parseIPv4(text) !== undefined) return text;
  const six = parseIPv6(text);
  if (six)
    return `${six
      .slice(0, 4)
      .map((g) => g.toString(16))
      .join(':')}::/64`;
  return text === '' ? 'unknown' : `other:${text.slice(0, 64)}`;
}
