import { describe, expect, it } from 'vitest';
import {
  constantTimeEqual,
  DUMMY_PASSWORD_HASH,
  hashPassword,
  verifyPassword,
} from '../../src/domain/passwords';

const salt = new Uint8Array(16).fill(7);

describe('passwords', () => {
  it('verifies the right password and rejects a wrong one', async () => {
    const stored = await hashPassword('correct horse', salt);
    expect(stored).toMatch(/^pbkdf2-sha256\$100000\$/);
    expect(await verifyPassword('correct horse', stored)).toBe(true);
    expect(await verifyPassword('correct horsE', stored)).toBe(false);
  });

  it('uses a different hash for a different salt', async () => {
    const a = await hashPassword('same', salt);
    const b = await hashPassword('same', new Uint8Array(16).fill(8));
    expect(a).not.toBe(b);
  });

  it('the dummy hash costs the same work as a real one and matches nothing', async () => {
    const real = await hashPassword('x', salt);
    expect(DUMMY_PASSWORD_HASH.split('$')[1]).toBe(real.split('$')[1]);
    expect(await verifyPassword('demo1234', DUMMY_PASSWORD_HASH)).toBe(false);
    expect(await verifyPassword('', DUMMY_PASSWORD_HASH)).toBe(false);
  });

  it('rejects malformed stored hashes', async () => {
    expect(await verifyPassword('x', 'plaintext')).toBe(false);
    expect(await verifyPassword('x', 'md5$1$a$b')).toBe(false);
  });

  it('compares bytes without short-circuiting on length or content', () => {
    expect(constantTimeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true);
    expect(constantTimeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4]))).toBe(false);
    expect(constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2, 0]))).toBe(false);
  });
});
