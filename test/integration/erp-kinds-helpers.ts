import { env } from 'cloudflare:test';
import { expect } from 'vitest';
import { createDatabase } from '../../src/db/client';
import type {
  ApplyOutcome,
  ImportDeps,
  ImportKindSpec,
  ImportRecord,
  RowRef,
} from '../../src/services/erp-import/kind-spec';
import { call, json, loginAs } from './harness';
import { all, deps } from './pricing-helpers';

export const importDeps = (): ImportDeps => ({ db: createDatabase(env), pricing: deps() });

/** Parses the records as the pipeline would (row n is record n, from 1) and applies the good ones. */
export async function importRows<R>(
  spec: ImportKindSpec<R>,
  records: readonly ImportRecord[],
  at = Date.now(),
): Promise<ApplyOutcome & { parseRejects: { rowNo: number; column: string | null; reason: string }[] }> {
  const good: RowRef<R>[] = [];
  const parseRejects: { rowNo: number; column: string | null; reason: string }[] = [];
  records.forEach((record, i) => {
    const parsed = spec.parse(record);
    if (parsed.ok) good.push({ rowNo: i + 1, row: parsed.row });
    else parseRejects.push({ rowNo: i + 1, column: parsed.column, reason: parsed.reason });
  });
  return { ...(await spec.apply(importDeps(), good, at)), parseRejects };
}

/** Every fingerprint's requested generation: what an invalidation bumped. */
export async function requestedGenerations(): Promise<Map<string, number>> {
  const rows = await all<{ fingerprint: string; requested_generation: number }>(
    'SELECT fingerprint, requested_generation FROM price_indexes',
  );
  return new Map(rows.map((r) => [r.fingerprint, r.requested_generation]));
}

/** The fingerprints whose requested generation moved between two snapshots. */
export function bumped(before: Map<string, number>, after: Map<string, number>): string[] {
  return [...after].filter(([fp, gen]) => (before.get(fp) ?? 0) < gen).map(([fp]) => fp);
}

/** A platform API key with scope erp:write, made through the admin API as a supplier would. */
let erpKey: string | undefined;
export async function erpToken(): Promise<string> {
  if (erpKey) return erpKey;
  const ops = await loginAs('ops@supplier.example');
  const res = await call('/v1/admin/api-keys', {
    method: 'POST',
    token: ops,
    body: { name: 'ERP link', companyId: null, scopes: ['erp:write'] },
  });
  expect(res.status).toBe(201);
  erpKey = (await json<{ key: string }>(res)).key;
  return erpKey;
}
