import type { MiddlewareHandler } from 'hono';
import * as v from 'valibot';
import { log } from '../lib/log';
import type { AppContext, AppEnv } from './context';

/** What `doc(...)` promises about a route's success answer. */
export interface DocumentedSuccess {
  status: number;
  /** the JSON body schema; none documents an answer without a JSON body */
  ok?: v.GenericSchema;
  /** another media type the answer may come in (an export), not checked */
  also?: string;
}

const MAX_ISSUES = 5;

/** The schema kinds an answer's fields are looked up in; everything else is a leaf. */
type Walkable =
  | v.ObjectSchema<v.ObjectEntries, v.ErrorMessage<v.ObjectIssue> | undefined>
  | v.StrictObjectSchema<v.ObjectEntries, v.ErrorMessage<v.StrictObjectIssue> | undefined>
  | v.ArraySchema<v.GenericSchema, v.ErrorMessage<v.ArrayIssue> | undefined>
  | v.RecordSchema<v.GenericSchema<string>, v.GenericSchema, v.ErrorMessage<v.RecordIssue> | undefined>
  | v.UnionSchema<v.GenericSchema[], v.ErrorMessage<v.UnionIssue<v.BaseIssue<unknown>>> | undefined>
  | v.LazySchema<v.GenericSchema>
  | v.NullableSchema<v.GenericSchema, unknown>
  | v.OptionalSchema<v.GenericSchema, unknown>
  | v.NullishSchema<v.GenericSchema, unknown>;
const WALKABLE = new Set<string>([
  ...['object', 'strict_object', 'array', 'record', 'union', 'lazy'],
  ...['nullable', 'optional', 'nullish'],
]);

/**
 * Fields the answer has and the schema does not name. `v.object` lets them through (and the document does
 * not forbid them), so without this a new column would reach clients while the document lags behind.
 * Runs on a value that already passed the schema.
 */
function undocumentedFields(schema: v.GenericSchema, value: unknown, path: string, found: string[]): void {
  if (value === null || typeof value !== 'object' || !WALKABLE.has(schema.type)) return;
  const s = schema as Walkable;
  const at = (key: string) => (path ? `${path}.${key}` : String(key));
  if (s.type === 'nullable' || s.type === 'optional' || s.type === 'nullish')
    undocumentedFields(s.wrapped, value, path, found);
  else if (s.type === 'lazy') undocumentedFields(s.getter(value), value, path, found);
  else if (s.type === 'union') {
    const match = s.options.find((option) => v.is(option, value));
    if (match) undocumentedFields(match, value, path, found);
  } else if (s.type === 'array' || s.type === 'record') {
    const items = s.type === 'array' ? s.item : s.value;
    for (const [key, item] of Object.entries(value)) undocumentedFields(items, item, at(key), found);
  } else {
    for (const [key, item] of Object.entries(value)) {
      const entry = s.entries[key];
      if (entry) undocumentedFields(entry, item, at(key), found);
      else found.push(`${at(key)}: not in the documented schema`);
    }
  }
}

/** Where a 2xx answer departs from its documentation, as short readable lines; empty when it matches. */
async function departures(res: Response, promised: DocumentedSuccess): Promise<string[]> {
  const found: string[] = [];
  if (res.status !== promised.status) found.push(`status ${res.status}, documented ${promised.status}`);
  const type = res.headers.get('content-type') ?? '';
  const isJson = /^application\/json\b/i.test(type);
  if (!promised.ok) return isJson ? [...found, 'a JSON body, documented without one'] : found;
  if (promised.also && type.toLowerCase().startsWith(promised.also)) return found;
  if (!isJson) return [...found, `content-type "${type}", documented application/json`];
  const body: unknown = await res.clone().json();
  const result = v.safeParse(promised.ok, body);
  if (!result.success)
    return [...found, ...result.issues.map((i) => `${v.getDotPath(i) ?? '(body)'}: ${i.message}`)];
  undocumentedFields(promised.ok, body, '', found);
  return found;
}

/**
 * Test-time guard that the OpenAPI document tells the truth: with VALIDATE_RESPONSES=true (set only by the
 * test suite) every 2xx answer is compared with what `doc(...)` promised, and a departure becomes a 500
 * naming the route and the first issues, so the test that made the call fails. Production reads one flag.
 */
export function checkDocumentedResponse(promised: DocumentedSuccess): MiddlewareHandler<AppEnv> {
  return async (c: AppContext, next) => {
    const route = `${c.req.method} ${c.req.routePath}`;
    await next();
    if (c.var.services.config.VALIDATE_RESPONSES !== 'true') return;
    if (c.res.status < 200 || c.res.status > 299) return;
    const issues = (await departures(c.res, promised)).slice(0, MAX_ISSUES);
    if (issues.length === 0) return;
    log('error', 'response does not match its OpenAPI document', { route, issues });
    const detail = `The answer of ${route} does not match its OpenAPI document: ${issues.join('; ')}`;
    c.res = new Response(
      JSON.stringify({ type: 'about:blank', title: 'Undocumented response', status: 500, detail }),
      { status: 500, headers: { 'content-type': 'application/problem+json' } },
    );
  };
}
