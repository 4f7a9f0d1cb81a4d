import { AppError, type AppErrorCode, type FieldIssue } from '../domain/errors';

/**
 * What every call to the company's object answers: a value, or an expected failure as a value. An Error
 * thrown across RPC loses its class (an AppError would arrive as a bare Error and become a 500), so the
 * object never throws for an expected outcome; the caller turns the failure into the API's error.
 */
export type ObjectFailure = { ok: false; code: AppErrorCode; message: string; issues?: FieldIssue[] };
export type ObjectResult<T> = { ok: true; value: T } | ObjectFailure;

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });

export const fail = (code: AppErrorCode, message: string, issues?: FieldIssue[]): ObjectFailure => ({
  ok: false,
  code,
  message,
  ...(issues && issues.length > 0 ? { issues } : {}),
});

/** True for a failure value; lets a module return either a row or a failure from one lookup. */
export const isFailure = (value: object): value is ObjectFailure => (value as { ok?: unknown }).ok === false;

/** The object's answer as the API sees it: the value, or its expected failure thrown as an AppError. */
export function unwrap<T>(result: ObjectResult<T>): T {
  if (result.ok) return result.value;
  throw new AppError(result.code, result.message, result.issues ?? []);
}
