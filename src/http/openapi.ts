import type { MiddlewareHandler } from 'hono';
import { type DescribeRouteOptions, describeRoute, resolver } from 'hono-openapi';
import * as v from 'valibot';
import type { AppEnv } from './context';
import { checkDocumentedResponse } from './response-check';

/** The problem+json body (RFC 9457) every error answer carries; `errors[].path` names each bad field. */
export const ProblemSchema = v.object({
  type: v.string(),
  title: v.string(),
  status: v.number(),
  detail: v.optional(v.string()),
  instance: v.optional(v.string()),
  code: v.optional(v.string()),
  requestId: v.optional(v.string()),
  errors: v.optional(
    v.array(v.object({ in: v.optional(v.string()), path: v.string(), message: v.string() })),
  ),
});

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: resolver(ProblemSchema) } },
});

const STANDARD_ERRORS = {
  400: problemResponse('Invalid input; `errors[].path` names each field'),
  401: problemResponse('Missing or invalid credentials'),
  403: problemResponse('Missing permission'),
  404: problemResponse('Not found, or belongs to another company'),
};

const RATE_LIMITED = problemResponse(
  'Too many failed credential attempts from this address or for this key; wait `Retry-After` seconds',
);

interface RouteDoc {
  tags: string[];
  summary: string;
  description?: string;
  /** response body schema of the success status */
  ok?: v.GenericSchema;
  /** the media type of a success answer that is not JSON (a CSV download) */
  okMediaType?: string;
  /** another media type the success answer comes in on request, beside `ok`'s JSON (a CSV export) */
  alsoMediaType?: string;
  /** a request body that is not a validated JSON object (uploads): documented as given */
  requestBody?: DescribeRouteOptions['requestBody'];
  status?: 200 | 201 | 202 | 204 | 303;
  public?: boolean;
  errors?: Partial<Record<403 | 409 | 413 | 415 | 422 | 429 | 501 | 502, string>>;
}

/**
 * One call per route: summary, success schema and the standard problem responses. The middleware it returns
 * carries the description for the document and, in tests, checks the answer against it (response-check.ts).
 */
export function doc(d: RouteDoc): MiddlewareHandler<AppEnv> {
  const status = d.status ?? 200;
  const extra = Object.fromEntries(
    Object.entries(d.errors ?? {}).map(([code, text]) => [code, problemResponse(text)]),
  );
  const described = describeRoute({
    tags: d.tags,
    summary: d.summary,
    description: d.description,
    security: d.public ? [] : [{ bearer: [] }],
    ...(d.requestBody ? { requestBody: d.requestBody } : {}),
    responses: {
      [status]: d.ok
        ? {
            description: 'OK',
            content: {
              'application/json': { schema: resolver(d.ok) },
              ...(d.alsoMediaType ? { [d.alsoMediaType]: { schema: { type: 'string' } } } : {}),
            },
          }
        : d.okMediaType
          ? { description: 'OK', content: { [d.okMediaType]: { schema: { type: 'string' } } } }
          : { description: 'OK' },
      ...STANDARD_ERRORS,
      // any API key lookup counts against the guessing limits
      ...(d.public ? {} : { 429: RATE_LIMITED }),
      ...extra,
    },
  });
  // hono-openapi finds a route's description under a symbol key of the middleware: copy it over
  return Object.assign(checkDocumentedResponse({ status, ok: d.ok, also: d.alsoMediaType }), described);
}
