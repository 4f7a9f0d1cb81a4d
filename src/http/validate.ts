import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { Context } from 'hono';
import { validator } from 'hono-openapi';
import { AppError, type FieldIssue } from '../domain/errors';

const LOCATION: Record<string, string> = { json: 'body', query: 'query', param: 'path', header: 'header' };

function dottedPath(issue: StandardSchemaV1.Issue): string {
  return (issue.path ?? [])
    .map((segment) => String(typeof segment === 'object' && segment !== null ? segment.key : segment))
    .join('.');
}

/**
 * The one validation hook every route passes to `validator(...)`: a failure becomes a 400 problem+json
 * listing every issue with the field's path, e.g. `{ in: "body", path: "roles.0", message: "..." }`.
 */
export function onInvalid(
  result: { success: boolean; error?: readonly StandardSchemaV1.Issue[]; target: string },
  _c: Context,
): void {
  if (result.success) return;
  const where = LOCATION[result.target] ?? result.target;
  const issues: (FieldIssue & { in: string })[] = (result.error ?? []).map((issue) => ({
    in: where,
    path: dottedPath(issue),
    message: issue.message,
  }));
  throw new AppError(
    'validation_failed',
    `${issues.length} invalid field(s) in the request ${where}`,
    issues,
  );
}

/**
 * The route validators, `onInvalid` built in: `validBody(Schema)`, `validQuery(Schema)` and
 * `validParams(Schema)` check the request and feed `c.req.valid('json' | 'query' | 'param')` its typed value,
 * and hono-openapi reads the same schema into the document.
 */
export const validBody = <S extends StandardSchemaV1>(schema: S) => validator('json', schema, onInvalid);
export const validQuery = <S extends StandardSchemaV1>(schema: S) => validator('query', schema, onInvalid);
export const validParams = <S extends StandardSchemaV1>(schema: S) => validator('param', schema, onInvalid);
