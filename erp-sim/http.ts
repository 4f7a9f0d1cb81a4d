/** Small HTTP helpers of the simulator: JSON answers, tolerant body reading, the simulated network error. */

/**
 * Thrown by `handle` when the ERP is down: a TypeError like the one a failed `fetch` throws, so code under
 * test sees exactly what a refused connection looks like. The Node server turns it into a dropped socket.
 */
export class SimulatedNetworkError extends TypeError {
  constructor(message: string) {
    super(message);
    this.name = 'SimulatedNetworkError';
  }
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });

export const errorAnswer = (
  status: number,
  error: string,
  detail: string,
  extra: object = {},
  headers: Record<string, string> = {},
) => json(status, { error, detail, ...extra }, headers);

export type BodyRead = { ok: true; value: unknown } | { ok: false; response: Response };

/** The request's JSON body; an empty body reads as `{}` when `emptyAs` says so. */
export async function readJson(request: Request, emptyAs?: unknown): Promise<BodyRead> {
  const text = await request.text();
  if (text.trim() === '' && emptyAs !== undefined) return { ok: true, value: emptyAs };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, response: errorAnswer(400, 'malformed_json', 'the body is not valid JSON') };
  }
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const isPositiveInt = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value > 0;

export const nonEmptyString = (value: unknown): value is string =>
  typeof value === 'string' && value.trim() !== '';

export const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A path segment decoded; a broken escape stays as sent (and matches nothing). */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
