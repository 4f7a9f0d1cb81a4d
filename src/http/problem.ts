import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AppError, type AppErrorCode, type FieldIssue, RetryLaterError } from '../domain/errors';
import type { Principal } from '../domain/principal';
import { describeError, log } from '../lib/log';
import { errorTextFor } from './prices-visibility';

export const STATUS_BY_CODE: Record<AppErrorCode, ContentfulStatusCode> = {
  validation_failed: 400,
  malformed_body: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  cart_locked: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unprocessable: 422,
  idempotency_key_reused: 422,
  not_implemented: 501,
  upstream_failed: 502,
  temporarily_unavailable: 503,
};

const TITLES: Record<AppErrorCode, string> = {
  validation_failed: 'Your request is not valid',
  malformed_body: 'The request body could not be parsed',
  unauthenticated: 'Authentication required',
  forbidden: 'Forbidden',
  not_found: 'Not found',
  conflict: 'Conflict',
  cart_locked: 'The cart is being checked out',
  payload_too_large: 'Payload too large',
  unsupported_media_type: 'Unsupported media type',
  rate_limited: 'Too many requests',
  unprocessable: 'The request cannot be processed',
  idempotency_key_reused: 'This Idempotency-Key was used for a different request',
  not_implemented: 'Not implemented',
  upstream_failed: 'An upstream system failed',
  temporarily_unavailable: 'Temporarily unavailable',
};

/** RFC 9457 problem details; `errors[].path` names each offending field. */
export function problem(
  c: Context,
  code: AppErrorCode,
  detail: string,
  errors: FieldIssue[] = [],
  extraHeaders: Record<string, string> = {},
): Response {
  const status = STATUS_BY_CODE[code];
  const body = {
    type: `/problems/${code.replaceAll('_', '-')}`,
    title: TITLES[code],
    status,
    detail,
    instance: new URL(c.req.url).pathname,
    code,
    requestId: c.get('requestId'),
    ...(errors.length > 0 ? { errors } : {}),
  };
  const headers: Record<string, string> = { 'content-type': 'application/problem+json', ...extraHeaders };
  if (code === 'unauthenticated') headers['www-authenticate'] = 'Bearer';
  return c.body(JSON.stringify(body), status, headers);
}

function fromHttpException(err: HTTPException): AppErrorCode {
  if (err.status === 413) return 'payload_too_large';
  if (err.status === 415) return 'unsupported_media_type';
  if (err.status === 401) return 'unauthenticated';
  if (err.status === 400) return 'malformed_body';
  return err.status >= 500 ? 'upstream_failed' : 'unprocessable';
}

/** The one place errors become responses. Unknown errors are logged with the request id, never echoed. */
export function handleError(err: Error, c: Context): Response {
  if (err instanceof AppError) {
    if (err.code === 'upstream_failed')
      log('warn', 'upstream failed', { requestId: c.get('requestId'), detail: err.detail });
    // amounts in an error follow prices.view like any other answer (a budget refusal names what is left)
    const principal = c.get('principal') as Principal | undefined;
    const issues = err.issues.map((i) => ({ ...i, message: errorTextFor(principal, i.message) }));
    const headers =
      err instanceof RetryLaterError ? { 'retry-after': String(err.retryAfterSeconds) } : undefined;
    return problem(c, err.code, errorTextFor(principal, err.message), issues, headers);
  }
  if (err instanceof HTTPException) {
    const code = fromHttpException(err);
    return problem(c, code, err.message || TITLES[code]);
  }
  if (/UNIQUE constraint failed/.test(`${err.message} ${String(err.cause ?? '')}`)) {
    // a check-then-insert lost a race to a concurrent request: the row exists now
    return problem(c, 'conflict', 'A record with the same unique key already exists');
  }
  log('error', 'unhandled error', { requestId: c.get('requestId'), path: c.req.path, ...describeError(err) });
  return c.body(
    JSON.stringify({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      requestId: c.get('requestId'),
    }),
    500,
    { 'content-type': 'application/problem+json' },
  );
}
