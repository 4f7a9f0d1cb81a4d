import { describe, expect, it } from 'vitest';
import { isPublicIPv4, parseIPv4, parseIPv6 } from '../../src/domain/ip';
import { checkPublicUrl } from '../../src/domain/public-url';

const production = { allowLocal: false };
const development = { allowLocal: true };

// [url, allowed outside development, allowed in development]
const CASES: [string, boolean, boolean][] = [
  ['https://hooks.example.com/b2b?token=abc', true, true],
  ['https://hooks.example.com:8443/b2b', true, true],
  ['https://HOOKS.Example.COM./b2b', true, true],
  ['https://93.184.215.14/hook', true, true],
  ['https://[2606:4700:4700::1111]/hook', true, true],
  ['https://[::ffff:8.8.8.8]/hook', true, true],
  // scheme and credentials
  ['http://hooks.example.com/b2b', false, false],
  ['ftp://hooks.example.com/b2b', false, false],
  ['file:///etc/passwd', false, false],
  ['javascript:alert(1)', false, false],
  ['https://user:secret@hooks.example.com/', false, false],
  ['not a url', false, false],
  // loopback, in every spelling
  ['https://localhost/hook', false, true],
  ['http://localhost:8788/hook', false, true],
  ['https://api.localhost/hook', false, true],
  ['https://127.0.0.1/hook', false, true],
  ['http://127.1.2.3/hook', false, true],
  ['https://2130706433/hook', false, true],
  ['https://0x7f.1/hook', false, true],
  ['https://0x7f000001/hook', false, true],
  ['https://0177.0.0.1/hook', false, true],
  ['https://127.1/hook', false, true],
  ['https://[::1]/hook', false, true],
  ['https://[0:0:0:0:0:0:0:1]/hook', false, true],
  ['https://[::ffff:127.0.0.1]/hook', false, false],
  ['https://[::ffff:7f00:1]/hook', false, false],
  // private, link-local, CGNAT, unspecified, multicast, reserved
  ['https://10.0.0.5/hook', false, false],
  ['https://012.0.0.5/hook', false, false],
  ['https://167772165/hook', false, false],
  ['https://172.16.0.1/hook', false, false],
  ['https://172.31.255.255/hook', false, false],
  ['https://172.32.0.1/hook', true, true],
  ['https://192.168.1.1/hook', false, false],
  ['https://0xc0.0xa8.1.1/hook', false, false],
  ['https://169.254.169.254/latest/meta-data', false, false],
  ['https://100.64.0.1/hook', false, false],
  ['https://100.128.0.1/hook', true, true],
  ['https://0.0.0.0/hook', false, false],
  ['https://0/hook', false, false],
  ['https://224.0.0.1/hook', false, false],
  ['https://255.255.255.255/hook', false, false],
  ['https://198.18.0.1/hook', false, false],
  ['https://192.0.2.1/hook', false, false],
  ['https://[::]/hook', false, false],
  ['https://[fc00::1]/hook', false, false],
  ['https://[fd12:3456::1]/hook', false, false],
  ['https://[fe80::1]/hook', false, false],
  ['https://[ff02::1]/hook', false, false],
  ['https://[2001:db8::1]/hook', false, false],
  ['https://[::ffff:10.0.0.1]/hook', false, false],
  ['https://[::ffff:169.254.169.254]/hook', false, false],
  ['https://[64:ff9b::a9fe:a9fe]/hook', false, false],
  ['https://[2002:c0a8:101::1]/hook', false, false],
  ['https://[2001:0:4136:e378::1]/hook', false, false],
  // local names
  ['https://metadata.google.internal/computeMetadata/v1', false, false],
  ['https://printer.local/hook', false, false],
  ['https://router.home.arpa/hook', false, false],
  ['https://intranet/hook', false, false],
  ['https://localhost./hook', false, true],
];

describe('checkPublicUrl', () => {
  it.each(CASES)('%s: outside development %s, in development %s', (url, inProduction, inDevelopment) => {
    expect(checkPublicUrl(url, production).ok).toBe(inProduction);
    expect(checkPublicUrl(url, development).ok).toBe(inDevelopment);
  });

  it('says why', () => {
    expect(checkPublicUrl('https://2130706433/', production)).toEqual({
      ok: false,
      reason: '127.0.0.1 is not a public address',
    });
    expect(checkPublicUrl('http://hooks.example.com/', production)).toMatchObject({ reason: 'an https URL' });
  });
});

describe('IP literals', () => {
  it.each([
    ['1.2.3.4', 0x01020304],
    ['255.255.255.255', 0xffffffff],
    ['01.2.3.4', undefined],
    ['1.2.3', undefined],
    ['256.1.1.1', undefined],
  ])('IPv4 %s', (text, value) => expect(parseIPv4(text)).toBe(value));

  it.each([
    ['::1', [0, 0, 0, 0, 0, 0, 0, 1]],
    ['[2001:db8::8:800:200c:417a]', [0x2001, 0xdb8, 0, 0, 0x8, 0x800, 0x200c, 0x417a]],
    ['::ffff:1.2.3.4', [0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304]],
    ['1:2:3:4:5:6:7:8', [1, 2, 3, 4, 5, 6, 7, 8]],
    ['1::2::3', undefined],
    ['1:2:3:4:5:6:7:8:9', undefined],
    ['fe80::1%eth0', undefined],
  ])('IPv6 %s', (text, groups) => expect(parseIPv6(text)).toEqual(groups));

  it('public IPv4 edges', () => {
    expect(isPublicIPv4(0x0a000000 - 1)).toBe(true); // 9.255.255.255
    expect(isPublicIPv4(0x0a000000)).toBe(false); // 10.0.0.0
    expect(isPublicIPv4(0x0b000000)).toBe(true); // 11.0.0.0
  });
});
