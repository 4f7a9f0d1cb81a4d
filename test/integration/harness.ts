import { env } from 'cloudflare:test';
import { exports } from 'cloudflare:workers';

export const DEMO_PASSWORD = 'demo1234';
const BASE = 'https://api.test';

export interface CallOptions {
  method?: string;
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Calls the real Worker entry (fetch handler of src/index.ts) inside workerd. */
export async function call(path: string, options: CallOptions = {}): Promise<Response> {
  const headers = new Headers(options.headers);
  if (options.token) headers.set('authorization', `Bearer ${options.token}`);
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  }
  return exports.default.fetch(
    new Request(`${BASE}${path}`, { method: options.method ?? 'GET', headers, body }),
  );
}

export async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

const tokens = new Map<string, string>();

export async function loginAs(email: string): Promise<string> {
  const cached = tokens.get(email);
  if (cached) return cached;
  const res = await call('/v1/auth/login', { method: 'POST', body: { email, password: DEMO_PASSWORD } });
  if (res.status !== 200) throw new Error(`login ${email} failed: ${res.status} ${await res.text()}`);
  const { accessToken } = await json<{ accessToken: string }>(res);
  tokens.set(email, accessToken);
  return accessToken;
}

export const apiKeys = () => env.TEST_CREDENTIALS.apiKeys;

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  requestId: string;
  errors?: { in?: string; path: string; message: string }[];
}

export async function expectProblem(res: Response, status: number): Promise<Problem> {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${await res.text()}`);
  if (!res.headers.get('content-type')?.startsWith('application/problem+json')) {
    throw new Error(`expected problem+json, got ${res.headers.get('content-type')}`);
  }
  return json<Problem>(res);
}

/**
 * A new user of the admin's company, the way a person joins: invited (development answers carry the
 * token), then accepted with a password. Returns the new user's id.
 */
export async function createUser(
  adminToken: string,
  invitation: { email: string; name: string; roleIds: string[]; orderLimitMinor?: number | null },
  password = DEMO_PASSWORD,
  headers: Record<string, string> = {},
): Promise<string> {
  const invited = await call('/v1/company/users', {
    method: 'POST',
    token: adminToken,
    body: invitation,
    headers,
  });
  if (invited.status !== 202) throw new Error(`invite: ${invited.status} ${await invited.text()}`);
  const { acceptToken } = await json<{ acceptToken: string }>(invited);
  const accepted = await call('/v1/auth/accept-invitation', {
    method: 'POST',
    body: { token: acceptToken, password },
  });
  if (accepted.status !== 201) throw new Error(`accept: ${accepted.status} ${await accepted.text()}`);
  return (await json<{ id: string }>(accepted)).id;
}
