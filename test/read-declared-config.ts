import * as v from 'valibot';
import type { DeclaredConfig } from './declared-config';

/**
 * Reads wrangler.toml with wrangler's own config reader (the one `wrangler dev`, `wrangler deploy` and the
 * test pool use). Node only: tsconfig.json (workerd types) leaves this file out.
 */

const bound = v.array(v.object({ binding: v.string() }));
// wrangler ships its config type unresolved (any), so the part read here is checked instead of trusted
const WranglerConfig = v.object({
  vars: v.record(v.string(), v.string('[vars] values must be strings: the generated Env types them so')),
  d1_databases: bound,
  kv_namespaces: bound,
  r2_buckets: v.optional(bound, []),
  durable_objects: v.object({ bindings: v.array(v.object({ name: v.string() })) }),
  queues: v.object({ producers: v.optional(bound, []) }),
  triggers: v.object({ crons: v.optional(v.array(v.string()), []) }),
});
// Binding kinds the runtime check does not know yet: declaring one fails loudly instead of going unchecked.
const UNCHECKED_KINDS = [
  'services',
  'hyperdrive',
  'ratelimits',
  'analytics_engine_datasets',
  'vectorize',
  'workflows',
  'send_email',
  'secrets_store_secrets',
] as const;

export async function readDeclaredConfig(configPath: string): Promise<DeclaredConfig> {
  // loaded only here: wrangler is large, and the Node test project never needs it
  const { unstable_readConfig } = await import('wrangler');
  const raw: unknown = unstable_readConfig({ config: configPath });
  const config = v.parse(WranglerConfig, raw);
  const fields = v.parse(v.record(v.string(), v.unknown()), raw);
  const unknown = UNCHECKED_KINDS.filter((kind) => {
    const declared = fields[kind];
    return Array.isArray(declared) && declared.length > 0;
  });
  if (unknown.length > 0) {
    throw new Error(`Teach test/read-declared-config.ts to check the bindings of ${unknown.join(', ')}`);
  }
  return {
    bindings: [
      ...config.d1_databases.map((d) => ({ name: d.binding, kind: 'd1' as const })),
      ...config.kv_namespaces.map((k) => ({ name: k.binding, kind: 'kv' as const })),
      ...config.r2_buckets.map((r) => ({ name: r.binding, kind: 'r2' as const })),
      ...config.durable_objects.bindings.map((d) => ({ name: d.name, kind: 'durable_object' as const })),
      ...config.queues.producers.map((q) => ({ name: q.binding, kind: 'queue' as const })),
      ...Object.keys(config.vars).map((name) => ({ name, kind: 'var' as const })),
    ],
    vars: config.vars,
    crons: config.triggers.crons,
  };
}
