import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  backoffSeconds,
  MAX_DELAY_SECONDS,
  RETRY_CAP_SECONDS,
  retryAfterSeconds,
  retryDelay,
  verdictOf,
} from '../../src/domain/erp-export-policy';

describe('what an ERP answer means', () => {
  it('2xx sent; 408, 429, 5xx retried; 409 already there (except a refused cancellation); other 4xx failed', () => {
    expect([200, 201, 202, 204].map((s) => verdictOf('order', s))).toEqual(['sent', 'sent', 'sent', 'sent']);
    expect([408, 429, 500, 502, 503, 504].map((s) => verdictOf('order', s))).toEqual(Array(6).fill('retry'));
    expect(verdictOf('order', 409)).toBe('sent');
    expect(verdictOf('receipt', 409)).toBe('sent');
    expect(verdictOf('cancellation', 409)).toBe('failed');
    expect(verdictOf('cancellation', 404)).toBe('sent');
    expect([400, 401, 403, 404, 410, 422].map((s) => verdictOf('order', s))).toEqual(Array(6).fill('failed'));
    // a redirect that was not followed is not a delivery
    expect(verdictOf('order', 302)).toBe('failed');
  });
});

describe('when to try again', () => {
  it('backoff doubles from 10 s to at most 15 min, with half of each step random', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (attempt, r) => {
          const step = Math.min(RETRY_CAP_SECONDS, 10 * 2 ** (attempt - 1));
          const delay = backoffSeconds(attempt, r);
          return delay >= step / 2 && delay <= step;
        },
      ),
    );
    expect([1, 2, 3, 4].map((a) => backoffSeconds(a, 1))).toEqual([10, 20, 40, 80]);
    expect([1, 2, 3, 4].map((a) => backoffSeconds(a, 0))).toEqual([5, 10, 20, 40]);
  });

  it('Retry-After wins, as seconds or as an HTTP date, capped at the queue’s 12 hours', () => {
    const now = Date.parse('2026-05-04T10:00:00Z');
    expect(retryAfterSeconds('120', now)).toBe(120);
    expect(retryAfterSeconds(' 0 ', now)).toBe(0);
    expect(retryAfterSeconds('Mon, 04 May 2026 10:05:00 GMT', now)).toBe(300);
    expect(retryAfterSeconds('Mon, 04 May 2026 09:00:00 GMT', now)).toBe(0);
    expect(retryAfterSeconds('999999', now)).toBe(MAX_DELAY_SECONDS);
    expect(retryAfterSeconds('soon', now)).toBeUndefined();
    expect(retryAfterSeconds('-5', now)).toBeUndefined();
    expect(retryAfterSeconds(null, now)).toBeUndefined();
    expect(retryDelay(3, '120', now, 0.5)).toBe(120);
    expect(retryDelay(3, 'soon', now, 1)).toBe(40);
  });
});
