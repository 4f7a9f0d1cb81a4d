import fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { formatApiKey, parseApiKey } from '../../src/domain/api-keys';
import { formatId } from '../../src/domain/ids';
import {
  BUILT_IN_ROLES,
  CUSTOMER_PERMISSIONS,
  isCustomerPermission,
  permissionsForScopes,
} from '../../src/domain/permissions';
import { decodeCursor, encodeCursor } from '../../src/http/paging';

describe('API keys', () => {
  it('round-trips any random bytes through format and parse', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 44, maxLength: 44 }), (bytes) => {
        const { key, prefix } = formatApiKey(bytes);
        expect(parseApiKey(key)).toEqual({ prefix });
      }),
    );
  });

  it('rejects anything that is not a key', () => {
    for (const text of [
      '',
      'b2bk_',
      'b2bk_short_key',
      'eyJhbGciOi.x.y',
      `b2bk_${'a'.repeat(12)}_${'A'.repeat(32)}`,
    ]) {
      expect(parseApiKey(text)).toBeUndefined();
    }
  });
});

describe('ids', () => {
  it('are prefixed and match the id pattern routes accept', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), (bytes) => {
        expect(formatId('usr', bytes)).toMatch(/^usr_[0-9a-z]{20}$/);
      }),
    );
  });
});

describe('permissions', () => {
  it('customer roles only hold customer permissions; the admin role holds all of them', () => {
    for (const role of BUILT_IN_ROLES.filter((r) => r.audience === 'customer')) {
      expect(role.permissions.every(isCustomerPermission)).toBe(true);
    }
    expect(new Set(BUILT_IN_ROLES.find((r) => r.key === 'admin')?.permissions)).toEqual(
      new Set(CUSTOMER_PERMISSIONS),
    );
  });

  it('maps API key scopes to permissions and ignores unknown scopes', () => {
    expect([...permissionsForScopes(['catalog:read'])].sort()).toEqual(['catalog.view', 'prices.view']);
    expect(permissionsForScopes(['nonsense']).size).toBe(0);
  });
});

describe('cursors', () => {
  it('round-trip any JSON value of the expected shape', () => {
    const Shape = v.object({ k: v.string(), s: v.string() });
    fc.assert(
      fc.property(fc.string(), fc.string(), (k, s) => {
        expect(decodeCursor(Shape, encodeCursor({ k, s }))).toEqual({ k, s });
      }),
    );
  });

  it('reject tampered cursors with a 400-class error naming the cursor', () => {
    expect(() => decodeCursor(v.object({ k: v.string() }), 'not-base64!')).toThrowError(/cursor/);
    expect(() => decodeCursor(v.object({ k: v.string() }), encodeCursor({ other: 1 }))).toThrowError(
      /cursor/,
    );
  });
});

describe('queue retry backoff', () => {
  it('doubles from 10 s and caps at 15 minutes', async () => {
    const { retryDelaySeconds } = await import('../../src/queues/messages');
    expect([1, 2, 3, 4].map(retryDelaySeconds)).toEqual([10, 20, 40, 80]);
    expect(retryDelaySeconds(30)).toBe(900);
  });
});
