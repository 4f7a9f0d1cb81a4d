import * as v from 'valibot';

/**
 * What the Cloudflare account holds, as far as a deployment cares, and the readers of wrangler's listings.
 * The parsers are pure (wrangler's output in, names and ids out) so they are tested without an account;
 * `--account-state <file>` takes the same shape as JSON for an offline dry run.
 */

export const AccountState = v.object({
  d1: v.optional(v.array(v.object({ name: v.string(), id: v.string() })), []),
  kv: v.optional(v.array(v.object({ title: v.string(), id: v.string() })), []),
  r2: v.optional(v.array(v.string()), []),
  queues: v.optional(v.array(v.string()), []),
  /** the Worker's secret names; null when the Worker does not exist yet */
  secrets: v.optional(v.nullable(v.array(v.string())), null),
});
export type AccountState = v.InferOutput<typeof AccountState>;

export const EMPTY_ACCOUNT: AccountState = { d1: [], kv: [], r2: [], queues: [], secrets: null };

/** `wrangler d1 list --json`: [{ uuid, name, ... }] */
export function parseD1List(output: string): AccountState['d1'] {
  const rows = v.parse(
    v.array(v.object({ uuid: v.string(), name: v.string() })),
    JSON.parse(jsonPart(output)),
  );
  return rows.map((r) => ({ name: r.name, id: r.uuid }));
}

/** `wrangler kv namespace list` prints JSON: [{ id, title, ... }] */
export function parseKvList(output: string): AccountState['kv'] {
  return v.parse(v.array(v.object({ id: v.string(), title: v.string() })), JSON.parse(jsonPart(output)));
}

/** `wrangler r2 bucket list` prints labelled blocks (`name:           erp-uploads`); it has no JSON output. */
export function parseR2List(output: string): string[] {
  return [...stripAnsi(output).matchAll(/^name:\s+(\S+)\s*$/gm)].map((m) => m[1] ?? '');
}

/**
 * `wrangler queues list` prints one page as a table (`│ id │ name │ created_on │ ...`); it has no JSON output.
 * The first row is the header.
 */
export function parseQueuesTable(output: string): string[] {
  const rows = stripAnsi(output)
    .split('\n')
    .filter((line) => line.trimStart().startsWith('│'))
    .map((line) =>
      line
        .split('│')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
  const [header, ...body] = rows;
  const column = header?.indexOf('name') ?? -1;
  if (column === -1) return [];
  return body.map((cells) => cells[column] ?? '').filter((name) => name !== '');
}

/** `wrangler secret list --format json`: [{ name, type }] */
export function parseSecretList(output: string): string[] {
  return v.parse(v.array(v.object({ name: v.string() })), JSON.parse(jsonPart(output))).map((s) => s.name);
}

// wrangler may print a banner or a warning before the JSON
function jsonPart(output: string): string {
  const start = output.search(/^\s*[[{]/m);
  return start === -1 ? output : output.slice(start);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the escape sequences are what is removed
const stripAnsi = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');
