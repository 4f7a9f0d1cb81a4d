import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { exports } from 'cloudflare:workers';
import { createDatabase } from '../../src/db/client';
import worker from '../../src/index';
import { call, json, loginAs } from './harness';

/** Calls /punchout/oci as a procurement system's browser does: GET with a query, or POST with a form. */
export async function oci(
  params: Record<string, string>,
  options: { method?: 'GET' | 'POST'; bearer?: string; environment?: string } = {},
): Promise<Response> {
  const form = new URLSearchParams(params).toString();
  const method = options.method ?? 'POST';
  const headers = new Headers();
  if (options.bearer) headers.set('authorization', `Bearer ${options.bearer}`);
  if (method === 'POST') headers.set('content-type', 'application/x-www-form-urlencoded');
  const request = new Request(`https://api.test/punchout/oci${method === 'GET' ? `?${form}` : ''}`, {
    method,
    headers,
    body: method === 'POST' ? form : undefined,
    redirect: 'manual',
  });
  if (!options.environment) return exports.default.fetch(request);
  const ctx = createExecutionContext();
  const res = await worker.fetch(request, { ...env, ENVIRONMENT: options.environment }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

export const db = () => createDatabase(env);

/** Acme's unit prices for these lines, as `POST /v1/prices` answers them to Acme's buyer. */
export async function pricesOf(lines: { sku: string; quantity: number }[]): Promise<number[]> {
  const res = await call('/v1/prices', {
    method: 'POST',
    token: await loginAs('buyer@acme.example'),
    body: { lines },
  });
  const body = await json<{ lines: { price?: { unitMinor: number } | null }[] }>(res);
  return body.lines.map((l) => {
    if (!l.price) throw new Error('line without a price');
    return l.price.unitMinor;
  });
}

/** The start code of a redirect to `/punchout/start/{code}`. */
export function startCodeOf(res: Response): string {
  if (res.status !== 303) throw new Error(`expected 303, got ${res.status}`);
  const location = new URL(res.headers.get('location') ?? '');
  const match = /^\/punchout\/start\/([^/]+)$/.exec(location.pathname);
  if (!match?.[1]) throw new Error(`not a start URL: ${location}`);
  return decodeURIComponent(match[1]);
}

/** An OCI decimal: point, no thousands separator, no exponent. */
export const OCI_NUMBER = /^\d+(\.\d+)?$/;
