import { parse, stringify, type TomlTable } from 'smol-toml';

/**
 * What one environment of wrangler.toml needs from the account, read from its [env.<name>] section (wrangler
 * inherits no binding into an environment, so the section lists them all), and the generated configuration
 * with the account's ids filled in. Pure: the file's text in, values out.
 */

export interface ConfigNeeds {
  env: string;
  /** the Worker's name in that environment (the section's `name`, else wrangler's `<name>-<env>`) */
  workerName: string;
  d1: { binding: string; name: string }[];
  /** KV namespaces by the title `npm run deploy` gives them: `<worker name>-<binding in kebab case>` */
  kv: { binding: string; title: string }[];
  r2: string[];
  /** every queue a producer, consumer or dead-letter setting names, once, in order */
  queues: string[];
  vars: Record<string, string>;
  /** secrets the Worker refuses to start without (JWT_SECRET; the libSQL token when LIBSQL_URL is a var) */
  secrets: string[];
  /** LIBSQL_URL set as a [var] of the environment: the database is libSQL and its migrations run there */
  libsql: boolean;
}

export interface ResourceIds {
  d1: Record<string, string>;
  kv: Record<string, string>;
}

const isTable = (value: unknown): value is TomlTable =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

const tables = (value: unknown): TomlTable[] => (Array.isArray(value) ? value.filter(isTable) : []);

function text(table: TomlTable, key: string, where: string): string {
  const value = table[key];
  if (typeof value !== 'string' || value === '') throw new Error(`${where}: \`${key}\` must be a string`);
  return value;
}

const unique = (names: string[]) => [...new Set(names)];

export const kvTitle = (workerName: string, binding: string) =>
  `${workerName}-${binding.toLowerCase().replaceAll('_', '-')}`;

export function parseConfig(toml: string): TomlTable {
  return parse(toml);
}

export function environmentOf(config: TomlTable, env: string): TomlTable {
  const section = isTable(config.env) ? config.env[env] : undefined;
  if (!isTable(section)) {
    const known = isTable(config.env) ? Object.keys(config.env).join(', ') : 'none';
    throw new Error(`wrangler.toml has no [env.${env}] section (environments: ${known})`);
  }
  return section;
}

export function needsOf(config: TomlTable, env: string): ConfigNeeds {
  const section = environmentOf(config, env);
  const where = `[env.${env}]`;
  const baseName = text(config, 'name', 'wrangler.toml');
  const workerName = typeof section.name === 'string' ? section.name : `${baseName}-${env}`;
  const queues = isTable(section.queues) ? section.queues : {};
  const consumers = tables(queues.consumers);
  const vars = Object.fromEntries(
    Object.entries(isTable(section.vars) ? section.vars : {}).map(([name, value]) => [name, String(value)]),
  );
  const libsql = Boolean(vars.LIBSQL_URL);
  return {
    env,
    workerName,
    d1: tables(section.d1_databases).map((d) => ({
      binding: text(d, 'binding', where),
      name: text(d, 'database_name', where),
    })),
    kv: tables(section.kv_namespaces).map((k) => {
      const binding = text(k, 'binding', where);
      return { binding, title: kvTitle(workerName, binding) };
    }),
    r2: tables(section.r2_buckets).map((r) => text(r, 'bucket_name', where)),
    queues: unique([
      ...tables(queues.producers).map((p) => text(p, 'queue', where)),
      ...consumers.map((c) => text(c, 'queue', where)),
      ...consumers.flatMap((c) => (typeof c.dead_letter_queue === 'string' ? [c.dead_letter_queue] : [])),
    ]),
    vars,
    secrets: libsql ? ['JWT_SECRET', 'LIBSQL_AUTH_TOKEN'] : ['JWT_SECRET'],
    libsql,
  };
}

/** Every binding and variable an environment declares (what the Worker will see besides its secrets). */
export function declaredBindings(config: TomlTable, env: string): string[] {
  const section = environmentOf(config, env);
  const named = (key: string, field: string) => tables(section[key]).map((t) => String(t[field]));
  const objects = isTable(section.durable_objects) ? section.durable_objects : {};
  const queues = isTable(section.queues) ? section.queues : {};
  return [
    ...named('d1_databases', 'binding'),
    ...named('kv_namespaces', 'binding'),
    ...named('r2_buckets', 'binding'),
    ...tables(objects.bindings).map((b) => String(b.name)),
    ...tables(queues.producers).map((p) => String(p.binding)),
    ...Object.keys(isTable(section.vars) ? section.vars : {}),
  ];
}

/**
 * wrangler.toml with the environment's D1 and KV ids replaced by the account's. The other environments stay
 * as they are (their placeholder ids are never deployed: every command names `--env`).
 */
export function generatedConfig(config: TomlTable, needs: ConfigNeeds, ids: ResourceIds): string {
  const copy = parse(stringify(config));
  const section = environmentOf(copy, needs.env);
  for (const d of tables(section.d1_databases)) {
    const id = ids.d1[String(d.binding)];
    if (!id) throw new Error(`no id for the D1 database of ${String(d.binding)}`);
    d.database_id = id;
  }
  for (const k of tables(section.kv_namespaces)) {
    const id = ids.kv[String(k.binding)];
    if (!id) throw new Error(`no id for the KV namespace of ${String(k.binding)}`);
    k.id = id;
  }
  return `# Generated by \`npm run deploy -- --env ${needs.env}\` from wrangler.toml; git-ignored, do not edit.\n${stringify(copy)}\n`;
}

export const generatedConfigPath = (env: string) => `wrangler.${env}.generated.toml`;
