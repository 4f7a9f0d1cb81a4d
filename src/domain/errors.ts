/** The closed set of expected failures. One `onError` maps each code to an HTTP status and problem+json. */
export type AppErrorCode =
  | 'validation_failed'
  | 'malformed_body'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  /** the cart is being checked out: no change to it until that checkout ends (409) */
  | 'cart_locked'
  | 'unprocessable'
  /** an Idempotency-Key sent again with a different request (another cart, user or body) (422) */
  | 'idempotency_key_reused'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'not_implemented'
  | 'upstream_failed'
  /** the answer needs something still being prepared (a search index's first build) (503, Retry-After) */
  | 'temporarily_unavailable';

export interface FieldIssue {
  /** where the field is, when the thrower knows (validation fills it in) */
  in?: string;
  /** JSON-pointer-like dotted path of the offending field, e.g. "lines.3.quantity" */
  path: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    /** safe to show to the caller */
    message: string,
    readonly issues: FieldIssue[] = [],
    /** for the logs only; never sent to the caller */
    readonly detail?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** An answer to ask again for after `retryAfterSeconds`: sent with `Retry-After`. */
export class RetryLaterError extends AppError {
  constructor(
    code: 'rate_limited' | 'temporarily_unavailable',
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(code, message);
    this.name = 'RetryLaterError';
  }
}

/** Too many failed credential attempts: answered 429 with `Retry-After`. */
export class RateLimitedError extends RetryLaterError {
  constructor(retryAfterSeconds: number) {
    super('rate_limited', 'Too many failed attempts; try again later', retryAfterSeconds);
    this.name = 'RateLimitedError';
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);
export const forbidden = (why = 'You do not have permission to do this') => new AppError('forbidden', why);
export const conflict = (why: string) => new AppError('conflict', why);
export const notImplemented = (feature: string) =>
  new AppError('not_implemented', `${feature} is not implemented yet`);
