import type { Client } from '@libsql/client';
import { createClient } from '@libsql/client/web';
import type { BatchItem, BatchResponse } from 'drizzle-orm/batch';
import { drizzle as drizzleD1 } from 'drizzle-orm/d1';
import { drizzle as drizzleLibsql } from 'drizzle-orm/libsql';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import * as schema from './schema';

/**
 * The one database type every query is written against. D1 and libSQL both provide `batch`, which is
 * how multi-statement writes stay atomic (D1 has no interactive transactions). Never read `.run()`
 * results: their shape differs per driver; use `.returning()` instead.
 */
export type Database = BaseSQLiteDatabase<'async', unknown, typeof schema> & {
  batch<U extends BatchItem<'sqlite'>, T extends Readonly<[U, ...U[]]>>(batch: T): Promise<BatchResponse<T>>;
};

export interface DatabaseBindings {
  DB: D1Database;
  LIBSQL_URL?: string;
  LIBSQL_AUTH_TOKEN?: string;
}

export function createDatabase(env: DatabaseBindings): Database {
  if (env.LIBSQL_URL) {
    return fromLibsqlClient(createClient({ url: env.LIBSQL_URL, authToken: env.LIBSQL_AUTH_TOKEN }));
  }
  return drizzleD1(env.DB, { schema });
}

/** For Node callers (scripts, the libSQL contract tests) that open their own client, e.g. a `file:` URL. */
export function fromLibsqlClient(client: Client): Database {
  return drizzleLibsql(client, { schema });
}
